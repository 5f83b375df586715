import { GatewayError } from '../core/errors.js';
import { InputDecoder } from '../dialects/openai-responses/decode-responses-input.js';
import { hashText } from './hash-text.js';
import { detectLanguage, estimateTokens } from './generate-tokens.js';
import { schemaInPrompt } from './schema-in-prompt.js';
import { parseDirectives, steeredTool, stripDirectives } from './parse-directives.js';
import { planResponse, type SimPrompt } from './plan-response.js';
import type { PreparedRequest } from './prepared-request.js';
import type { PromptPrefix } from './prompt-prefixes.js';
import type { SimModelSpec, SimProviderSpec } from './sim-types.js';
import { invalidRequest, modelNotFound, openAiError } from './wire-errors.js';

type Body = Record<string, unknown>;

/** `encrypted_content` of the simulator's reasoning items: the reasoning text, base64. */
export const SIM_REASONING_PREFIX = 'sim-enc-';

const KNOWN_FIELDS = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'text',
  'reasoning',
  'max_output_tokens',
  'temperature',
  'top_p',
  'metadata',
  'user',
  'safety_identifier',
  'prompt_cache_key',
  'store',
  'stream',
  'include',
  'service_tier',
  'truncation',
]);

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(message: string, param: string | null, code: string | null = 'invalid_value'): never {
  throw invalidRequest('openai-compatible', message, param, code);
}

function findModel(provider: SimProviderSpec, body: Body): SimModelSpec {
  const name = body['model'];
  if (typeof name !== 'string' || name === '')
    bad("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  const model = provider.models.find((candidate) => candidate.name === name);
  if (model === undefined) throw modelNotFound('openai-compatible', name);
  return model;
}

interface InputSummary {
  promptText: string;
  systemText: string;
  lastUserText: string;
  lastIsToolResult: boolean;
}

/**
 * Validates `input` (a string or items) with the gateway's own Responses input decoder — the
 * items this simulated Responses API takes are the ones that dialect reads — answering its 400s
 * in OpenAI's error shape, and summarizes the canonical messages it yields. A reasoning item is
 * usable only with the simulator's own encrypted content (there is no store behind it).
 */
function readInput(input: unknown, instructions: string): InputSummary {
  if (typeof input !== 'string' && (!Array.isArray(input) || input.length === 0))
    bad("Invalid 'input': expected a string or a non-empty array of items.", 'input');
  const decoder = new InputDecoder();
  try {
    if (typeof input === 'string') decoder.addText(input);
    else decoder.addItems(input, 'input');
  } catch (error) {
    if (error instanceof GatewayError) bad(error.message, error.param ?? 'input');
    throw error;
  }
  if (Array.isArray(input))
    input.forEach((item, index) => {
      if (!isRecord(item) || item['type'] !== 'reasoning') return;
      const token = item['encrypted_content'];
      if (typeof token !== 'string' || !token.startsWith(SIM_REASONING_PREFIX))
        bad(
          'The encrypted content for this reasoning item could not be verified.',
          `input[${index}].encrypted_content`,
          'invalid_encrypted_content',
        );
    });
  const summary: InputSummary = {
    promptText: instructions,
    systemText: instructions,
    lastUserText: '',
    lastIsToolResult: false,
  };
  for (const message of decoder.messages) {
    summary.lastIsToolResult = message.role === 'tool';
    switch (message.role) {
      case 'user': {
        const text = message.content
          .flatMap((part) => (part.type === 'text' ? [part.text] : []))
          .join('\n');
        summary.promptText += `\n${text}`;
        summary.lastUserText = text;
        break;
      }
      case 'system':
        summary.promptText += `\n${message.content}`;
        summary.systemText += (summary.systemText === '' ? '' : '\n') + message.content;
        break;
      case 'assistant':
        if (message.content !== '') summary.promptText += `\n${message.content}`;
        for (const call of message.toolCalls ?? []) summary.promptText += `\n${call.arguments}`;
        break;
      case 'tool':
        summary.promptText += `\n${message.content}`;
        break;
    }
  }
  return summary;
}

function readTool(
  body: Body,
  summary: InputSummary,
  directives: ReturnType<typeof parseDirectives>,
) {
  const tools = body['tools'];
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools))
    bad("Invalid type for 'tools': expected an array.", 'tools', 'invalid_type');
  const definitions = tools.map((tool, index) => {
    if (!isRecord(tool) || tool['type'] !== 'function' || typeof tool['name'] !== 'string')
      bad(`Missing required parameter: 'tools[${index}].name'.`, `tools[${index}].name`);
    return { name: tool['name'] as string, schema: tool['parameters'] ?? { type: 'object' } };
  });
  const choice = body['tool_choice'];
  if (definitions.length === 0 || choice === 'none') return undefined;
  if (choice === 'required') return steeredTool(definitions, { ...directives, tool: undefined });
  if (choice === undefined || choice === null || choice === 'auto')
    return summary.lastIsToolResult ? undefined : steeredTool(definitions, directives);
  const named = isRecord(choice) ? choice['name'] : undefined;
  const forced = definitions.find((definition) => definition.name === named);
  if (forced === undefined) bad("Invalid value for 'tool_choice'.", 'tool_choice');
  return forced;
}

