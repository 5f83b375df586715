import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../core/errors.js';

/**
 * Reads and parses a JSON request body, refusing bodies over `limitBytes` as early as possible:
 * from Content-Length before reading, else as soon as the running total passes the limit.
 */
export function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) {
    return Promise.reject(tooLarge(limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: GatewayError): void => {
      if (settled) return;
      settled = true;
      request.removeListener('data', onData);
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) fail(tooLarge(limitBytes));
      else chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => {
      if (settled) return;
      settled = true;
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
      if (text.trim() === '') {
        reject(new GatewayError('invalid_json', 'The request body is empty; send a JSON object.'));
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(new GatewayError('invalid_json', `The request body is not valid JSON: ${(error as Error).message}`));
      }
    });
    request.once('error', (error) => fail(new GatewayError('client_closed', 'The client connection failed while sending the body.', { cause: error })));
    request.once('aborted', () => fail(new GatewayError('client_closed', 'The client aborted while sending the body.')));
  });
}

function tooLarge(limitBytes: number): GatewayError {
  return new GatewayError('body_too_large', `The request body is larger than the limit of ${limitBytes} bytes (server.body_limit).`);
}
