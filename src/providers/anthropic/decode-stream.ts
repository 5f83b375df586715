import type { FinishReason, StreamPart } from '../../core/response.js';
import type { SseEvent } from '../sse-parser.js';
import type { WireStreamDecoder } from '../upstream-stream.js';
import {
  badResponse,
  errorFromPayload,
  isRecord,
  type UpstreamErrorContext,
} from '../upstream-errors.js';
import { decodeAnthropicUsage, mapStopReason, nowSeconds } from './decode-response.js';
import type { AnthropicStreamEvent, AnthropicUsage } from './wire-types.js';

/**
 * Turns Anthropic Messages stream events into canonical parts. Content blocks are numbered by
 * the API across text, thinking and tool_use; the canonical `toolIndex` counts tool_use blocks
 * only. Usage starts from `message_start` and is updated by `message_delta` (whose fields,
 * when present, override); `finish` then `usage` are emitted on `message_stop`.
 */
export class AnthropicStreamDecoder implements WireStreamDecoder {
  private started = false;
  private stopped = false;
  private usage: AnthropicUsage = {};
  private finishReason: FinishReason = 'stop';
  private stopSequence: string | undefined;
  /** API content block index → canonical toolIndex, for tool_use blocks. */
  private readonly toolIndexByBlock = new Map<number, number>();

  constructor(
    private readonly context: UpstreamErrorContext,
    private readonly fallbackModel: string,
  ) {}

  /** True once `message_stop` arrived. */
  get isComplete(): boolean {
    return this.stopped;
  }

  push(event: SseEvent, out: StreamPart[]): void {
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch (error) {
      throw badResponse(
        this.context,
        `invalid JSON in upstream stream event: ${event.data.slice(0, 200)}`,
        error,
      );
    }
    if (!isRecord(payload))
      throw badResponse(this.context, 'upstream stream event is not a JSON object');
    const data = payload as AnthropicStreamEvent;
    const type = typeof data.type === 'string' ? data.type : event.event;
    switch (type) {
      case 'message_start':
        this.start(data, out);
        break;
      case 'content_block_start':
        this.requireStarted();
        this.blockStart(data, out);
        break;
      case 'content_block_delta':
        this.requireStarted();
        this.blockDelta(data, out);
        break;
      case 'message_delta':
        this.requireStarted();
        if (isRecord(data.delta)) {
          if (typeof data.delta.stop_reason === 'string')
            this.finishReason = mapStopReason(data.delta.stop_reason);
          if (typeof data.delta.stop_sequence === 'string')
            this.stopSequence = data.delta.stop_sequence;
        }
        if (isRecord(data.usage)) this.mergeUsage(data.usage);
        break;
      case 'message_stop':
        this.requireStarted();
        this.stopped = true;
        out.push(
          this.stopSequence === undefined
            ? { type: 'finish', index: 0, finishReason: this.finishReason }
            : {
                type: 'finish',
                index: 0,
                finishReason: this.finishReason,
                stopSequence: this.stopSequence,
              },
        );
        out.push({ type: 'usage', usage: decodeAnthropicUsage(this.usage) });
        break;
      case 'error': {
        const error = isRecord(data.error) ? data.error : {};
        const detail = { message: typeof error.message === 'string' ? error.message : '' };
        throw errorFromPayload(
          typeof error.type === 'string' ? { ...detail, type: error.type } : detail,
          this.context,
        );
      }
      default:
        // ping, content_block_stop and event types added later carry nothing to forward.
        break;
    }
  }

  /** Called after `message_stop` (nothing left to add) or when the body ended: without `message_stop` it was cut short. */
  end(): void {
    if (!this.stopped)
      throw badResponse(this.context, 'upstream stream ended before completion (no message_stop)');
  }

  private start(data: AnthropicStreamEvent, out: StreamPart[]): void {
    if (this.started) return;
    this.started = true;
    const message = isRecord(data.message) ? data.message : {};
    if (isRecord(message.usage)) this.usage = { ...message.usage };
    out.push({
      type: 'start',
      id: typeof message.id === 'string' ? message.id : '',
      model:
        typeof message.model === 'string' && message.model !== ''
          ? message.model
          : this.fallbackModel,
      created: nowSeconds(),
    });
  }

  private blockStart(data: AnthropicStreamEvent, out: StreamPart[]): void {
    const block = isRecord(data.content_block) ? data.content_block : {};
    const blockIndex = typeof data.index === 'number' ? data.index : -1;
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
      out.push({ type: 'text-delta', index: 0, text: block.text });
    } else if (
      block.type === 'thinking' &&
      typeof block.thinking === 'string' &&
      block.thinking !== ''
    ) {
      out.push({ type: 'reasoning-delta', index: 0, text: block.thinking });
    } else if (block.type === 'redacted_thinking' && typeof block.data === 'string') {
      out.push({ type: 'reasoning-redacted', index: 0, data: block.data });
    } else if (block.type === 'tool_use') {
      const toolIndex = this.toolIndexByBlock.size;
      this.toolIndexByBlock.set(blockIndex, toolIndex);
      out.push({
        type: 'tool-call-start',
        index: 0,
        toolIndex,
        id: typeof block.id === 'string' ? block.id : '',
        name: typeof block.name === 'string' ? block.name : '',
      });
      // Streams carry input as input_json_delta; a server that puts it whole in the start block is honoured too.
      if (isRecord(block.input) && Object.keys(block.input).length > 0) {
        out.push({
          type: 'tool-call-delta',
          index: 0,
          toolIndex,
          argumentsDelta: JSON.stringify(block.input),
        });
      }
    }
  }

  private blockDelta(data: AnthropicStreamEvent, out: StreamPart[]): void {
    const delta = isRecord(data.delta) ? data.delta : {};
    switch (delta.type) {
      case 'text_delta':
        if (typeof delta.text === 'string' && delta.text !== '')
          out.push({ type: 'text-delta', index: 0, text: delta.text });
        break;
      case 'thinking_delta':
        if (typeof delta.thinking === 'string' && delta.thinking !== '') {
          out.push({ type: 'reasoning-delta', index: 0, text: delta.thinking });
        }
        break;
      case 'input_json_delta': {
        const toolIndex = this.toolIndexByBlock.get(
          typeof data.index === 'number' ? data.index : -1,
        );
        if (
          toolIndex !== undefined &&
          typeof delta.partial_json === 'string' &&
          delta.partial_json !== ''
        ) {
          out.push({
            type: 'tool-call-delta',
            index: 0,
            toolIndex,
            argumentsDelta: delta.partial_json,
          });
        }
        break;
      }
      case 'signature_delta':
        // Ends the thinking block: its signature lets the reasoning go back to Anthropic.
        if (typeof delta.signature === 'string' && delta.signature !== '')
          out.push({ type: 'reasoning-signature', index: 0, signature: delta.signature });
        break;
      default:
        // citations_delta and delta types added later: nothing canonical to forward.
        break;
    }
  }

  private mergeUsage(update: AnthropicUsage): void {
    for (const key of [
      'input_tokens',
      'output_tokens',
      'cache_read_input_tokens',
      'cache_creation_input_tokens',
    ] as const) {
      const value = update[key];
      if (typeof value === 'number') this.usage[key] = value;
    }
    if (isRecord(update.cache_creation)) this.usage.cache_creation = { ...update.cache_creation };
  }

  private requireStarted(): void {
    if (!this.started)
      throw badResponse(this.context, 'upstream stream event before message_start');
  }
}
