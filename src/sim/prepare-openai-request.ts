import { hashText } from './hash-text.js';
import { detectLanguage, estimateTokens } from './generate-tokens.js';
import { schemaInPrompt } from './schema-in-prompt.js';
import {
  parseDirectives,
  steeredTool,
  stripDirectives,
  type SimDirectives,
} from './parse-directives.js';
import { planResponse, type SimPrompt } from './plan-response.js';
import type { PreparedRequest } from './prepared-request.js';
import { readOpenAiMessages } from './read-openai-messages.js';
import { openAiPrefixes } from './prompt-prefixes.js';
import { promptCacheOf, type SimModelSpec, type SimProviderSpec } from './sim-types.js';
import { invalidRequest, modelNotFound, openAiError } from './wire-errors.js';

type Body = Record<string, unknown>;

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(message: string, param: string | null, code: string | null = 'invalid_value'): never {
  throw invalidRequest('openai-compatible', message, param, code);
}

function findModel(provider: SimProviderSpec, body: Body): SimModelSpec {
  const name = body['model'];
  if (typeof name !== 'string' || name === '')
    bad('you must provide a model parameter', 'model', null);
  const model = provider.models.find((candidate) => candidate.name === name);
  if (model === undefined) throw modelNotFound('openai-compatible', name);
  return model;
}

function optionalNumber(
  body: Body,
  key: string,
  minimum: number,
  maximum: number,
  integer: boolean,
): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value))
  ) {
    bad(
      `Invalid type for '${key}': expected ${integer ? 'an integer' : 'a number'}, but got ${JSON.stringify(value)} instead.`,
      key,
      'invalid_type',
    );
  }
  if (value < minimum)
    bad(
      `Invalid '${key}': integer below minimum value. Expected a value >= ${minimum}, but got ${value} instead.`,
      key,
    );
  if (value > maximum)
    bad(
      `Invalid '${key}': number above maximum value. Expected a value <= ${maximum}, but got ${value} instead.`,
      key,
    );
  return value;
}

interface CommonParams {
  maxTokens: number;
  choiceCount: number;
  stop: string[];
  stream: boolean;
  streamUsage: boolean;
}

function readCommon(
  body: Body,
  model: SimModelSpec,
  provider: SimProviderSpec,
  defaultMaxTokens: number,
): CommonParams {
  optionalNumber(body, 'temperature', 0, 2, false);
  optionalNumber(body, 'top_p', 0, 1, false);
  const choiceCount = optionalNumber(body, 'n', 1, 128, true) ?? 1;
  if (
    body['max_tokens'] !== undefined &&
    body['max_tokens'] !== null &&
    provider.flavor === 'openai' &&
    model.reasoning === true
  ) {
    bad(
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      'max_tokens',
      'unsupported_parameter',
    );
  }
  const key =
    body['max_completion_tokens'] !== undefined && body['max_completion_tokens'] !== null
      ? 'max_completion_tokens'
      : 'max_tokens';
  const maxTokens = optionalNumber(body, key, 1, Number.MAX_SAFE_INTEGER, true);
  if (maxTokens !== undefined && maxTokens > model.maxOutputTokens) {
    bad(
      `${key} is too large: ${maxTokens}. This model supports at most ${model.maxOutputTokens} completion tokens, whereas you provided ${maxTokens}.`,
      key,
    );
  }
  const stopValue = body['stop'];
  let stop: string[] = [];
  if (typeof stopValue === 'string') stop = [stopValue];
  else if (Array.isArray(stopValue)) {
    if (stopValue.length > 4 || stopValue.some((entry) => typeof entry !== 'string'))
      bad("Invalid 'stop': expected a string or an array of at most 4 strings.", 'stop');
    stop = stopValue as string[];
  } else if (stopValue !== undefined && stopValue !== null)
    bad("Invalid type for 'stop'.", 'stop', 'invalid_type');
  const streamValue = body['stream'];
  if (streamValue !== undefined && streamValue !== null && typeof streamValue !== 'boolean')
    bad("Invalid type for 'stream': expected a boolean.", 'stream', 'invalid_type');
  const stream = streamValue === true;
  const options = body['stream_options'];
  if (options !== undefined && options !== null) {
    if (!stream)
      bad(
        "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
        'stream_options',
        null,
      );
    if (!isRecord(options))
      bad(
        "Invalid type for 'stream_options': expected an object.",
        'stream_options',
        'invalid_type',
      );
  }
  const streamUsage = isRecord(options) && options['include_usage'] === true;
  return { maxTokens: maxTokens ?? defaultMaxTokens, choiceCount, stop, stream, streamUsage };
}

