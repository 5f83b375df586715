import type { ReasoningBlock, ToolCall } from '../../core/request.js';
import type { Choice, FinishReason, ModelResponse, Usage } from '../../core/response.js';
import {
  badResponse,
  errorDetailFromPayload,
  errorFromPayload,
  isRecord,
  type UpstreamErrorContext,
} from '../upstream-errors.js';
import type { AnthropicMessage, AnthropicUsage } from './wire-types.js';

/** Anthropic `stop_reason` → canonical finish reason (null and unknown values → stop). */
export function mapStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    case 'pause_turn':
      return 'pause';
    default:
      return 'stop';
  }
}

/**
 * Anthropic usage → canonical. Anthropic counts cached prompt tokens apart from `input_tokens`;
 * the canonical `inputTokens` is the whole prompt, so cache reads and writes are added back. The
 * 1-hour part of the writes (`cache_creation.ephemeral_1h_input_tokens`) is kept apart: it is
 * priced higher.
 */
export function decodeAnthropicUsage(usage: AnthropicUsage): Usage {
  const input = count(usage.input_tokens);
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheWrite = count(usage.cache_creation_input_tokens);
  const decoded: Usage = {
    inputTokens: input + cacheRead + cacheWrite,
    outputTokens: count(usage.output_tokens),
  };
  if (typeof usage.cache_read_input_tokens === 'number') decoded.cachedInputTokens = cacheRead;
  if (typeof usage.cache_creation_input_tokens === 'number') decoded.cacheWriteTokens = cacheWrite;
  const oneHour = usage.cache_creation?.ephemeral_1h_input_tokens;
  if (typeof oneHour === 'number' && Number.isFinite(oneHour))
    decoded.cacheWrite1hTokens = Math.min(Math.max(0, oneHour), cacheWrite);
  return decoded;
}

function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Anthropic has no `created`; the gateway stamps the time it decoded the answer. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Decodes a Messages API JSON body into a ModelResponse with one choice. */
export function decodeAnthropicResponse(
  payload: unknown,
  fallbackModel: string,
  context: UpstreamErrorContext,
): ModelResponse {
  if (!isRecord(payload))
    throw badResponse(context, 'upstream returned a JSON value that is not an object');
  const message = payload as AnthropicMessage;
  if (!Array.isArray(message.content)) {
    const detail = payload['type'] === 'error' ? errorDetailFromPayload(payload) : undefined;
    if (detail !== undefined) throw errorFromPayload(detail, context);
    throw badResponse(context, 'upstream response has no content');
  }
  let text = '';
  let reasoning = '';
  const blocks: ReasoningBlock[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (!isRecord(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      reasoning += block.thinking;
      blocks.push(
        typeof block.signature === 'string' && block.signature !== ''
          ? { type: 'thinking', text: block.thinking, signature: block.signature }
          : { type: 'thinking', text: block.thinking },
      );
    } else if (block.type === 'redacted_thinking' && typeof block.data === 'string')
      blocks.push({ type: 'redacted', data: block.data });
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: typeof block.id === 'string' ? block.id : '',
        name: typeof block.name === 'string' ? block.name : '',
        arguments: JSON.stringify(block.input ?? {}),
      });
    }
  }
  const choice: Choice = {
    index: 0,
    text,
    toolCalls,
    finishReason: mapStopReason(message.stop_reason),
  };
  if (reasoning !== '') choice.reasoning = reasoning;
  // Signed and redacted blocks can go back to Anthropic: each signature covers its own block.
  if (blocks.some((entry) => entry.type === 'redacted' || 'signature' in entry))
    choice.reasoningBlocks = blocks;
  if (typeof message.stop_sequence === 'string') choice.stopSequence = message.stop_sequence;
  const response: ModelResponse = {
    id: typeof message.id === 'string' ? message.id : '',
    model:
      typeof message.model === 'string' && message.model !== '' ? message.model : fallbackModel,
    created: nowSeconds(),
    choices: [choice],
  };
  if (isRecord(message.usage)) response.usage = decodeAnthropicUsage(message.usage);
  return response;
}
