import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { CancelSignal } from '../core/cancel.js';
import {
  badResponse,
  errorDetailFromPayload,
  errorFromPayload,
  errorFromStatus,
  errorFromTransport,
  type UpstreamErrorContext,
} from './upstream-errors.js';

/** Where a provider's calls go: the base URL split into what undici needs. */
export interface UpstreamTarget {
  /** `scheme://host[:port]`: the only origin requests are ever sent to. */
  origin: string;
  /** The base URL's path without a trailing slash (e.g. `/v1`, `/compatible-mode/v1`, or ''). */
  basePath: string;
  /** The base URL's query string, kept on every call (e.g. `?api-version=…`), or ''. */
  search: string;
}

/** Splits a provider base URL; throws on anything but an absolute http(s) URL. */
export function resolveTarget(baseUrl: string): UpstreamTarget {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Provider base URL must be http(s), got ${url.protocol}`);
  }
  const basePath = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  return { origin: url.origin, basePath, search: url.search };
}

export interface UpstreamRequest {
  dispatcher: Dispatcher;
  target: UpstreamTarget;
  /** Path after the base path, e.g. `/chat/completions`. */
  endpoint: string;
  headers: Record<string, string>;
  /** The JSON body, already serialized once. */
  body: string;
  signal: CancelSignal;
  context: UpstreamErrorContext;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: UpstreamBody;
}

/**
 * A 2xx answer's body as it arrives, read once: whole (`text()`), or by async iteration, where each
 * step yields everything that arrived since the last one (one socket read's HTTP chunks together).
 * `destroy` releases it early (aborting the upstream call when the body has not ended).
 */
export interface UpstreamBody extends AsyncIterable<Buffer> {
  text(): Promise<string>;
  destroy(): void;
  readonly destroyed: boolean;
}

/** Upper bound on how much of an error body is read before the rest is discarded. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * POSTs a JSON body through the injected dispatcher to the target's origin and resolves once a
 * 2xx answer's headers arrived. Non-2xx answers are read (bounded), released and thrown as a
 * GatewayError; transport failures and aborts are mapped too.
 */
export async function postJson(request: UpstreamRequest): Promise<UpstreamResponse> {
  const { target, signal, context } = request;
  const exchange = new UpstreamExchange(signal);
  let response: UpstreamResponse;
  try {
    request.dispatcher.dispatch(
      {
        origin: target.origin,
        path: `${target.basePath}${request.endpoint}${target.search}`,
        method: 'POST',
        headers: request.headers,
        body: request.body,
      },
      exchange,
    );
    response = await exchange.started;
  } catch (error) {
    throw errorFromTransport(error, signal, context);
  }
  const { statusCode, headers, body } = response;
  if (statusCode >= 200 && statusCode < 300) return response;
  const text = await readLimitedText(body, MAX_ERROR_BODY_BYTES);
  if (signal.aborted) throw errorFromTransport(undefined, signal, context);
  throw errorFromStatus(statusCode, headers, text, context);
}

/** How much of a body may wait unread before the upstream socket is paused (backpressure). */
const HIGH_WATER_BYTES = 64 * 1024;

/**
 * One upstream call, driven by undici's dispatch handler API (`onRequestStart`, `onResponseStart`,
 * `onResponseData`, `onResponseEnd`, `onResponseError`: the API undici 7 recommends and undici 8
 * keeps). The answer's headers resolve `started`; its body chunks queue here until read, for
 * exactly one reader (docs/decisions/0008, 0009). The call is aborted when `signal` aborts, or
 * when the body is destroyed before its end; a queue over HIGH_WATER_BYTES pauses the socket
 * (`controller.pause()`) until the reader catches up.
 */
class UpstreamExchange implements UpstreamBody, Dispatcher.DispatchHandler {
  readonly started: Promise<UpstreamResponse>;
  private resolveStarted!: (response: UpstreamResponse) => void;
  private rejectStarted!: (error: unknown) => void;
  private controller: Dispatcher.DispatchController | undefined = undefined;
  private paused = false;
  private headersSeen = false;
  private chunks: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private failure: Error | undefined = undefined;
  private reading = false;
  /** The reader waiting for a chunk, the end or a failure. */
  private wake: (() => void) | undefined = undefined;
  destroyed = false;

  constructor(private readonly signal: CancelSignal) {
    this.started = new Promise((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
    if (!signal.aborted) signal.addEventListener('abort', this.onAbort);
  }

  private readonly onAbort = (): void => {
    const reason = this.signal.reason instanceof Error ? this.signal.reason : new Error('aborted');
    if (this.controller) this.controller.abort(reason);
    else this.fail(reason);
  };

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.signal.aborted || this.failure !== undefined || this.destroyed) {
      const reason =
        this.signal.reason instanceof Error ? this.signal.reason : new Error('aborted');
      controller.abort(this.failure ?? reason);
      return;
    }
    this.controller = controller;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (statusCode < 200) return;
    this.headersSeen = true;
    this.resolveStarted({ statusCode, headers, body: this });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.destroyed) return;
    this.chunks.push(chunk);
    this.queued += chunk.length;
    this.notify();
    if (this.queued > HIGH_WATER_BYTES && !this.reading) {
      this.paused = true;
      controller.pause();
    }
  }

  onResponseEnd(): void {
    this.ended = true;
    this.signal.removeEventListener('abort', this.onAbort);
    this.notify();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  private fail(error: Error): void {
    if (this.ended || this.failure !== undefined) return;
    this.failure = error;
    this.signal.removeEventListener('abort', this.onAbort);
    if (!this.headersSeen) this.rejectStarted(error);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    if (wake !== undefined) {
      this.wake = undefined;
      wake();
    }
  }

  private waitForMore(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /**
   * Everything queued, as one chunk, or undefined (then check `ended` / `failure`). What arrived
   * together is decoded and relayed together: an upstream that sends one HTTP chunk per SSE event
   * delivers many of them in one socket read, and taking them one by one would run the whole
   * relay (decode, yields through the attempt layers, encode, a write) once per event. Nothing
   * waits for more: a lone chunk is returned as it is.
   */
  private take(): Buffer | undefined {
    const chunks = this.chunks;
    if (chunks.length === 0) return undefined;
    const chunk = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.queued);
    this.chunks = [];
    this.queued = 0;
    if (this.paused) {
      this.paused = false;
      this.controller?.resume();
    }
    return chunk;
  }

  async text(): Promise<string> {
    this.reading = true;
    if (this.paused) {
      this.paused = false;
      this.controller?.resume();
    }
    while (!this.ended) {
      if (this.failure !== undefined) throw this.failure;
      if (this.destroyed) throw new Error('upstream body destroyed');
      await this.waitForMore();
    }
    const chunks = this.chunks;
    this.chunks = [];
    const size = this.queued;
    this.queued = 0;
    if (chunks.length === 1) return chunks[0]!.toString('utf8');
    return Buffer.concat(chunks, size).toString('utf8');
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const chunk = this.take();
        if (chunk !== undefined) {
          yield chunk;
          continue;
        }
        if (this.failure !== undefined) throw this.failure;
        if (this.ended || this.destroyed) return;
        await this.waitForMore();
      }
    } finally {
      if (!this.ended) this.destroy();
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.chunks = [];
    this.queued = 0;
    if (this.ended || this.failure !== undefined) return;
    this.signal.removeEventListener('abort', this.onAbort);
    const reason = new Error('upstream body released before its end');
    (reason as Error & { code: string }).code = 'UND_ERR_ABORTED';
    if (this.controller) this.controller.abort(reason);
    else this.failure = reason;
    this.notify();
  }
}

/** Reads at most `limit` bytes of a body as text and destroys the rest; never throws. */
export async function readLimitedText(body: UpstreamBody, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) break;
    }
  } catch {
    // The body broke while reading an error: keep what arrived.
  } finally {
    if (!body.destroyed) body.destroy();
  }
  return Buffer.concat(chunks, Math.min(size, limit)).toString('utf8');
}

/** Reads a whole 2xx body and parses it as JSON; bad JSON is `upstream_bad_response`. */
export async function readJson(
  response: UpstreamResponse,
  signal: CancelSignal,
  context: UpstreamErrorContext,
): Promise<unknown> {
  let text: string;
  try {
    text = await response.body.text();
  } catch (error) {
    throw errorFromTransport(error, signal, context);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badResponse(
      context,
      `upstream returned invalid JSON (HTTP ${response.statusCode}): ${text.slice(0, 200)}`,
      error,
    );
  }
}

/**
 * Checks that a streaming call got a stream. Some servers answer a streaming call with a JSON
 * error and status 200: that error is thrown (before any part is produced, so it can be failed
 * over); any other JSON answer is `upstream_bad_response`. Other content types are read as SSE.
 */
export async function expectEventStream(
  response: UpstreamResponse,
  signal: CancelSignal,
  context: UpstreamErrorContext,
): Promise<void> {
  const contentType = response.headers['content-type'];
  if (typeof contentType !== 'string' || !contentType.toLowerCase().includes('application/json'))
    return;
  const payload = await readJson(response, signal, context);
  const detail = errorDetailFromPayload(payload);
  if (detail !== undefined) throw errorFromPayload(detail, context);
  throw badResponse(
    context,
    'upstream answered a streaming call with a JSON body instead of an event stream',
  );
}

/** Releases a response body the caller will not read. */
export function discardBody(response: UpstreamResponse): void {
  if (!response.body.destroyed) response.body.destroy();
}
