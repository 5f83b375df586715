import type { FinishReason } from '../../core/response.js';

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';
export type CompletionFinishReason = 'stop' | 'length' | 'content_filter';

/** Canonical finish reason → chat `finish_reason`; `pause` has no OpenAI equivalent and reads as `stop`. */
export function chatFinishReason(reason: FinishReason): ChatFinishReason {
  return reason === 'pause' ? 'stop' : reason;
}

/** Canonical finish reason → legacy completion `finish_reason` (no tool calls there). */
export function completionFinishReason(reason: FinishReason): CompletionFinishReason {
  return reason === 'length' || reason === 'content_filter' ? reason : 'stop';
}
