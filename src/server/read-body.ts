import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../core/errors.js';
import { findTooDeep } from './json-depth.js';

/** Bytes of request bodies held in memory at once, across every request of the process. */
export class BufferedBodyBudget {
  private used = 0;
  /** Mutable: a config reload sets `server.max_buffered_body` in place. */
  constructor(public limitBytes: number) {}

  /** Takes `bytes` from the budget, or returns false (and takes nothing) when that would pass the limit. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limitBytes) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  get bytes(): number {
    return this.used;
  }
}

export interface BodyLimits {
  /** Largest accepted body (`server.body_limit`). */
  limitBytes: number;
  /** Deepest accepted nesting of the parsed JSON (`server.max_json_depth`). */
  maxDepth: number;
  /** The body must be complete by this `performance.now()` time (`server.request_timeout_ms`); absent = no deadline. */
  deadline?: number;
  /** The process-wide budget of buffered body bytes (`server.max_buffered_body`). */
  budget?: BufferedBodyBudget;
}

/** How long a client refused for the buffered-bytes budget is asked to wait. */
const OVERLOAD_RETRY_MS = 1000;

/**
 * Reads and parses a JSON request body, refusing it as early as possible: over `limitBytes` from
 * Content-Length before reading, else as soon as the running total passes the limit; over the
 * process-wide budget with 503 `overloaded`; past the deadline with 408 `request_timeout`; nested
 * deeper than `maxDepth` with a 400 naming the path (checked iteratively, before any recursive
 * code sees the value).
 */
export function readJsonBody(request: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const { limitBytes, budget } = limits;
  const declaredText = request.headers['content-length'];
  const declared =
    declaredText === undefined || !Number.isFinite(Number(declaredText))
      ? undefined
      : Number(declaredText);
  if (declared !== undefined && declared > limitBytes) return Promise.reject(tooLarge(limitBytes));
  let held = 0;
  if (budget && declared !== undefined && declared > 0) {
    if (!budget.take(declared)) return Promise.reject(overloaded(budget));
    held = declared;
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      request.removeListener('data', onData);
      if (budget && held > 0) budget.release(held);
      held = 0;
    };
    const fail = (error: GatewayError): void => {
      if (settled) return;
      finish();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) return fail(tooLarge(limitBytes));
      if (budget && size > held) {
        // Chunked bodies (no Content-Length) take from the budget as they arrive.
        if (!budget.take(size - held)) return fail(overloaded(budget));
        held = size;
      }
      chunks.push(chunk);
    };
    if (limits.deadline !== undefined) {
      const remaining = Math.max(0, limits.deadline - performance.now());
      timer = setTimeout(
        () =>
          fail(
            new GatewayError(
              'request_timeout',
              'The request body did not arrive in time (server.request_timeout_ms); the connection is closed.',
            ),
          ),
        remaining,
      );
    }
    request.on('data', onData);
    request.once('end', () => {
      if (settled) return;
      finish();
      const text =
        chunks.length === 1
          ? chunks[0]!.toString('utf8')
          : Buffer.concat(chunks, size).toString('utf8');
      chunks.length = 0;
      if (text.trim() === '') {
        reject(new GatewayError('invalid_json', 'The request body is empty; send a JSON object.'));
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        reject(
          new GatewayError(
            'invalid_json',
            `The request body is not valid JSON: ${(error as Error).message}`,
          ),
        );
        return;
      }
      const deep = findTooDeep(value, limits.maxDepth);
      if (deep !== undefined) {
        reject(
          new GatewayError(
            'invalid_request',
            `The request body is nested deeper than the limit of ${limits.maxDepth} levels (server.max_json_depth) at ${deep}.`,
            { param: deep },
          ),
        );
        return;
      }
      resolve(value);
    });
    request.once('error', (error) =>
      fail(
        new GatewayError('client_closed', 'The client connection failed while sending the body.', {
          cause: error,
        }),
      ),
    );
    request.once('aborted', () =>
      fail(new GatewayError('client_closed', 'The client aborted while sending the body.')),
    );
    request.once('close', () => {
      if (!request.complete)
        fail(
          new GatewayError(
            'client_closed',
            'The client closed the connection while sending the body.',
          ),
        );
    });
  });
}

function tooLarge(limitBytes: number): GatewayError {
  return new GatewayError(
    'body_too_large',
    `The request body is larger than the limit of ${limitBytes} bytes (server.body_limit).`,
  );
}

function overloaded(budget: BufferedBodyBudget): GatewayError {
  return new GatewayError(
    'overloaded',
    `The gateway holds ${budget.limitBytes} bytes of request bodies at once (server.max_buffered_body) and is at that limit; retry shortly.`,
    { retryAfterMs: OVERLOAD_RETRY_MS },
  );
}