function readJson(body: Body, promptText: string): SimPrompt['json'] {
  const text = body['text'];
  if (text === undefined || text === null) return undefined;
  if (!isRecord(text)) bad("Invalid type for 'text': expected an object.", 'text', 'invalid_type');
  const verbosity = text['verbosity'];
  if (
    verbosity !== undefined &&
    verbosity !== 'low' &&
    verbosity !== 'medium' &&
    verbosity !== 'high'
  )
    bad(`Invalid value: '${String(verbosity)}'.`, 'text.verbosity');
  const format = text['format'];
  if (!isRecord(format) || format['type'] === 'text') return undefined;
  if (format['type'] === 'json_object') {
    if (!/json/i.test(promptText))
      bad(
        "Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.",
        'input',
        null,
      );
    return schemaInPrompt(promptText);
  }
  if (format['type'] === 'json_schema') {
    if (typeof format['name'] !== 'string')
      bad("Missing required parameter: 'text.format.name'.", 'text.format.name');
    return { schema: format['schema'] ?? { type: 'object' } };
  }
  return bad(`Invalid value: '${String(format['type'])}'.`, 'text.format.type');
}

/**
 * Where cached prompt prefixes may end, as OpenAI caches automatically: tools, instructions, then
 * every input item (prompt-cache simulation, src/sim/prompt-cache.ts).
 */
function responsesPrefixes(body: Body, promptTokens: number): PromptPrefix[] {
  const pieces: string[] = [];
  if (body['tools'] !== undefined) pieces.push(`tools ${JSON.stringify(body['tools'])}`);
  if (typeof body['instructions'] === 'string') pieces.push(`instructions ${body['instructions']}`);
  const input = body['input'];
  if (typeof input === 'string') pieces.push(`user ${input}`);
  else if (Array.isArray(input)) for (const item of input) pieces.push(JSON.stringify(item));
  const prefixes: PromptPrefix[] = [];
  let hash = 0;
  let tokens = 0;
  for (const piece of pieces) {
    hash = hashText(`${hash}\n${piece}`);
    tokens += Math.ceil(piece.length / 4);
    prefixes.push({ hash, tokens: Math.min(tokens, promptTokens) });
  }
  return prefixes;
}

/** Validates and plans `POST /v1/responses` (OpenAI's Responses API). Throws SimHttpError. */
export function prepareOpenAiResponses(provider: SimProviderSpec, body: unknown): PreparedRequest {
  if (!isRecord(body)) bad('The body must be a JSON object.', null, null);
  for (const key of Object.keys(body))
    if (!KNOWN_FIELDS.has(key)) bad(`Unknown parameter: '${key}'.`, key, 'unknown_parameter');
  const model = findModel(provider, body);
  const reasoning = body['reasoning'];
  if (reasoning !== undefined && reasoning !== null && model.reasoning !== true)
    bad(
      `Unsupported parameter: 'reasoning.effort' is not supported with this model.`,
      'reasoning.effort',
      'unsupported_parameter',
    );
  const instructions = typeof body['instructions'] === 'string' ? body['instructions'] : '';
  const summary = readInput(body['input'], instructions);
  const maxValue = body['max_output_tokens'];
  if (
    maxValue !== undefined &&
    maxValue !== null &&
    (typeof maxValue !== 'number' || maxValue < 16)
  )
    bad("Invalid 'max_output_tokens': integer below minimum value (16).", 'max_output_tokens');
  const maxTokens = typeof maxValue === 'number' ? maxValue : model.maxOutputTokens;
  if (maxTokens > model.maxOutputTokens)
    bad(
      `max_output_tokens is too large: ${maxTokens}. This model supports at most ${model.maxOutputTokens} output tokens.`,
      'max_output_tokens',
    );
  const directives = parseDirectives(summary.lastUserText);
  const tool = readTool(body, summary, directives);
  const toolsText = body['tools'] === undefined ? '' : JSON.stringify(body['tools']);
  const promptTokens = estimateTokens(summary.promptText) + estimateTokens(toolsText);
  if (promptTokens > model.contextWindow)
    throw openAiError(
      400,
      `Your input exceeds the context window of this model (${model.contextWindow} tokens).`,
      { param: 'input', code: 'context_length_exceeded', outcome: 'context_length' },
    );
  const json = readJson(body, summary.promptText);
  const { stream: _stream, ...rest } = body;
  const seed = hashText(`${provider.id}\nresponses\n${stripDirectives(JSON.stringify(rest))}`);
  const prompt: SimPrompt = {
    kind: 'chat',
    prefix: `[simulated ${model.name} via ${provider.id}] `,
    seed,
    language: detectLanguage(`${summary.lastUserText}\n${summary.systemText}`),
    choiceCount: 1,
    maxTokens,
    stop: [],
    reasoning: model.reasoning === true,
    toolIdPrefix: 'call_',
  };
  if (directives.tokens !== undefined) prompt.targetTokens = directives.tokens;
  if (tool !== undefined) prompt.tool = tool;
  if (json !== undefined) prompt.json = json;
  const include = Array.isArray(body['include']) ? body['include'] : [];
  return {
    endpoint: 'responses',
    model,
    stream: body['stream'] === true,
    streamUsage: true,
    directives,
    seed,
    choices: planResponse(prompt),
    jsonMode: json !== undefined,
    visibleReasoning: isRecord(reasoning) && typeof reasoning['summary'] === 'string',
    promptTokens,
    prefixes: responsesPrefixes(body, promptTokens),
    encryptedReasoning: include.includes('reasoning.encrypted_content'),
  };
}
