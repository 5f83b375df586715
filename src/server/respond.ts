import type { ServerResponse } from 'node:http';
import type { CancelSignal } from '../spec/cancel.js';
import type { GatewayError } from '../spec/errors.js';
import { GatewayError as GatewayErrorClass } from '../spec/errors.js';
import { DIALECT_ERRORS } from './endpoints.js';
import type { DialectName } from './endpoints.js';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
} as const;

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export function sendError(response: ServerResponse, error: GatewayError, dialect: DialectName): void {
  const encoded = DIALECT_ERRORS[dialect](error);
  if (error.retryAfterMs !== undefined && error.status === 429) {
    response.setHeader('retry-after', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
  }
  if (error.code === 'body_too_large') response.setHeader('connection', 'close');
  sendJson(response, encoded.status, encoded.body);
}

/**
 * Writes SSE text and, when the socket buffer is full, waits for it to drain (or for the
 * client to go away, which the signal reports).
 */
export function writeText(response: ServerResponse, text: string, signal: CancelSignal): Promise<void> | void {
  if (response.write(text)) return;
  return new Promise<void>((resolve, reject) => {
    const done = (): void => {
      response.removeListener('drain', done);
      signal.removeEventListener('abort', aborted);
      resolve();
    };
    const aborted = (): void => {
      response.removeListener('drain', done);
      reject(signal.reason instanceof GatewayErrorClass ? signal.reason : new GatewayErrorClass('client_closed', 'The client closed the connection.'));
    };
    if (signal.aborted) return aborted();
    response.once('drain', done);
    signal.addEventListener('abort', aborted, { once: true });
  });
}
