import type { GatewayError } from '../../core/errors.js';
import type { StreamPart, Usage } from '../../core/response.js';
import type { EncodeContext, StreamEncoder } from '../types.js';
import { encodeAnthropicUsage } from './encode-anthropic-usage.js';
import { encodeErrorBody } from './encode-error.js';
import { anthropicMessageId } from './encode-messages-response.js';
import { anthropicStopReason, type AnthropicStopReason } from './stop-reason.js';

function sseEvent(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** `content_block_delta` up to the value of its `index`. */
const DELTA_HEAD = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":';

const NO_BLOCK = -1;
const TEXT_BLOCK = -2;
const THINKING_BLOCK = -3;

/**
 * Canonical stream parts → Anthropic Messages SSE: `message_start`, then content blocks opened
 * lazily and closed before the next one opens (`content_block_start` / `_delta` / `_stop`), then
 * at `end()` one `message_delta` (stop reason and usage) and `message_stop`.
 *
 * Only choice 0 is encoded. Reasoning becomes `thinking` blocks (`thinking_delta` events); an
 * Anthropic upstream's signature arrives as a `signature_delta` that ends its block, and its
 * redacted reasoning as a `redacted_thinking` block. Reasoning from other upstreams has no
 * signature: its block starts with `signature: ""` and gets no signature_delta (such blocks are
 * not sent back to Anthropic upstreams; docs/compatibility.md).
 * A stream with no content still yields message_start, message_delta, message_stop.
 * Should arguments for a tool call arrive after the next block opened (an upstream interleaving
 * parallel tool calls), they are sent as `input_json_delta` on that tool's own block index, which
 * the SDK accumulates by index; no argument text is lost.
 */
export function createMessagesStreamEncoder(context: EncodeContext): StreamEncoder {
  let started = false;
  let nextBlockIndex = 0;
  /** NO_BLOCK, TEXT_BLOCK, or the toolIndex of the open tool_use block. */
  let openBlock = NO_BLOCK;
  let openBlockIndex = 0;
  /** toolIndex → content block index. */
  const toolBlocks = new Map<number, number>();
  let stopReason: AnthropicStopReason | undefined;
  let stopSequence: string | null = null;
  let usage: Usage | undefined;

  function start(upstreamId: string): string {
    if (started) return '';
    started = true;
    return sseEvent('message_start', {
      type: 'message_start',
      message: {
        id: anthropicMessageId(upstreamId, context.requestId),
        type: 'message',
        role: 'assistant',
        model: context.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: encodeAnthropicUsage(undefined),
      },
    });
  }

  function closeBlock(): string {
    if (openBlock === NO_BLOCK) return '';
    openBlock = NO_BLOCK;
    return sseEvent('content_block_stop', { type: 'content_block_stop', index: openBlockIndex });
  }

  function openBlockEvent(block: Record<string, unknown>, kind: number): string {
    const text = closeBlock();
    openBlock = kind;
    openBlockIndex = nextBlockIndex++;
    return (
      text +
      sseEvent('content_block_start', {
        type: 'content_block_start',
        index: openBlockIndex,
        content_block: block,
      })
    );
  }

  // The per-token events are written around JSON.stringify of the dynamic text only (block
  // indexes are counters, so plain integers); same bytes as sseEvent() of the whole object.
  function inputDelta(index: number, partialJson: string): string {
    return `${DELTA_HEAD}${index},"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(partialJson)}}}\n\n`;
  }

  function thinkingDelta(index: number, text: string): string {
    return `${DELTA_HEAD}${index},"delta":{"type":"thinking_delta","thinking":${JSON.stringify(text)}}}\n\n`;
  }

  function signatureDelta(index: number, signature: string): string {
    return `${DELTA_HEAD}${index},"delta":{"type":"signature_delta","signature":${JSON.stringify(signature)}}}\n\n`;
  }

  function openThinking(): string {
    return openBlock === THINKING_BLOCK
      ? ''
      : openBlockEvent({ type: 'thinking', thinking: '', signature: '' }, THINKING_BLOCK);
  }

  function textDelta(index: number, text: string): string {
    return `${DELTA_HEAD}${index},"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}\n\n`;
  }

  return {
    push(part: StreamPart): string {
      if (part.type === 'start') return start(part.id);
      if (part.type === 'usage') {
        usage = part.usage;
        return start('');
      }
      if (part.index !== 0) return start('');
      switch (part.type) {
        case 'text-delta': {
          if (part.text === '') return start('');
          let text = start('');
          if (openBlock !== TEXT_BLOCK)
            text += openBlockEvent({ type: 'text', text: '' }, TEXT_BLOCK);
          return text + textDelta(openBlockIndex, part.text);
        }
        case 'tool-call-start': {
          const text =
            start('') +
            openBlockEvent(
              { type: 'tool_use', id: part.id, name: part.name, input: {} },
              part.toolIndex,
            );
          toolBlocks.set(part.toolIndex, openBlockIndex);
          return text;
        }
        case 'tool-call-delta': {
          const text = start('');
          if (part.argumentsDelta === '') return text;
          if (openBlock === part.toolIndex)
            return text + inputDelta(openBlockIndex, part.argumentsDelta);
          const blockIndex = toolBlocks.get(part.toolIndex);
          return blockIndex === undefined
            ? text
            : text + inputDelta(blockIndex, part.argumentsDelta);
        }
        case 'finish':
          stopReason = anthropicStopReason(part.finishReason, part.stopSequence);
          stopSequence = part.stopSequence ?? null;
          return start('') + closeBlock();
        case 'reasoning-delta':
          if (part.text === '') return start('');
          return start('') + openThinking() + thinkingDelta(openBlockIndex, part.text);
        case 'reasoning-signature': {
          const text = start('') + openThinking() + signatureDelta(openBlockIndex, part.signature);
          return text + closeBlock();
        }
        case 'reasoning-redacted':
          return (
            start('') +
            openBlockEvent({ type: 'redacted_thinking', data: part.data }, THINKING_BLOCK) +
            closeBlock()
          );
        case 'reasoning-encrypted':
          // An OpenAI Responses upstream's encrypted item ends its (unsigned) thinking block: the
          // token is not an Anthropic signature, so the block keeps `signature: ""`.
          return start('') + closeBlock();
        case 'logprobs':
          // Refused toward this dialect's requests; nothing to send.
          return start('');
      }
    },
    end(): string {
      const text = start('') + closeBlock();
      const reason = stopReason ?? (toolBlocks.size > 0 ? 'tool_use' : 'end_turn');
      return (
        text +
        sseEvent('message_delta', {
          type: 'message_delta',
          delta: { stop_reason: reason, stop_sequence: stopSequence },
          usage: encodeAnthropicUsage(usage),
        }) +
        sseEvent('message_stop', { type: 'message_stop' })
      );
    },
    error(error: GatewayError): string {
      return sseEvent('error', encodeErrorBody(error));
    },
  };
}
