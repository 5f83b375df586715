import { GatewayError } from '../../core/errors.js';
import type { ChatRequest } from '../../core/request.js';
import {
  invalidRequest,
  isObject,
  nowSeconds,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  type JsonObject,
} from '../field-readers.js';
import { InputDecoder } from './decode-responses-input.js';
import {
  decodeResponsesToolChoice,
  decodeResponsesTools,
  decodeTextFormat,
} from './decode-responses-tools.js';
import { attachResponsesCall, type ResponsesCall } from './responses-call.js';

/** A stored response a request continues (`previous_response_id`), already looked up. */
export interface PreviousResponse {
  id: string;
  /** The stored response's conversation input items (its own previous ones included). */
  inputItems: unknown[];
  /** Its output items. */
  output: unknown[];
}

export interface DecodeResponsesOptions {
  /** Whether this gateway stores responses (the ledger's database is on and storing is enabled). */
  storing: boolean;
  /** The response named by `previous_response_id`, when the body names one. */
  previous?: PreviousResponse;
  /** Mints `resp_…` ids. */
  newResponseId: () => string;
}

/**
 * Every top-level field of `POST /v1/responses` this dialect knows. Anything else is refused by
 * name; the fields here are translated, echoed on the response, or refused with a reason
 * (docs/compatibility.md has the table).
 */
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
  'store',
  'stream',
  'stream_options',
  'previous_response_id',
  'include',
  'prompt_cache_key',
  'service_tier',
  'truncation',
  'background',
  'top_logprobs',
  'conversation',
  'prompt',
  'context_management',
  'moderation',
  'prompt_cache_options',
  'prompt_cache_retention',
  'max_tool_calls',
  // Read and not used: Codex CLI's request bookkeeping (installation id, turn metadata), sent on every turn.
  'client_metadata',
]);

/** Fields refused whenever they are set: features of OpenAI's platform with no counterpart here. */
const REFUSED_FIELDS: Record<string, string> = {
  conversation: 'the Conversations API is not served; use previous_response_id or send the items',
  prompt: "prompt templates live on OpenAI's platform",
  context_management: 'server-side context compaction is not offered',
  moderation: 'moderation is not offered',
  prompt_cache_options: 'prompt cache options are OpenAI-specific',
  prompt_cache_retention: 'prompt cache retention is OpenAI-specific',
  max_tool_calls: 'it limits hosted tool calls, which are not served',
};

const SUPPORTED_INCLUDES = new Set(['reasoning.encrypted_content']);

/**
 * Decodes a `POST /v1/responses` body into a canonical ChatRequest and attaches the Responses
 * side of it (see ResponsesCall). `instructions` becomes the first system message; a previous
 * response's input and output items come before this request's input.
 */
