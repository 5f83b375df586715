import { hashText } from './hash-text.js';
import { detectLanguage, estimateTokens } from './generate-tokens.js';
import {
  parseDirectives,
  steeredTool,
  stripDirectives,
  type SimDirectives,
} from './parse-directives.js';
import { planResponse, type SimPrompt } from './plan-response.js';
import { anthropicPrefixes } from './prompt-prefixes.js';
import { schemaInPrompt } from './schema-in-prompt.js';
import type { PreparedRequest } from './prepared-request.js';
import { readAnthropicMessages } from './read-anthropic-messages.js';
import type { SimProviderSpec } from './sim-types.js';
import { anthropicError, invalidRequest, modelNotFound } from './wire-errors.js';

type Body = Record<string, unknown>;

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Messages API takes at most four `cache_control` breakpoints per request. */
const MAX_CACHE_BREAKPOINTS = 4;

function bad(message: string): never {
  throw invalidRequest('anthropic', message);
}

/**
 * JSON mode on the Anthropic wire (which has no response_format): detected, best effort, from a
 * system prompt that mentions JSON together with only/valid/respond/return/output/format.
 */
export function asksForJson(systemText: string): boolean {
  return (
    /\bjson\b/i.test(systemText) &&
    /\b(only|valid|respond|return|output|format)\b/i.test(systemText)
  );
}

function optionalNumber(
  body: Body,
  key: string,
  minimum: number,
  maximum: number,
): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    bad(`${key}: Input should be a valid number`);
  if (value < minimum || value > maximum) bad(`${key}: range: ${minimum}..${maximum}`);
  return value;
}

