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
import { checkBodyFields } from '../field-policy.js';
import {
  decodeInclude,
  decodeMetadata,
  decodeReasoning,
  decodeStreamOptions,
  decodeTextConfig,
  refusePlatformOptions,
} from './decode-responses-options.js';
import { attachResponsesCall, type ResponsesCall } from './responses-call.js';
import { RESPONSES_FIELD_POLICY } from './responses-field-policy.js';

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
 * Decodes a `POST /v1/responses` body into a canonical ChatRequest and attaches the Responses
 * side of it (see ResponsesCall). `instructions` becomes the first system message; a previous
 * response's input and output items come before this request's input.
 */
export function decodeResponsesRequest(
  body: unknown,
  options: DecodeResponsesOptions,
): ChatRequest {
  if (!isObject(body)) throw invalidRequest('The request body must be a JSON object', 'body');
  checkBodyFields(body, RESPONSES_FIELD_POLICY);
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
