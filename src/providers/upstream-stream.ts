import { isAscii } from 'node:buffer';
import type { CancelSignal } from '../core/cancel.js';
import type { BatchedPartStream } from '../core/provider.js';
import type { StreamPart } from '../core/response.js';
import { SseParser, type SseEvent } from './sse-parser.js';
import { errorFromTransport, type UpstreamErrorContext } from './upstream-errors.js';
import { discardBody, type UpstreamResponse } from './upstream-http.js';

/** A wire format's stream decoder: SSE events in, canonical parts out, synchronously. */
export interface WireStreamDecoder {
  /** Decodes one event, appending its parts to `out`; throws a GatewayError on a bad or error event. */
  push(event: SseEvent, out: StreamPart[]): void;
  /** True once the wire's final event arrived (`[DONE]`, `message_stop`); later events are ignored. */
  readonly isComplete: boolean;
  /**
   * Called once, right after the final event or, without one, when the body ended: appends the
   * closing parts, or throws when the stream was cut short.
   */
  end(out: StreamPart[]): void;
}

/**
 * UTF-8 decoding of body chunks exactly as a streaming TextDecoder does it (split characters
 * decoded once whole, invalid bytes as U+FFFD, a BOM kept for the SSE parser to strip), with a fast
 * path: an ASCII chunk while no unfinished character is pending is decoded as Latin-1, which for
 * ASCII bytes is the same text at a tenth of the cost.
 */
export class Utf8Chunks {
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The TextDecoder holds no bytes of an unfinished character (true after any ASCII byte). */
  private clean = true;

  decode(chunk: Uint8Array): string {
    if (chunk.length === 0) return '';
    if (this.clean && isAscii(chunk)) {
      return (
        Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)
      ).toString('latin1');
    }
    this.clean = (chunk[chunk.length - 1] as number) < 0x80;
    return this.decoder.decode(chunk, { stream: true });
  }

  /** What an unfinished final character decodes to at the end of the body (U+FFFD), or ''. */
  end(): string {
    return this.clean ? '' : this.decoder.decode();
  }
}

/**
 * Runs a wire decoder over the events of a batch of SSE events and remembers the first failure.
 * Like decoding event by event, the parts of the events before a failing one are kept and the
 * parts a failing step produced are not.
 */
class BatchDecoder {
  /** The stream completed or failed: nothing more is decoded. */
  ended = false;
  failed = false;
  failure: unknown = undefined;

  constructor(private readonly decoder: WireStreamDecoder) {}

  /** The parts of `events`, plus the closing parts when the stream completes (or `last` is set). */
  decode(events: readonly SseEvent[], last: boolean): StreamPart[] {
    const decoder = this.decoder;
    const out: StreamPart[] = [];
    let kept = 0;
    try {
      for (let position = 0; position < events.length && !this.ended; position += 1) {
        decoder.push(events[position] as SseEvent, out);
        if (decoder.isComplete) {
          this.ended = true;
          decoder.end(out);
        }
        kept = out.length;
      }
      if (last && !this.ended) {
        this.ended = true;
        decoder.end(out);
        kept = out.length;
      }
    } catch (error) {
      out.length = kept;
      this.ended = true;
      this.failed = true;
      this.failure = error;
    }
    return out;
  }
}

/**
 * One loop per upstream body chunk: decode it as UTF-8 (streaming, so split characters are
 * decoded whole), run the incremental SSE parser and the wire decoder over every event the chunk
 * completed, and yield that chunk's parts as one batch. Transport failures and aborts are mapped
 * to GatewayErrors; decoder errors are thrown as they are, after the parts decoded before them.
 * Once the stream completed, the rest of the body is read and dropped (not destroyed) so the
 * keep-alive connection can be reused; the body is released when the consumer stops early or
 * anything fails.
 */
async function* decodeBatches(
  response: UpstreamResponse,
  signal: CancelSignal,
  context: UpstreamErrorContext,
  decoder: WireStreamDecoder,
): AsyncGenerator<readonly StreamPart[]> {
  const parser = new SseParser();
  const utf8 = new Utf8Chunks();
  const batches = new BatchDecoder(decoder);
  try {
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array | string>) {
        if (batches.ended) continue;
        const events = parser.feed(typeof chunk === 'string' ? chunk : utf8.decode(chunk));
        if (events.length === 0) continue;
        const parts = batches.decode(events, false);
        if (parts.length > 0) yield parts;
        if (batches.failed) break;
      }
    } catch (error) {
      throw errorFromTransport(error, signal, context);
    }
    if (!batches.ended) {
      // An unfinished final event (no blank line) is dropped by the parser, as the SSE spec requires.
      const parts = batches.decode(parser.feed(utf8.end()), true);
      if (parts.length > 0) yield parts;
    }
  } finally {
    discardBody(response);
  }
  if (batches.failed) throw batches.failure;
}

/** A PartStream over batches: part by part for any consumer, or batch by batch for the server. */
class UpstreamPartStream implements BatchedPartStream {
  constructor(private readonly source: AsyncGenerator<readonly StreamPart[]>) {}

  batches(): AsyncIterable<readonly StreamPart[]> {
    return this.source;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<StreamPart> {
    for await (const batch of this.source) {
      for (const part of batch) yield part;
    }
  }
}

/** The canonical parts of a 2xx streaming answer, decoded by `decoder` (see decodeBatches). */
export function decodeUpstreamStream(
  response: UpstreamResponse,
  signal: CancelSignal,
  context: UpstreamErrorContext,
  decoder: WireStreamDecoder,
): BatchedPartStream {
  return new UpstreamPartStream(decodeBatches(response, signal, context, decoder));
}
