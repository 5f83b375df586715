import type { IncomingHttpHeaders } from 'node:http';
import type { CancelSignal } from '../spec/cancel.js';
import type { Dispatcher } from 'undici';
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
  body: Dispatcher.ResponseData['body'];
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
  let response: Dispatcher.ResponseData;
  try {
    response = await request.dispatcher.request({
      origin: target.origin,
      path: `${target.basePath}${request.endpoint}${target.search}`,
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal,
    });
  } catch (error) {
    throw errorFromTransport(error, signal, context);
  }
  const { statusCode, headers, body } = response;
  if (statusCode >= 200 && statusCode < 300) return { statusCode, headers, body };
  const text = await readLimitedText(body, MAX_ERROR_BODY_BYTES);
  if (signal.aborted) throw errorFromTransport(undefined, signal, context);
  throw errorFromStatus(statusCode, headers, text, context);
}

/** Reads at most `limit` bytes of a body as text and destroys the rest; never throws. */
export async function readLimitedText(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
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
export async function readJson(response: UpstreamResponse, signal: CancelSignal, context: UpstreamErrorContext): Promise<unknown> {
  let text: string;
  try {
    text = await response.body.text();
  } catch (error) {
    throw errorFromTransport(error, signal, context);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badResponse(context, `upstream returned invalid JSON (HTTP ${response.statusCode}): ${text.slice(0, 200)}`, error);
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
  if (typeof contentType !== 'string' || !contentType.toLowerCase().includes('application/json')) return;
  const payload = await readJson(response, signal, context);
  const detail = errorDetailFromPayload(payload);
  if (detail !== undefined) throw errorFromPayload(detail, context);
  throw badResponse(context, 'upstream answered a streaming call with a JSON body instead of an event stream');
}

/** Releases a response body the caller will not read. */
export function discardBody(response: UpstreamResponse): void {
  if (!response.body.destroyed) response.body.destroy();
}