export function decodeResponsesRequest(
  body: unknown,
  options: DecodeResponsesOptions,
): ChatRequest {
  if (!isObject(body)) throw invalidRequest('The request body must be a JSON object', 'body');
  for (const key of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(key)) throw invalidRequest(`Unknown field \`${key}\``, key);
    const refusal = REFUSED_FIELDS[key];
    if (refusal !== undefined && body[key] !== null && body[key] !== undefined) {
      throw new GatewayError('unsupported', `\`${key}\` is not supported: ${refusal}.`, {
        param: key,
      });
    }
  }
  refusePlatformOptions(body);
  const model = requireString(body.model, 'model', false);
  const stream = optionalBoolean(body.stream, 'stream') ?? false;
  decodeStreamOptions(body.stream_options);
  const store = optionalBoolean(body.store, 'store') ?? true;
  const previousId = optionalString(body.previous_response_id, 'previous_response_id');
  if (previousId !== undefined && !options.storing) {
    throw new GatewayError(
      'unsupported',
      '`previous_response_id` needs stored responses, and this gateway does not store them (the ledger is off or responses.store is disabled). Send the conversation as input items instead.',
      { param: 'previous_response_id' },
    );
  }
  const tools = decodeResponsesTools(body.tools);
  const instructions = optionalString(body.instructions, 'instructions');

  const decoder = new InputDecoder();
  if (instructions !== undefined && instructions !== '')
    decoder.messages.push({ role: 'system', content: instructions });
  const previous = previousId === undefined ? undefined : options.previous;
  if (previousId !== undefined && previous?.id !== previousId)
    throw new Error('decodeResponsesRequest: the previous response was not looked up');
  if (previous !== undefined)
    decoder.addItems([...previous.inputItems, ...previous.output], 'previous_response_id');
  const input = body.input;
  let inputItems: unknown[];
  if (typeof input === 'string') {
    decoder.addText(input);
    inputItems = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: input }] },
    ];
  } else if (Array.isArray(input)) {
    decoder.addItems(input, 'input');
    inputItems = input;
  } else {
    throw invalidRequest('`input` must be a string or an array of input items', 'input');
  }
  const messages = decoder.messages;
  if (!messages.some((message) => message.role !== 'system'))
    throw invalidRequest('`input` must hold at least one message or item', 'input');

  const request: ChatRequest = { kind: 'chat', model, messages, stream };
  if (stream) request.streamUsage = true;
  if (tools.tools.length > 0) request.tools = tools.tools;
  const toolChoice = decodeResponsesToolChoice(body.tool_choice, tools);
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  const parallelToolCalls = optionalBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  if (parallelToolCalls !== undefined) request.parallelToolCalls = parallelToolCalls;
  const maxTokens = optionalInteger(body.max_output_tokens, 'max_output_tokens', 1);
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  const temperature = optionalNumber(body.temperature, 'temperature', 0, 2);
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumber(body.top_p, 'top_p', 0, 1);
  if (topP !== undefined) request.topP = topP;
  const user =
    optionalString(body.safety_identifier, 'safety_identifier') ??
    optionalString(body.user, 'user');
  if (user !== undefined) request.user = user;
  const text = decodeTextConfig(body.text);
  if (text.format !== undefined) request.responseFormat = text.format;
  if (text.verbosity !== undefined) request.verbosity = text.verbosity;
  const reasoning = decodeReasoning(body.reasoning);
  if (reasoning.effort !== undefined) request.reasoningEffort = reasoning.effort;
  if (reasoning.summary !== undefined) request.reasoningSummary = reasoning.summary;
  const metadata = decodeMetadata(body.metadata);
  const encryptedReasoning = decodeInclude(body.include);
  const promptCacheKey = optionalString(body.prompt_cache_key, 'prompt_cache_key');
  if (promptCacheKey !== undefined) request.promptCacheKey = promptCacheKey;

  const call: ResponsesCall = {
    responseId: options.newResponseId(),
    createdAt: nowSeconds(),
    customTools: tools.custom,
    encryptedReasoning,
    store: store && options.storing,
    inputItems:
      previous === undefined
        ? inputItems
        : [...previous.inputItems, ...previous.output, ...inputItems],
    echo: {
      instructions: instructions ?? null,
      max_output_tokens: maxTokens ?? null,
      metadata,
      parallel_tool_calls: parallelToolCalls ?? true,
      previous_response_id: previousId ?? null,
      reasoning: { effort: reasoning.wireEffort ?? null, summary: reasoning.summary ?? null },
      temperature: temperature ?? null,
      text: {
        format: isObject(text.wire) ? text.wire : { type: 'text' },
        ...(text.verbosity === undefined ? {} : { verbosity: text.verbosity }),
      },
      tool_choice: body.tool_choice ?? 'auto',
      tools: Array.isArray(body.tools) ? body.tools : [],
      top_p: topP ?? null,
      truncation: 'disabled',
      user: optionalString(body.user, 'user') ?? null,
      ...(body.safety_identifier === undefined || body.safety_identifier === null
        ? {}
        : { safety_identifier: body.safety_identifier }),
      ...(promptCacheKey === undefined ? {} : { prompt_cache_key: promptCacheKey }),
      service_tier: body.service_tier ?? 'default',
    },
  };
  attachResponsesCall(request, call);
  return request;
}

function refusePlatformOptions(body: JsonObject): void {
  if (optionalBoolean(body.background, 'background') === true) {
    throw new GatewayError(
      'unsupported',
      '`background: true` is not supported: responses are answered while the request is open.',
      { param: 'background' },
    );
  }
  const topLogprobs = optionalInteger(body.top_logprobs, 'top_logprobs', 0, 20);
  if (topLogprobs !== undefined && topLogprobs > 0) {
    throw new GatewayError(
      'unsupported',
      '`top_logprobs` is not supported: log probabilities are not carried through the gateway.',
      { param: 'top_logprobs' },
    );
  }
  const truncation = optionalString(body.truncation, 'truncation');
  if (truncation !== undefined && truncation !== 'disabled') {
    if (truncation === 'auto')
      throw new GatewayError(
        'unsupported',
        '`truncation: "auto"` is not supported: the gateway never drops input items; a prompt over the context window fails over to a larger model or fails with context_length_exceeded.',
        { param: 'truncation' },
      );
    throw invalidRequest('`truncation` must be "auto" or "disabled"', 'truncation');
  }
  const tier = optionalString(body.service_tier, 'service_tier');
  if (tier !== undefined && tier !== 'auto' && tier !== 'default') {
    throw new GatewayError(
      'unsupported',
      `\`service_tier: ${JSON.stringify(tier)}\` is not supported: the gateway routes by its own policy; send "auto" or "default".`,
      { param: 'service_tier' },
    );
  }
}

