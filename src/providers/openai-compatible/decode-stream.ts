import type { StreamPart, Usage } from '../../core/response.js';
import type { SseEvent } from '../sse-parser.js';
import type { WireStreamDecoder } from '../upstream-stream.js';
import {
  badResponse,
  errorDetailFromPayload,
  errorFromPayload,
  isRecord,
  type UpstreamErrorContext,
} from '../upstream-errors.js';
import {
  argumentsText,
  decodeUsage,
  isNumber,
  mapFinishReason,
  messageText,
  stopSequenceOf,
  syntheticToolCallId,
} from './decode-response.js';
import type { WireChoice, WireChunk, WireToolCall } from './wire-types.js';

interface ToolSlot {
  toolIndex: number;
  id: string | undefined;
}

interface ChoiceState {
  finished: boolean;
  /** Upstream `tool_calls[].index` → the call it currently designates. */
  slotsByWireIndex: Map<number, ToolSlot>;
  usedToolIndexes: Set<number>;
  nextToolIndex: number;
  lastSlot: ToolSlot | undefined;
}

/**
 * Turns OpenAI chat/completions stream chunks into canonical parts, one SSE data payload at a
 * time. Usage (from a usage-only chunk, a finish chunk, or Groq's `x_groq.usage`) is held and
 * emitted once, after every finish, when the stream ends.
 */
export class OpenAIStreamDecoder implements WireStreamDecoder {
  private started = false;
  private done = false;
  private usage: Usage | undefined;
  private readonly choices = new Map<number, ChoiceState>();

  constructor(
    private readonly context: UpstreamErrorContext,
    private readonly fallbackModel: string,
  ) {}

  /** True once `data: [DONE]` arrived. */
  get isComplete(): boolean {
    return this.done;
  }

  /** Decodes one SSE event, appending parts to `out`. */
  push(event: SseEvent, out: StreamPart[]): void {
    const data = event.data;
    if (data.charCodeAt(0) !== 123 /* '{' */) {
      const trimmed = data.trim();
      if (trimmed === '[DONE]') {
        this.done = true;
        return;
      }
      if (trimmed === '') return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch (error) {
      throw badResponse(
        this.context,
        `invalid JSON in upstream stream chunk: ${data.slice(0, 200)}`,
        error,
      );
    }
    if (!isRecord(payload))
      throw badResponse(this.context, 'upstream stream chunk is not a JSON object');
    const chunk = payload as WireChunk;
    // `{"error": …}` (OpenAI, OpenRouter, vLLM) or a bare `{"object": "error", …}` (older vLLM).
    if ((chunk.error !== undefined && chunk.error !== null) || chunk.object === 'error') {
      const detail = errorDetailFromPayload(payload) ?? { message: '' };
      throw errorFromPayload(detail, this.context);
    }
    if (!this.started) {
      this.started = true;
      out.push({
        type: 'start',
        id: typeof chunk.id === 'string' ? chunk.id : '',
        model:
          typeof chunk.model === 'string' && chunk.model !== '' ? chunk.model : this.fallbackModel,
        created: isNumber(chunk.created) ? chunk.created : Math.floor(Date.now() / 1000),
      });
    }
    if (Array.isArray(chunk.choices)) {
      for (let position = 0; position < chunk.choices.length; position += 1) {
        const choice = chunk.choices[position];
        if (isRecord(choice)) this.decodeChoice(choice, position, out);
      }
    }
    const usage = isRecord(chunk.usage)
      ? chunk.usage
      : isRecord(chunk.x_groq) && isRecord(chunk.x_groq.usage)
        ? chunk.x_groq.usage
        : undefined;
    if (usage !== undefined) this.usage = decodeUsage(usage);
  }

  /**
   * Called when the body ended. Without `[DONE]`, every started choice must have finished, or
   * the stream was truncated. With `[DONE]`, choices the upstream never finished get `stop`.
   */
  end(out: StreamPart[]): void {
    if (!this.started)
      throw badResponse(this.context, 'upstream stream ended before completion (no chunks)');
    let unfinished = 0;
    for (const state of this.choices.values()) if (!state.finished) unfinished += 1;
    if (!this.done && (this.choices.size === 0 || unfinished > 0)) {
      throw badResponse(this.context, 'upstream stream ended before completion');
    }
    if (unfinished > 0 || this.choices.size === 0) {
      if (this.choices.size === 0) this.stateOf(0);
      for (const [index, state] of this.choices) {
        if (state.finished) continue;
        state.finished = true;
        out.push({ type: 'finish', index, finishReason: 'stop' });
      }
    }
    if (this.usage !== undefined) out.push({ type: 'usage', usage: this.usage });
  }

  private decodeChoice(choice: WireChoice, position: number, out: StreamPart[]): void {
    const index = isNumber(choice.index) ? choice.index : position;
    const state = this.stateOf(index);
    if (state.finished) return;
    if (typeof choice.text === 'string') {
      if (choice.text !== '') out.push({ type: 'text-delta', index, text: choice.text });
    } else if (isRecord(choice.delta)) {
      const delta = choice.delta;
      const { text, reasoning } = messageText(delta);
      if (reasoning !== '') out.push({ type: 'reasoning-delta', index, text: reasoning });
      if (text !== '') out.push({ type: 'text-delta', index, text });
      if (Array.isArray(delta.tool_calls)) {
        for (const entry of delta.tool_calls)
          if (isRecord(entry)) this.decodeToolCall(entry, index, state, out);
      }
    }
    if (isRecord(choice.logprobs)) out.push({ type: 'logprobs', index, logprobs: choice.logprobs });
    if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') {
      state.finished = true;
      const finishReason = mapFinishReason(choice.finish_reason);
      const stopSequence = stopSequenceOf(choice, finishReason);
      out.push(
        stopSequence === undefined
          ? { type: 'finish', index, finishReason }
          : { type: 'finish', index, finishReason, stopSequence },
      );
    }
  }