function readTool(
  body: Body,
  lastIsToolResult: boolean,
  directives: SimDirectives,
): SimPrompt['tool'] {
  const tools = body['tools'];
  const choice = body['tool_choice'];
  if (tools === undefined || tools === null) {
    if (isRecord(choice) && choice['type'] !== 'none' && choice['type'] !== 'auto')
      bad('tool_choice: tool_choice may only be specified while providing tools.');
    return undefined;
  }
  if (!Array.isArray(tools)) bad('tools: Input should be a valid list');
  const definitions = tools.map((tool, index) => {
    if (!isRecord(tool) || typeof tool['name'] !== 'string')
      bad(`tools.${index}.name: Field required`);
    const custom = tool['type'] === undefined || tool['type'] === 'custom';
    if (custom && !isRecord(tool['input_schema']))
      bad(`tools.${index}.custom.input_schema: Field required`);
    return {
      name: tool['name'],
      schema: tool['input_schema'] ?? { type: 'object', properties: {} },
    };
  });
  if (choice !== undefined && choice !== null && !isRecord(choice))
    bad('tool_choice: Input should be a valid dictionary');
  const type = isRecord(choice) ? choice['type'] : 'auto';
  if (definitions.length === 0 || type === 'none') return undefined;
  if (type === 'auto') return lastIsToolResult ? undefined : steeredTool(definitions, directives);
  if (type === 'any')
    return steeredTool(definitions, {
      ...directives,
      tool: directives.tool === 'none' ? undefined : directives.tool,
    });
  if (type === 'tool' && isRecord(choice)) {
    const forced = definitions.find((definition) => definition.name === choice['name']);
    if (forced === undefined)
      bad(`tool_choice: Tool '${String(choice['name'])}' not found in tools`);
    return forced;
  }
  return bad("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
}

function readThinking(body: Body, maxTokens: number): boolean {
  const thinking = body['thinking'];
  if (thinking === undefined || thinking === null) return false;
  if (!isRecord(thinking)) bad('thinking: Input should be a valid dictionary');
  if (thinking['type'] === 'disabled') return false;
  if (thinking['type'] === 'adaptive') return true;
  if (thinking['type'] !== 'enabled')
    bad("thinking.type: Input should be 'enabled', 'adaptive' or 'disabled'");
  const budget = thinking['budget_tokens'];
  if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < 1024)
    bad('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
  if (budget >= maxTokens) bad('`max_tokens` must be greater than `thinking.budget_tokens`.');
  return true;
}

/** Structured outputs: `output_config.format` `{type: "json_schema", schema}` → the schema to answer in. */
function readOutputFormat(body: Body): { schema: unknown } | undefined {
  const config = body['output_config'];
  if (config === undefined || config === null) return undefined;
  if (!isRecord(config)) bad('output_config: Input should be a valid dictionary');
  const format = config['format'];
  if (format === undefined || format === null) return undefined;
  if (!isRecord(format) || format['type'] !== 'json_schema' || !isRecord(format['schema']))
    bad("output_config.format: Input should be {type: 'json_schema', schema: {...}}");
  return { schema: format['schema'] };
}

/** Validates and plans `POST /v1/messages`. Throws SimHttpError (Anthropic shape). */
export function prepareAnthropicMessages(
  provider: SimProviderSpec,
  body: unknown,
): PreparedRequest {
  if (!isRecord(body)) bad('Request body must be a JSON object');
  const name = body['model'];
  if (typeof name !== 'string' || name === '') bad('model: Field required');
  const model = provider.models.find((candidate) => candidate.name === name);
  if (model === undefined) throw modelNotFound('anthropic', name);
  const maxTokens = body['max_tokens'];
  if (maxTokens === undefined || maxTokens === null) bad('max_tokens: Field required');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)
    bad('max_tokens: Input should be a valid integer greater than or equal to 1');
  if (maxTokens > model.maxOutputTokens) {
    bad(
      `max_tokens: ${maxTokens} > ${model.maxOutputTokens}, which is the maximum allowed number of output tokens for ${model.name}`,
    );
  }
  const summary = readAnthropicMessages(body['messages'], body['system']);
  optionalNumber(body, 'temperature', 0, 1);
  optionalNumber(body, 'top_p', 0, 1);
  const stopValue = body['stop_sequences'];
  if (
    stopValue !== undefined &&
    stopValue !== null &&
    (!Array.isArray(stopValue) || stopValue.some((entry) => typeof entry !== 'string'))
  ) {
    bad('stop_sequences: Input should be a valid list of strings');
  }
  const streamValue = body['stream'];
  if (streamValue !== undefined && streamValue !== null && typeof streamValue !== 'boolean')
    bad('stream: Input should be a valid boolean');
  const directives = parseDirectives(summary.lastUserText);
  const tool = readTool(body, summary.lastIsToolResult, directives);
  const thinking = readThinking(body, maxTokens);
  const toolsText = body['tools'] === undefined ? '' : JSON.stringify(body['tools']);
  const promptTokens = estimateTokens(summary.promptText) + estimateTokens(toolsText);
  if (promptTokens > model.contextWindow) {
    throw anthropicError(
      400,
      'invalid_request_error',
      `prompt is too long: ${promptTokens} tokens > ${model.contextWindow} maximum`,
      'context_length',
    );
  }
  const prefixes = anthropicPrefixes(body, promptTokens);
  const marks = prefixes.filter((prefix) => prefix.mark !== undefined).length;
  if (marks > MAX_CACHE_BREAKPOINTS)
    bad(
      `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${marks}.`,
    );
  const { stream: _stream, ...rest } = body;
  const seed = hashText(`${provider.id}\nmessages\n${stripDirectives(JSON.stringify(rest))}`);
  const format = readOutputFormat(body);
  const jsonMode = format !== undefined || asksForJson(summary.systemText);
  const prompt: SimPrompt = {
    kind: 'chat',
    prefix: `[simulated ${model.name} via ${provider.id}] `,
    seed,
    language: detectLanguage(`${summary.lastUserText}\n${summary.systemText}`),
    choiceCount: 1,
    maxTokens,
    stop: Array.isArray(stopValue) ? (stopValue as string[]) : [],
    reasoning: thinking && model.reasoning === true,
    toolIdPrefix: 'toolu_01',
  };
  if (directives.tokens !== undefined) prompt.targetTokens = directives.tokens;
  if (tool !== undefined) prompt.tool = tool;
  if (format !== undefined) prompt.json = format;
  else if (jsonMode) prompt.json = schemaInPrompt(summary.systemText);
  return {
    endpoint: 'messages',
    model,
    stream: streamValue === true,
    streamUsage: true,
    directives,
    seed,
    choices: planResponse(prompt),
    jsonMode,
    visibleReasoning: prompt.reasoning,
    promptTokens,
    prefixes,
  };
}