function decodeStreamOptions(value: unknown): void {
  if (value === undefined || value === null) return;
  const options = requireObject(value, 'stream_options');
  for (const key of Object.keys(options)) {
    if (key !== 'include_obfuscation')
      throw invalidRequest(`Unknown field \`stream_options.${key}\``, `stream_options.${key}`);
  }
  // Accepted either way: events carry no obfuscation padding (the gateway is not a side channel's target).
  optionalBoolean(options.include_obfuscation, 'stream_options.include_obfuscation');
}

type Verbosity = ChatRequest['verbosity'];
type Summary = ChatRequest['reasoningSummary'];

function decodeTextConfig(value: unknown): {
  format?: ChatRequest['responseFormat'];
  wire?: unknown;
  verbosity?: Verbosity;
} {
  if (value === undefined || value === null) return {};
  const text = requireObject(value, 'text');
  for (const key of Object.keys(text)) {
    if (key !== 'format' && key !== 'verbosity')
      throw invalidRequest(`Unknown field \`text.${key}\``, `text.${key}`);
  }
  const result: { format?: ChatRequest['responseFormat']; wire?: unknown; verbosity?: Verbosity } =
    {};
  const format = decodeTextFormat(text.format);
  if (format !== undefined) result.format = format;
  if (text.format !== undefined && text.format !== null) result.wire = text.format;
  const verbosity = optionalString(text.verbosity, 'text.verbosity');
  if (verbosity !== undefined) {
    if (verbosity !== 'low' && verbosity !== 'medium' && verbosity !== 'high')
      throw invalidRequest('`text.verbosity` must be one of low, medium, high', 'text.verbosity');
    result.verbosity = verbosity;
  }
  return result;
}

type Effort = ChatRequest['reasoningEffort'];

function decodeReasoning(value: unknown): {
  effort?: Effort;
  wireEffort?: string;
  summary?: Summary;
} {
  if (value === undefined || value === null) return {};
  const reasoning = requireObject(value, 'reasoning');
  for (const key of Object.keys(reasoning)) {
    if (key !== 'effort' && key !== 'summary' && key !== 'generate_summary')
      throw invalidRequest(`Unknown field \`reasoning.${key}\``, `reasoning.${key}`);
  }
  const result: { effort?: Effort; wireEffort?: string; summary?: Summary } = {};
  const wireEffort = optionalString(reasoning.effort, 'reasoning.effort');
  if (wireEffort !== undefined) {
    const effort = EFFORTS[wireEffort];
    if (effort === undefined)
      throw invalidRequest(
        '`reasoning.effort` must be one of none, minimal, low, medium, high, xhigh',
        'reasoning.effort',
      );
    result.effort = effort;
    result.wireEffort = wireEffort;
  }
  const summary =
    optionalString(reasoning.summary, 'reasoning.summary') ??
    optionalString(reasoning.generate_summary, 'reasoning.generate_summary');
  if (summary !== undefined) {
    if (summary !== 'auto' && summary !== 'concise' && summary !== 'detailed')
      throw invalidRequest(
        '`reasoning.summary` must be one of auto, concise, detailed',
        'reasoning.summary',
      );
    result.summary = summary;
  }
  return result;
}

/** OpenAI's efforts beyond the canonical four map to the nearest one, as on chat. */
const EFFORTS: Record<string, Effort> = {
  none: 'minimal',
  minimal: 'minimal',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
};

const MAX_METADATA_KEYS = 16;

/** Up to 16 string pairs (keys ≤ 64, values ≤ 512 characters), echoed on the response and stored with it. */
function decodeMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  const metadata = requireObject(value, 'metadata');
  const keys = Object.keys(metadata);
  if (keys.length > MAX_METADATA_KEYS)
    throw invalidRequest(`\`metadata\` may hold at most ${MAX_METADATA_KEYS} keys`, 'metadata');
  for (const key of keys) {
    if (key.length > 64)
      throw invalidRequest('`metadata` keys may be at most 64 characters', 'metadata');
    const entry = metadata[key];
    if (typeof entry !== 'string' || entry.length > 512)
      throw invalidRequest(
        `\`metadata.${key}\` must be a string of at most 512 characters`,
        `metadata.${key}`,
      );
  }
  return metadata as Record<string, string>;
}

function decodeInclude(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  const list = requireArray(value, 'include');
  let encrypted = false;
  for (let index = 0; index < list.length; index++) {
    const entry = requireString(list[index], `include[${index}]`);
    if (!SUPPORTED_INCLUDES.has(entry)) {
      throw new GatewayError(
        'unsupported',
        `\`include\` value ${JSON.stringify(entry)} is not supported; only "reasoning.encrypted_content" is.`,
        { param: `include[${index}]` },
      );
    }
    encrypted = true;
  }
  return encrypted;
}
