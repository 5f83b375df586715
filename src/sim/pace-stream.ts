import type { ServerResponse } from 'node:http';
import type { SimStreamEvent } from './prepared-request.js';

export interface StreamTiming {
  /** Milliseconds before the first token (and the response headers). */
  ttftMs: number;
  /** Milliseconds between tokens. */
  intervalMs: number;
}

/** How a stream is broken on purpose, after `afterTokenEvents` token-carrying events. */
export interface StreamInterruption {
  kind: 'cut' | 'stall' | 'midstream';
  afterTokenEvents: number;
  /** For `midstream`: the SSE error event sent before the stream ends. */
  errorText: string;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
} as const;

/** Writes shorter than this apart are batched into one write. */
const MINIMUM_WRITE_INTERVAL_MS = 5;

/**
 * Writes SSE events with real pacing: event i is due when its last token is due
 * (ttft + (tokenIndex - 1) × interval); tokenless events go out with their neighbours. Timers are
 * cleared when the client disconnects. With no delay at all, everything is one write.
 */
export function paceStream(
  response: ServerResponse,
  events: SimStreamEvent[],
  timing: StreamTiming,
  headers: Record<string, string>,
  interruption: StreamInterruption | undefined,
): void {
  const dueAt: number[] = [];
  let tokens = 0;
  for (const event of events) {
    tokens += event.tokens;
    dueAt.push(timing.ttftMs + Math.max(0, tokens - 1) * timing.intervalMs);
  }
  let next = 0;
  let tokenEvents = 0;
  let timer: NodeJS.Timeout | undefined;
  let headersSent = false;
  const start = performance.now();

  const collect = (elapsed: number): { text: string; interrupt: boolean } => {
    let text = '';
    while (next < events.length && (dueAt[next] ?? 0) <= elapsed) {
      const event = events[next++] as SimStreamEvent;
      text += event.text;
      if (
        event.tokens > 0 &&
        interruption !== undefined &&
        ++tokenEvents >= interruption.afterTokenEvents
      )
        return { text, interrupt: true };
    }
    return { text, interrupt: false };
  };

  const tick = (): void => {
    timer = undefined;
    if (response.destroyed) return;
    const batch = collect(performance.now() - start);
    if (!headersSent && (batch.text !== '' || next >= events.length)) {
      response.writeHead(200, { ...SSE_HEADERS, ...headers });
      headersSent = true;
    }
    if (batch.interrupt && interruption !== undefined) {
      if (interruption.kind === 'cut') response.write(batch.text, () => response.destroy());
      else if (interruption.kind === 'midstream') response.end(batch.text + interruption.errorText);
      else response.write(batch.text);
      return;
    }
    if (next >= events.length) {
      response.end(batch.text);
      return;
    }
    if (batch.text !== '') response.write(batch.text);
    const wait = (dueAt[next] ?? 0) - (performance.now() - start);
    timer = setTimeout(tick, Math.max(wait, MINIMUM_WRITE_INTERVAL_MS));
  };

  response.once('close', () => {
    if (timer !== undefined) clearTimeout(timer);
  });
  if (timing.ttftMs <= 0 && timing.intervalMs <= 0) tick();
  else timer = setTimeout(tick, Math.max(0, timing.ttftMs));
}
