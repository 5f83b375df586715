import type { ServerResponse } from 'node:http';
import type { CancelSignal } from '../core/cancel.js';
import type { GatewayError } from '../core/errors.js';
import { GatewayError as GatewayErrorClass } from '../core/errors.js';
import { DIALECT_ERRORS } from './endpoints.js';
import type { DialectName } from './endpoints.js';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
} as const;

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendError(
  response: ServerResponse,
  error: GatewayError,
  dialect: DialectName,
): void {
  const encoded = DIALECT_ERRORS[dialect](error);
  if (error.retryAfterMs !== undefined && (error.status === 429 || error.status === 503)) {
    response.setHeader('retry-after', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
  }
  // A body left unread (too large, too slow, over the buffered-bytes budget) cannot be skipped on a kept-alive connection.
  if (
    error.code === 'body_too_large' ||
    error.code === 'request_timeout' ||
    error.code === 'overloaded'
  )
    response.setHeader('connection', 'close');
  sendJson(response, encoded.status, encoded.body);
}

/**
 * How many bytes of a stream response may wait in memory for a slow client before the relay
 * stops reading the upstream. Above the socket's own 16 KiB mark on purpose: one upstream read
 * routinely encodes to more than that, and waiting for a drain after it would send the end of the
 * response in a write of its own.
 */
export const STREAM_BUFFER_LIMIT = 64 * 1024;

/**
 * Writes SSE text and, when more than STREAM_BUFFER_LIMIT bytes wait for the client, waits for the
 * socket to drain (or for the client to go away, which the signal reports).
 */
export function writeText(
  response: ServerResponse,
  text: string,
  signal: CancelSignal,
): Promise<void> | void {
  if (response.write(text) || response.writableLength <= STREAM_BUFFER_LIMIT) return;
  return new Promise<void>((resolve, reject) => {
    const done = (): void => {
      response.removeListener('drain', done);
      signal.removeEventListener('abort', aborted);
      resolve();
    };
    const aborted = (): void => {
      response.removeListener('drain', done);
      reject(
        signal.reason instanceof GatewayErrorClass
          ? signal.reason
          : new GatewayErrorClass('client_closed', 'The client closed the connection.'),
      );
    };
    if (signal.aborted) return aborted();
    response.once('drain', done);
    signal.addEventListener('abort', aborted, { once: true });
  });
}