  /**
   * A tool-call entry with an id or a name starts a call; one with only arguments continues the
   * call its `index` designates (or the latest call, when the upstream omits `index`). The
   * canonical toolIndex is the upstream index when it is free, else the next free one (some
   * servers reuse index 0 for parallel calls).
   */
  private decodeToolCall(
    entry: WireToolCall,
    index: number,
    state: ChoiceState,
    out: StreamPart[],
  ): void {
    const id = typeof entry.id === 'string' && entry.id !== '' ? entry.id : undefined;
    const name =
      typeof entry.function?.name === 'string' && entry.function.name !== ''
        ? entry.function.name
        : undefined;
    const wireIndex = isNumber(entry.index) ? entry.index : undefined;
    let slot = wireIndex === undefined ? state.lastSlot : state.slotsByWireIndex.get(wireIndex);
    // Without an index, a name and no id can only mean a new call; with one, a repeated name is a continuation.
    const continues =
      slot !== undefined &&
      (id === undefined
        ? wireIndex !== undefined || name === undefined
        : slot.id === undefined || slot.id === id);
    if (!continues || slot === undefined) {
      const preferred = wireIndex ?? state.nextToolIndex;
      const toolIndex = state.usedToolIndexes.has(preferred) ? state.nextToolIndex : preferred;
      slot = { toolIndex, id };
      state.usedToolIndexes.add(toolIndex);
      state.nextToolIndex = Math.max(state.nextToolIndex, toolIndex + 1);
      if (wireIndex !== undefined) state.slotsByWireIndex.set(wireIndex, slot);
      out.push({
        type: 'tool-call-start',
        index,
        toolIndex,
        id: id ?? syntheticToolCallId(index, toolIndex),
        name: name ?? '',
      });
    } else if (slot.id === undefined && id !== undefined) {
      slot.id = id;
    }
    state.lastSlot = slot;
    const argumentsDelta = argumentsText(entry.function?.arguments);
    if (argumentsDelta !== '')
      out.push({ type: 'tool-call-delta', index, toolIndex: slot.toolIndex, argumentsDelta });
  }

  private stateOf(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (state === undefined) {
      state = {
        finished: false,
        slotsByWireIndex: new Map(),
        usedToolIndexes: new Set(),
        nextToolIndex: 0,
        lastSlot: undefined,
      };
      this.choices.set(index, state);
    }
    return state;
  }
}