/** The determinism seed: provider + body without stream flags, directives stripped. */
function requestSeed(provider: SimProviderSpec, body: Body, endpoint: string): number {
  const { stream: _stream, stream_options: _options, ...rest } = body;
  return hashText(`${provider.id}\n${endpoint}\n${stripDirectives(JSON.stringify(rest))}`);
}

function contextError(model: SimModelSpec, promptTokens: number): never {
  throw openAiError(
    400,
    `This model's maximum context length is ${model.contextWindow} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`,
    { param: 'messages', code: 'context_length_exceeded', outcome: 'context_length' },
  );
}

function readTool(
  body: Body,
  lastIsToolResult: boolean,
  directives: SimDirectives,
): SimPrompt['tool'] {
  const tools = body['tools'];
  const choice = body['tool_choice'];
  if (tools === undefined || tools === null) {
    if (choice !== undefined && choice !== null)
      bad(
        "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
        'tool_choice',
        null,
      );
    return undefined;
  }
  if (!Array.isArray(tools))
    bad("Invalid type for 'tools': expected an array.", 'tools', 'invalid_type');
  const definitions = tools.map((tool, index) => {
    const fn = isRecord(tool) ? tool['function'] : undefined;
    if (
      !isRecord(tool) ||
      tool['type'] !== 'function' ||
      !isRecord(fn) ||
      typeof fn['name'] !== 'string'
    ) {
      bad(
        `Missing required parameter: 'tools[${index}].function.name'.`,
        `tools[${index}].function.name`,
        'missing_required_parameter',
      );
    }
    return { name: fn['name'], schema: fn['parameters'] ?? { type: 'object', properties: {} } };
  });
  if (definitions.length === 0 || choice === 'none') return undefined;
  if (choice === 'required')
    return steeredTool(definitions, {
      ...directives,
      tool: directives.tool === 'none' ? undefined : directives.tool,
    });
  if (choice === undefined || choice === null || choice === 'auto')
    return lastIsToolResult ? undefined : steeredTool(definitions, directives);
  const named =
    isRecord(choice) && isRecord(choice['function']) ? choice['function']['name'] : undefined;
  if (typeof named !== 'string') bad("Invalid value for 'tool_choice'.", 'tool_choice');
  const forced = definitions.find((definition) => definition.name === named);
  if (forced === undefined)
    bad(
      `Invalid value for 'tool_choice': no function named '${named}' was specified in the 'tools' parameter.`,
      'tool_choice',
      null,
    );
  return forced;
}

function readJsonMode(body: Body, promptText: string): SimPrompt['json'] {
  const format = body['response_format'];
  if (format === undefined || format === null) return undefined;
  if (!isRecord(format))
    bad(
      "Invalid type for 'response_format': expected an object.",
      'response_format',
      'invalid_type',
    );
  if (format['type'] === 'text') return undefined;
  if (format['type'] === 'json_object') {
    if (!/json/i.test(promptText))
      bad(
        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
        'messages',
        null,
      );
    return schemaInPrompt(promptText);
  }
  if (format['type'] === 'json_schema') {
    const spec = format['json_schema'];
    if (!isRecord(spec) || typeof spec['name'] !== 'string')
      bad(
        "Missing required parameter: 'response_format.json_schema.name'.",
        'response_format.json_schema.name',
        'missing_required_parameter',
      );
    return { schema: spec['schema'] ?? { type: 'object', properties: {} } };
  }
  return bad(
    `Invalid value: '${String(format['type'])}'. Supported values are: 'json_object', 'json_schema', and 'text'.`,
    'response_format.type',
  );
}

/**
 * Whether the model reasons: reasoning models do; on the DeepSeek flavor, `thinking: {type:
 * "enabled" | "disabled"}` turns thinking mode on or off for any model, as DeepSeek's API does.
 */
function thinkingMode(
  provider: SimProviderSpec,
  model: { reasoning?: boolean },
  body: Body,
): boolean {
  const thinking = body['thinking'];
  if (provider.flavor === 'deepseek' && thinking !== undefined && thinking !== null) {
    if (!isRecord(thinking) || (thinking['type'] !== 'enabled' && thinking['type'] !== 'disabled'))
      bad("Invalid value for 'thinking.type': expected 'enabled' or 'disabled'.", 'thinking.type');
    return thinking['type'] === 'enabled';
  }
  return model.reasoning === true;
}

