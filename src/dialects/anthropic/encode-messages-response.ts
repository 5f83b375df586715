import type { Choice, ModelResponse } from '../../core/response.js';
import type { EncodeContext } from '../types.js';
import { encodeAnthropicUsage, type AnthropicUsage } from './encode-anthropic-usage.js';
import { anthropicStopReason, type AnthropicStopReason } from './stop-reason.js';

export type AnthropicContentBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: AnthropicStopReason;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}

/** The message id shown to the client: the upstream's when it is an Anthropic id, else one from the request id. */
export function anthropicMessageId(upstreamId: string, requestId: string): string {
  return upstreamId.startsWith('msg_') ? upstreamId : `msg_${requestId}`;
}

/**
 * Tool arguments → `tool_use.input`. Anthropic requires an object, so arguments that are not a
 * JSON object (invalid or truncated JSON, an array, a scalar, empty text) become `{}`.
 */
export function parseToolInput(argumentsText: string): Record<string, unknown> {
  if (argumentsText === '') return {};
  try {
    const value: unknown = JSON.parse(argumentsText);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/**
 * A canonical response as an Anthropic `message`. Only choice 0 is used (Anthropic has no `n`).
 * Reasoning comes first as `thinking` blocks: an Anthropic upstream's blocks with their signatures
 * (and its `redacted_thinking`), other upstreams' reasoning as one block with `signature: ""`.
 * An answer with no text and no tool calls has `content: []`, as the API itself returns.
 */
export function encodeMessagesResponse(
  response: ModelResponse,
  context: EncodeContext,
): AnthropicMessage {
  const choice = response.choices.find((candidate) => candidate.index === 0) ?? response.choices[0];
  const content: AnthropicContentBlock[] = choice === undefined ? [] : thinkingBlocks(choice);
  if (choice !== undefined && choice.text !== '') content.push({ type: 'text', text: choice.text });
  if (choice !== undefined) {
    for (const call of choice.toolCalls) {
      content.push({
        type: 'tool_use',
        id: call.id,
        name: call.name,
        input: parseToolInput(call.arguments),
      });
    }
  }
  return {
    id: anthropicMessageId(response.id, context.requestId),
    type: 'message',
    role: 'assistant',
    model: context.model,
    content,
    stop_reason:
      choice === undefined
        ? 'end_turn'
        : anthropicStopReason(choice.finishReason, choice.stopSequence),
    stop_sequence: choice?.stopSequence ?? null,
    usage: encodeAnthropicUsage(response.usage),
  };
}

/** A choice's reasoning as thinking blocks (see encodeMessagesResponse). */
export function thinkingBlocks(choice: Choice): AnthropicContentBlock[] {
  if (choice.reasoningBlocks !== undefined) {
    return choice.reasoningBlocks.map((block) =>
      block.type === 'redacted'
        ? { type: 'redacted_thinking', data: block.data }
        : {
            type: 'thinking',
            thinking: block.text,
            // Only Anthropic's own signatures go out; an encrypted Responses item is not one.
            signature: block.type === 'thinking' ? (block.signature ?? '') : '',
          },
    );
  }
  return choice.reasoning ? [{ type: 'thinking', thinking: choice.reasoning, signature: '' }] : [];
}
