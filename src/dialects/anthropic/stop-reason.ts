import type { FinishReason } from '../../core/response.js';

export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal';

/** Canonical finish reason → Anthropic `stop_reason`; a `stop` with a known stop sequence is `stop_sequence`. */
export function anthropicStopReason(
  reason: FinishReason,
  stopSequence: string | undefined,
): AnthropicStopReason {
  switch (reason) {
    case 'stop':
      return stopSequence === undefined ? 'end_turn' : 'stop_sequence';
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    case 'pause':
      return 'pause_turn';
  }
}
