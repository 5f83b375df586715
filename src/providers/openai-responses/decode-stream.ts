import type { StreamPart } from '../../core/response.js';
import type { SseEvent } from '../sse-parser.js';
import { badResponse, isRecord, type UpstreamErrorContext } from '../upstream-errors.js';
import type { WireStreamDecoder } from '../upstream-stream.js';
import {
  decodeResponsesUsage,
  failedResponseError,
  reasoningItemEncrypted,
  reasoningItemText,
  responseFinishReason,
} from './decode-response.js';

type JsonObject = Record<string, unknown>;

/**
 * Responses SSE events → canonical parts. `response.created` starts the stream; text, reasoning
 * summary (or raw reasoning text) and function-call argument deltas become deltas; a reasoning
 * item's `output_item.done` ends it as an encrypted block (`reasoning-encrypted`); `response.completed` / `response.incomplete`
 * finish it with usage. `response.failed` and `error` events are errors, and a stream that ends
 * without a final event was cut short. Other events (`*.done`, `content_part.*`, `in_progress`,
 * keep-alives) carry nothing new.
 */
export class ResponsesStreamDecoder implements WireStreamDecoder {
  private started = false;
  private done = false;
  /** Function-call items by output index → canonical tool index. */
  private readonly tools = new Map<number, number>();
  /** Reasoning items (by output index) whose text came as deltas. */
  private readonly streamedReasoning = new Set<number>();

  constructor(
    private readonly context: UpstreamErrorContext,
    private readonly fallbackModel: string,
  ) {}

  get isComplete(): boolean {
    return this.done;
  }

  push(event: SseEvent, out: StreamPart[]): void {
    const data = event.data.trim();
    if (data === '' || data === '[DONE]') return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch (error) {
      throw badResponse(
        this.context,
        `invalid JSON in upstream stream event: ${data.slice(0, 200)}`,
        error,
      );
    }
    if (!isRecord(payload))
      throw badResponse(this.context, 'upstream stream event is not a JSON object');
    const type = typeof payload.type === 'string' ? payload.type : event.event;
    const outputIndex = typeof payload.output_index === 'number' ? payload.output_index : -1;
    switch (type) {
      case 'response.created':
        this.start(isRecord(payload.response) ? payload.response : {}, out);
        return;
      case 'response.output_item.added':
        this.start({}, out);
        this.itemAdded(isRecord(payload.item) ? payload.item : {}, outputIndex, out);
        return;
      case 'response.output_text.delta':
        this.start({}, out);
        if (typeof payload.delta === 'string' && payload.delta !== '')
          out.push({ type: 'text-delta', index: 0, text: payload.delta });
        return;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        this.start({}, out);
        if (typeof payload.delta === 'string' && payload.delta !== '') {
          this.streamedReasoning.add(outputIndex);
          out.push({ type: 'reasoning-delta', index: 0, text: payload.delta });
        }
        return;
      case 'response.function_call_arguments.delta': {
        const toolIndex = this.tools.get(outputIndex);
        if (toolIndex !== undefined && typeof payload.delta === 'string' && payload.delta !== '')
          out.push({ type: 'tool-call-delta', index: 0, toolIndex, argumentsDelta: payload.delta });
        return;
      }
      case 'response.output_item.done':
        this.itemDone(isRecord(payload.item) ? payload.item : {}, outputIndex, out);
        return;
      case 'response.completed':
      case 'response.incomplete':
        this.finish(isRecord(payload.response) ? payload.response : {}, out);
        return;
      case 'response.failed':
        throw failedResponseError(payload.response, this.context);
      case 'error':
        throw failedResponseError(payload, this.context);
      default:
        return;
    }
  }

  end(_out: StreamPart[]): void {
    if (!this.done) throw badResponse(this.context, 'upstream stream ended before completion');
  }

  private start(response: JsonObject, out: StreamPart[]): void {
    if (this.started) return;
    this.started = true;
    out.push({
      type: 'start',
      id: typeof response.id === 'string' ? response.id : '',
      model:
        typeof response.model === 'string' && response.model !== ''
          ? response.model
          : this.fallbackModel,
      created:
        typeof response.created_at === 'number'
          ? response.created_at
          : Math.floor(Date.now() / 1000),
    });
  }

  private itemAdded(item: JsonObject, outputIndex: number, out: StreamPart[]): void {
    if (item.type === 'function_call') {
      const toolIndex = this.tools.size;
      this.tools.set(outputIndex, toolIndex);
      out.push({
        type: 'tool-call-start',
        index: 0,
        toolIndex,
        id: typeof item.call_id === 'string' ? item.call_id : '',
        name: typeof item.name === 'string' ? item.name : '',
      });
      if (typeof item.arguments === 'string' && item.arguments !== '')
        out.push({ type: 'tool-call-delta', index: 0, toolIndex, argumentsDelta: item.arguments });
    } else if (item.type !== 'message' && item.type !== 'reasoning') {
      throw badResponse(
        this.context,
        `upstream stream has an output item of type ${JSON.stringify(item.type)}, which the gateway never asks for`,
      );
    }
  }

  private itemDone(item: JsonObject, outputIndex: number, out: StreamPart[]): void {
    if (item.type !== 'reasoning') return;
    // Reasoning text that came whole (no deltas) arrives with the item.
    if (!this.streamedReasoning.has(outputIndex)) {
      const text = reasoningItemText(item);
      if (text !== '') out.push({ type: 'reasoning-delta', index: 0, text });
    }
    const encrypted = reasoningItemEncrypted(item);
    if (encrypted !== undefined) out.push({ type: 'reasoning-encrypted', index: 0, ...encrypted });
  }

  private finish(response: JsonObject, out: StreamPart[]): void {
    this.start(response, out);
    this.done = true;
    out.push({
      type: 'finish',
      index: 0,
      finishReason: responseFinishReason(response, this.tools.size > 0),
    });
    if (isRecord(response.usage))
      out.push({ type: 'usage', usage: decodeResponsesUsage(response.usage) });
  }
}