/** Validates and plans `POST /v1/chat/completions`. Throws SimHttpError (OpenAI shape). */
export function prepareOpenAiChat(provider: SimProviderSpec, body: unknown): PreparedRequest {
  if (!isRecord(body))
    bad(
      'We could not parse the JSON body of your request. The body must be a JSON object.',
      null,
      null,
    );
  const model = findModel(provider, body);
  const summary = readOpenAiMessages(body['messages']);
  const common = readCommon(body, model, provider, model.maxOutputTokens);
  const directives = parseDirectives(summary.lastUserText);
  const tool = readTool(body, summary.lastIsToolResult, directives);
  const toolsText = body['tools'] === undefined ? '' : JSON.stringify(body['tools']);
  const promptTokens = estimateTokens(summary.promptText) + estimateTokens(toolsText);
  if (promptTokens > model.contextWindow) contextError(model, promptTokens);
  const json = readJsonMode(body, summary.promptText);
  const seed = requestSeed(provider, body, 'chat');
  const reasons = thinkingMode(provider, model, body);
  const prompt: SimPrompt = {
    kind: 'chat',
    prefix: `[simulated ${model.name} via ${provider.id}] `,
    seed,
    language: detectLanguage(`${summary.lastUserText}\n${summary.systemText}`),
    choiceCount: common.choiceCount,
    maxTokens: common.maxTokens,
    stop: common.stop,
    reasoning: reasons,
    toolIdPrefix: 'call_',
  };
  if (directives.tokens !== undefined) prompt.targetTokens = directives.tokens;
  if (tool !== undefined) prompt.tool = tool;
  if (json !== undefined) prompt.json = json;
  return {
    endpoint: 'chat',
    model,
    stream: common.stream,
    streamUsage: common.streamUsage,
    directives,
    seed,
    choices: planResponse(prompt),
    jsonMode: json !== undefined,
    visibleReasoning: reasons && provider.flavor !== 'openai',
    promptTokens,
    prefixes: openAiPrefixes(body, promptTokens, promptCacheOf(provider) === 'marks'),
  };
}

/** Validates and plans `POST /v1/completions` (legacy and FIM with `suffix`). */
export function prepareOpenAiCompletion(provider: SimProviderSpec, body: unknown): PreparedRequest {
  if (!isRecord(body))
    bad(
      'We could not parse the JSON body of your request. The body must be a JSON object.',
      null,
      null,
    );
  const model = findModel(provider, body);
  if (model.completions !== true) {
    throw openAiError(
      404,
      'This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?',
      { param: 'model', code: 'unsupported_endpoint' },
    );
  }
  const promptValue = body['prompt'];
  let prompts: string[];
  if (typeof promptValue === 'string') prompts = [promptValue];
  else if (
    Array.isArray(promptValue) &&
    promptValue.length > 0 &&
    promptValue.every((entry) => typeof entry === 'string')
  )
    prompts = promptValue as string[];
  else
    return bad(
      "Invalid 'prompt': expected a string or a non-empty array of strings.",
      'prompt',
      promptValue === undefined ? 'missing_required_parameter' : 'invalid_type',
    );
  const suffix = body['suffix'];
  if (suffix !== undefined && suffix !== null && typeof suffix !== 'string')
    bad("Invalid type for 'suffix': expected a string.", 'suffix', 'invalid_type');
  const common = readCommon(body, model, provider, 16);
  const suffixText = typeof suffix === 'string' ? suffix : '';
  const promptTokens =
    prompts.reduce((total, text) => total + estimateTokens(text), 0) + estimateTokens(suffixText);
  if (promptTokens > model.contextWindow) contextError(model, promptTokens);
  const lastPrompt = prompts[prompts.length - 1] ?? '';
  const directives = parseDirectives(lastPrompt);
  const seed = requestSeed(provider, body, 'completion');
  const prompt: SimPrompt = {
    kind: 'completion',
    prefix: `[simulated ${model.name} via ${provider.id}] `,
    seed,
    language: detectLanguage(`${lastPrompt}\n${suffixText}`),
    choiceCount: common.choiceCount * prompts.length,
    maxTokens: common.maxTokens,
    stop: common.stop,
    reasoning: false,
    toolIdPrefix: 'call_',
  };
  if (directives.tokens !== undefined) prompt.targetTokens = directives.tokens;
  const prepared: PreparedRequest = {
    endpoint: 'completion',
    model,
    stream: common.stream,
    streamUsage: common.streamUsage,
    directives,
    seed,
    choices: planResponse(prompt),
    jsonMode: false,
    visibleReasoning: false,
    promptTokens,
    prefixes: [],
  };
  if (body['echo'] === true)
    prepared.echo = prepared.choices.map(
      (_choice, index) => prompts[Math.floor(index / common.choiceCount)] ?? '',
    );
  return prepared;
}
