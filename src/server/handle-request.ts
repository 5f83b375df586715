import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../core/errors.js';
import { startTrace } from '../core/trace-context.js';
import type { RequestRecord } from '../pipeline/request-record.js';
import type { DialectName } from './endpoints.js';
import type { RequestHandlerOptions } from './handler-options.js';
import { holdEnd } from './hold-end.js';
import { failModelCall } from './model-call.js';
import { createRequestRouter } from './route-request.js';

export type { RequestHandlerOptions } from './handler-options.js';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The gateway's HTTP entry point: request id, trace, the dialect, the request's record (reported
 * once both the response and the work have settled), the connection cap, and errors in the right
 * dialect. Which endpoint serves the request is route-request.ts's.
 */
export function createRequestHandler(
  options: RequestHandlerOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { observer, connections } = options;
  const route = createRequestRouter(options);
  return (request, response) => {
    const incomingId = request.headers['x-request-id'];
    const requestId =
      typeof incomingId === 'string' && REQUEST_ID_PATTERN.test(incomingId)
        ? incomingId
        : options.newRequestId();
    const path = pathOf(request.url ?? '/');
    const record: RequestRecord = {
      requestId,
      method: request.method ?? 'GET',
      path,
      startedAt: performance.now(),
      startedAtWall: Date.now(),
      status: 0,
      stream: false,
    };
    response.setHeader('x-request-id', requestId);
    const traceparent = request.headers.traceparent;
    if (options.traceRequests || traceparent !== undefined) record.trace = startTrace(traceparent);
    const dialect = dialectOf(path, request);
    if (dialect === 'anthropic') response.setHeader('request-id', requestId);
    const beforeEnd = options.beforeEnd;
    if (beforeEnd) holdEnd(response, () => beforeEnd(record, response));
    const connection = connections?.begin(request, response, dialect);
    // The record is reported once both the response has closed and the pipeline has settled
    // (a client disconnect aborts the upstream call, so the pipeline always settles).
    let pending = 2;
    connections?.requestStarted();
    const settled = (): void => {
      if (--pending > 0) return;
      try {
        if (observer) report();
      } finally {
        connections?.requestSettled();
      }
    };
    const report = (): void => {
      if (!observer) return;
      record.durationMs = performance.now() - record.startedAt;
      if (!response.writableFinished) {
        record.errorCode ??= 'client_closed';
        if (!response.headersSent) record.status = 499;
      }
      if (record.status === 0) record.status = response.statusCode;
      observer(record);
    };
    response.once('close', settled);
    const served = connection?.overCap
      ? Promise.reject(overCapacity())
      : route(request, response, record, dialect);
    served
      .catch((error: unknown) => failModelCall(error, response, dialect, record))
      .finally(settled);
  };
}

function overCapacity(): GatewayError {
  return new GatewayError(
    'overloaded',
    'The gateway is at its limit of open connections (server.max_connections); retry shortly.',
    { retryAfterMs: 1000 },
  );
}

export function pathOf(url: string): string {
  // An absolute-form target (`POST http://host/v1/messages`, which HTTP/1.1 servers must accept)
  // names the same path as its origin form.
  const target = /^[a-z][a-z0-9+.-]*:\/\//i.test(url)
    ? url.replace(/^[^:]+:\/\/[^/?]*/, '') || '/'
    : url;
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Anthropic for /v1/messages and for any request carrying `anthropic-version` (the Anthropic SDKs always do). */
export function dialectOf(path: string, request: IncomingMessage): DialectName {
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  return request.headers['anthropic-version'] === undefined ? 'openai' : 'anthropic';
}
