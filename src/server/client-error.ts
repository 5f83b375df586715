import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { GatewayError } from '../core/errors.js';
import { DIALECT_ERRORS, type DialectName } from './endpoints.js';
import type { ConnectionTracker } from './connection-tracker.js';

export interface ClientErrorSettings {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

/**
 * Node's `clientError`: a request that could not be parsed or did not arrive in time. Answered
 * in the dialect the path implies (from the head bytes read so far, else the bytes that failed to
 * parse, else the connection's last request; OpenAI when nothing is known), with the right
 * status, and the connection closed.
 */
export function createClientErrorHandler(
  tracker: ConnectionTracker,
  settings: ClientErrorSettings,
): (error: Error, socket: Socket) => void {
  return (error, socket) => {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const state = tracker.stateOf(socket);
    const started = state?.response?.headersSent === true;
    if (!socket.writable || started || code === 'ECONNRESET' || code === 'EPIPE') {
      socket.destroy();
      return;
    }
    const rawPacket = (error as { rawPacket?: unknown }).rawPacket;
    // The head read so far holds the request line even when the packet that failed (or nothing:
    // a timeout) does not; Node's rawPacket is only the packet that failed to parse.
    const dialect =
      dialectOfPacket(state?.head?.packet()) ??
      dialectOfPacket(Buffer.isBuffer(rawPacket) ? rawPacket : undefined) ??
      state?.dialect ??
      'openai';
    socket.end(rawErrorResponse(errorFor(code, state?.response !== undefined, settings), dialect));
  };
}

function errorFor(code: string, inRequest: boolean, settings: ClientErrorSettings): GatewayError {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return inRequest
      ? new GatewayError(
          'request_timeout',
          `The request body did not arrive within ${settings.requestTimeoutMs} ms (server.request_timeout_ms); the connection is closed.`,
        )
      : new GatewayError(
          'request_timeout',
          `The request headers did not arrive within ${settings.headersTimeoutMs} ms (server.headers_timeout_ms); the connection is closed.`,
        );
  }
  if (code === 'HPE_HEADER_OVERFLOW')
    return new GatewayError(
      'headers_too_large',
      'The request line and headers are larger than the server accepts (16 KiB); the connection is closed.',
    );
  const reason = code.startsWith('HPE_')
    ? ` (${code.slice(4).toLowerCase().replaceAll('_', ' ')})`
    : '';
  return new GatewayError(
    'invalid_request',
    `Malformed HTTP request${reason}; the connection is closed.`,
  );
}

/** A whole HTTP/1.1 error response as bytes to write on a socket that has no response object. */
export function rawErrorResponse(error: GatewayError, dialect: DialectName): string {
  const encoded = DIALECT_ERRORS[dialect](error);
  const body = JSON.stringify(encoded.body);
  const retryAfter =
    error.retryAfterMs === undefined
      ? ''
      : `retry-after: ${Math.max(1, Math.ceil(error.retryAfterMs / 1000))}\r\n`;
  return `HTTP/1.1 ${encoded.status} ${STATUS_CODES[encoded.status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${retryAfter}connection: close\r\n\r\n${body}`;
}

/** The dialect a (possibly partial) request implies: `/v1/messages…` or an `anthropic-version` header → Anthropic. */
export function dialectOfPacket(packet: Buffer | undefined): DialectName | undefined {
  if (!packet || packet.length === 0) return undefined;
  const head = packet.subarray(0, 16 * 1024).toString('latin1');
  // Any method token, even a malformed one (the error may be that very token).
  // A target must look like one (origin, absolute or asterisk form): a packet that starts inside a
  // request (a header line, body bytes) names no path.
  const target = /^[^\s]+[ \t]+((?:\/|[a-z][a-z0-9+.-]*:\/\/|\*)\S*)/i.exec(head)?.[1];
  if (target === undefined) return /\r?\nanthropic-version:/i.test(head) ? 'anthropic' : undefined;
  const path = target.replace(/^https?:\/\/[^/]*/i, '').split('?')[0] ?? '';
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  return /\r?\nanthropic-version:/i.test(head) ? 'anthropic' : 'openai';
}
