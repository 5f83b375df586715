import { encryptedBlock } from '../../core/reasoning-blocks.js';
import type { ReasoningBlock, ToolCall } from '../../core/request.js';
import type { Choice, FinishReason, ModelResponse, Usage } from '../../core/response.js';
import {
  badResponse,
  errorDetailFromPayload,
  errorFromPayload,
  isRecord,
  type UpstreamErrorContext,
} from '../upstream-errors.js';

type JsonObject = Record<string, unknown>;

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Responses `usage` → canonical (cached and reasoning tokens from their details). */
export function decodeResponsesUsage(usage: JsonObject): Usage {
  const decoded: Usage = {
    inputTokens: isNumber(usage.input_tokens) ? usage.input_tokens : 0,
    outputTokens: isNumber(usage.output_tokens) ? usage.output_tokens : 0,
  };
  const input = isRecord(usage.input_tokens_details) ? usage.input_tokens_details : {};
  if (isNumber(input.cached_tokens)) decoded.cachedInputTokens = input.cached_tokens;
  const output = isRecord(usage.output_tokens_details) ? usage.output_tokens_details : {};
  if (isNumber(output.reasoning_tokens)) decoded.reasoningTokens = output.reasoning_tokens;
  return decoded;
}

/** The finish reason of a final response: its status, its incomplete reason, its calls. */
export function responseFinishReason(response: JsonObject, hasToolCalls: boolean): FinishReason {
  if (response.status === 'incomplete') {
    const details = isRecord(response.incomplete_details) ? response.incomplete_details : {};
    return details.reason === 'content_filter' ? 'content_filter' : 'length';
  }
  return hasToolCalls ? 'tool_calls' : 'stop';
}

/** The error of a `failed` response (or of an `error` event), as a GatewayError. */
export function failedResponseError(value: unknown, context: UpstreamErrorContext): Error {
  const error = isRecord(value) && isRecord(value.error) ? value.error : value;
  const detail = errorDetailFromPayload({ error }) ?? { message: 'the response failed' };
  return errorFromPayload(detail, context);
}

/** The reasoning text of a reasoning item: its summary, else its raw reasoning text. */
export function reasoningItemText(item: JsonObject): string {
  const summary = Array.isArray(item.summary) ? item.summary : [];
  let text = '';
  for (const part of summary)
    if (isRecord(part) && typeof part.text === 'string') text += part.text;
  if (text !== '' || !Array.isArray(item.content)) return text;
  for (const part of item.content)
    if (isRecord(part) && typeof part.text === 'string') text += part.text;
  return text;
}

/** A reasoning item's encrypted content and id, when it has them. */
export function reasoningItemEncrypted(
  item: JsonObject,
): { data: string; id?: string } | undefined {
  if (typeof item.encrypted_content !== 'string' || item.encrypted_content === '') return undefined;
  return typeof item.id === 'string'
    ? { data: item.encrypted_content, id: item.id }
    : { data: item.encrypted_content };
}

/** The text of a message item: its `output_text` parts (a `refusal` part counts as text). */
export function messageItemText(item: JsonObject): string {
  let text = '';
  for (const part of Array.isArray(item.content) ? item.content : []) {
    if (!isRecord(part)) continue;
    if (part.type === 'output_text' && typeof part.text === 'string') text += part.text;
    else if (part.type === 'refusal' && typeof part.refusal === 'string') text += part.refusal;
  }
  return text;
}

/**
 * A `response` object → canonical. Output items: `reasoning` (summary text, and an `encrypted`
 * reasoning block per item when it has encrypted content),
 * `message` (text), `function_call` (a tool call, `call_id` as its id). A `failed` response is
 * an error; item types the gateway never asks for (hosted tool calls) are a bad response.
 */
export function decodeResponsesResponse(
  payload: unknown,
  fallbackModel: string,
  context: UpstreamErrorContext,
): ModelResponse {
  if (!isRecord(payload))
    throw badResponse(context, 'upstream returned a JSON value that is not an object');
  if (payload.status === 'failed') throw failedResponseError(payload, context);
  if (!Array.isArray(payload.output)) {
    const detail = errorDetailFromPayload(payload);
    if (detail !== undefined) throw errorFromPayload(detail, context);
    throw badResponse(context, 'upstream response has no output');
  }
  let text = '';
  let reasoning = '';
  const blocks: ReasoningBlock[] = [];
  const toolCalls: ToolCall[] = [];
  for (const item of payload.output) {
    if (!isRecord(item)) continue;
    switch (item.type) {
      case 'reasoning': {
        const itemText = reasoningItemText(item);
        reasoning += itemText;
        const encrypted = reasoningItemEncrypted(item);
        blocks.push(
          encrypted === undefined
            ? { type: 'thinking', text: itemText }
            : encryptedBlock(itemText, encrypted.data, encrypted.id),
        );
        break;
      }
      case 'message':
        text += messageItemText(item);
        break;
      case 'function_call':
        toolCalls.push({
          id: typeof item.call_id === 'string' ? item.call_id : '',
          name: typeof item.name === 'string' ? item.name : '',
          arguments: typeof item.arguments === 'string' ? item.arguments : '',
        });
        break;
      default:
        throw badResponse(
          context,
          `upstream response has an output item of type ${JSON.stringify(item.type)}, which the gateway never asks for`,
        );
    }
  }
  const choice: Choice = {
    index: 0,
    text,
    toolCalls,
    finishReason: responseFinishReason(payload, toolCalls.length > 0),
  };
  if (reasoning !== '') choice.reasoning = reasoning;
  if (blocks.some((block) => block.type === 'encrypted')) choice.reasoningBlocks = blocks;
  const response: ModelResponse = {
    id: typeof payload.id === 'string' ? payload.id : '',
    model:
      typeof payload.model === 'string' && payload.model !== '' ? payload.model : fallbackModel,
    created: isNumber(payload.created_at) ? payload.created_at : Math.floor(Date.now() / 1000),
    choices: [choice],
  };
  if (isRecord(payload.usage)) response.usage = decodeResponsesUsage(payload.usage);
  return response;
}
