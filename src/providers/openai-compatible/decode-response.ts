import type { ToolCall } from '../../core/request.js';
import type { Choice, FinishReason, ModelResponse, Usage } from '../../core/response.js';
import {
  badResponse,
  errorDetailFromPayload,
  errorFromPayload,
  isRecord,
  type UpstreamErrorContext,
} from '../upstream-errors.js';
import type {
  WireChoice,
  WireChunk,
  WireContentChunk,
  WireMessage,
  WireToolCall,
  WireUsage,
} from './wire-types.js';

/**
 * OpenAI `finish_reason` → canonical. `function_call` (legacy) and `tool_use` count as tool
 * calls, Mistral's `model_length` as length; null and unknown values (`eos`, `error`, …) as stop.
 */
export function mapFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'length':
    case 'model_length':
    case 'max_tokens':
      return 'length';
    case 'tool_calls':
    case 'function_call':
    case 'tool_use':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/** OpenAI-shaped usage → canonical, with DeepSeek, OpenAI and OpenRouter cache/reasoning details. */
export function decodeUsage(usage: WireUsage): Usage {
  const decoded: Usage = {
    inputTokens: numberOr(usage.prompt_tokens, 0),
    outputTokens: numberOr(usage.completion_tokens, 0),
  };
  const cached = isNumber(usage.prompt_cache_hit_tokens)
    ? usage.prompt_cache_hit_tokens
    : usage.prompt_tokens_details?.cached_tokens;
  if (isNumber(cached)) decoded.cachedInputTokens = cached;
  const cacheWrite = usage.prompt_tokens_details?.cache_write_tokens;
  if (isNumber(cacheWrite)) decoded.cacheWriteTokens = cacheWrite;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (isNumber(reasoning)) decoded.reasoningTokens = reasoning;
  return decoded;
}

/** The visible answer text and reasoning of a message or delta (string or content chunks). */
export function messageText(message: WireMessage): { text: string; reasoning: string } {
  let reasoning = typeof message.reasoning_content === 'string' ? message.reasoning_content : '';
  if (reasoning === '' && typeof message.reasoning === 'string') reasoning = message.reasoning;
  const content = message.content;
  if (typeof content === 'string') return { text: content, reasoning };
  if (!Array.isArray(content)) return { text: '', reasoning };
  let text = '';
  for (const chunk of content) {
    if (chunk.type === 'text' && typeof chunk.text === 'string') text += chunk.text;
    else if (chunk.type === 'thinking') reasoning += thinkingText(chunk.thinking);
  }
  return { text, reasoning };
}

function thinkingText(thinking: WireContentChunk[] | string | undefined): string {
  if (typeof thinking === 'string') return thinking;
  if (!Array.isArray(thinking)) return '';
  let text = '';
  for (const chunk of thinking) if (typeof chunk.text === 'string') text += chunk.text;
  return text;
}

/** Tool-call arguments as JSON text; a few servers send an object instead of a string. */
export function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

/** The stop string vLLM reports in `stop_reason`, when generation ended on one. */
export function stopSequenceOf(choice: WireChoice, finishReason: FinishReason): string | undefined {
  return finishReason === 'stop' && typeof choice.stop_reason === 'string'
    ? choice.stop_reason
    : undefined;
}

/** Checks a parsed 2xx body: an `{error}` payload is thrown as such, a body without choices is bad. */
export function expectChoices(
  payload: unknown,
  context: UpstreamErrorContext,
): WireChunk & { choices: WireChoice[] } {
  if (!isRecord(payload))
    throw badResponse(context, 'upstream returned a JSON value that is not an object');
  const chunk = payload as WireChunk;
  if (!Array.isArray(chunk.choices) || chunk.choices.length === 0) {
    const detail =
      chunk.error !== undefined && chunk.error !== null
        ? errorDetailFromPayload(payload)
        : undefined;
    if (detail !== undefined) throw errorFromPayload(detail, context);
    throw badResponse(context, 'upstream response has no choices');
  }
  return chunk as WireChunk & { choices: WireChoice[] };
}

/** Decodes a `/chat/completions` or `/completions` JSON body into a ModelResponse. */
export function decodeResponse(
  payload: unknown,
  fallbackModel: string,
  context: UpstreamErrorContext,
): ModelResponse {
  const chunk = expectChoices(payload, context);
  const choices = chunk.choices.map((choice, position) => decodeChoice(choice, position));
  const response: ModelResponse = {
    id: typeof chunk.id === 'string' ? chunk.id : '',
    model: typeof chunk.model === 'string' && chunk.model !== '' ? chunk.model : fallbackModel,
    created: isNumber(chunk.created) ? chunk.created : Math.floor(Date.now() / 1000),
    choices,
  };
  if (isRecord(chunk.usage)) response.usage = decodeUsage(chunk.usage);
  if (typeof chunk.system_fingerprint === 'string')
    response.systemFingerprint = chunk.system_fingerprint;
  return response;
}

function decodeChoice(choice: WireChoice, position: number): Choice {
  const index = isNumber(choice.index) ? choice.index : position;
  const finishReason = mapFinishReason(choice.finish_reason);
  let text: string;
  let reasoning = '';
  let toolCalls: ToolCall[] = [];
  if (isRecord(choice.message)) {
    const message = choice.message;
    ({ text, reasoning } = messageText(message));
    if (Array.isArray(message.tool_calls))
      toolCalls = message.tool_calls.map((call, callPosition) =>
        decodeToolCall(call, index, callPosition),
      );
  } else {
    text = typeof choice.text === 'string' ? choice.text : '';
  }
  const decoded: Choice = { index, text, toolCalls, finishReason };
  if (reasoning !== '') decoded.reasoning = reasoning;
  if (isRecord(choice.logprobs)) decoded.logprobs = choice.logprobs;
  const stopSequence = stopSequenceOf(choice, finishReason);
  if (stopSequence !== undefined) decoded.stopSequence = stopSequence;
  return decoded;
}

function decodeToolCall(call: WireToolCall, choiceIndex: number, position: number): ToolCall {
  return {
    id:
      typeof call.id === 'string' && call.id !== ''
        ? call.id
        : syntheticToolCallId(choiceIndex, position),
    name: typeof call.function?.name === 'string' ? call.function.name : '',
    arguments: argumentsText(call.function?.arguments),
  };
}

/** Id for a tool call whose upstream gave none (some self-hosted servers). */
export function syntheticToolCallId(choiceIndex: number, toolIndex: number): string {
  return `call_${choiceIndex}_${toolIndex}`;
}

export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function numberOr(value: unknown, fallback: number): number {
  return isNumber(value) ? value : fallback;
}
