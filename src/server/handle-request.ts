import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../core/errors.js';
import type { SpendGuard } from '../keys/key-types.js';
import type { Authenticator } from './authenticate.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import {
  anthropicMessagesEndpoint,
  openAIChatEndpoint,
  openAICompletionEndpoint,
} from './endpoints.js';
import type { DialectName, ModelEndpoint } from './endpoints.js';
import { createModelPipeline, failModelCall, serveModelCall } from './model-call.js';
import type { AttemptObserver, Router } from '../core/route.js';
import type { CacheAffinity } from '../router/cache-affinity.js';
import type { ExecutionPolicy } from '../execution/execution-policy.js';
import type { ModelDirectory } from './model-directory.js';
import { listModels, showModel } from './models-endpoint.js';
import { readJsonBody, type BodyLimits, type BufferedBodyBudget } from './read-body.js';
import type { ConnectionTracker } from './connection-tracker.js';
import { explainRoute, ROUTE_EXPLAIN_PATH } from './route-explain-endpoint.js';
import { COUNT_TOKENS_PATH, serveCountTokens } from './count-tokens-endpoint.js';
import { EMBEDDINGS_PATH, serveEmbeddings } from './embeddings-endpoint.js';
import type { EmbeddingTargets } from './embedding-targets.js';
import type { RequestObserver, RequestRecord } from '../pipeline/request-record.js';
import { sendJson } from './respond.js';
import { holdEnd } from './hold-end.js';
import { startTrace } from '../core/trace-context.js';
import type { CanonicalRequest } from '../core/request.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { ResponseStore } from '../usage/response-store/response-store.js';
import { createResponsesEndpoint } from './responses-endpoint.js';
import { RESPONSES_PATH, serveStoredResponse } from './stored-responses-endpoint.js';
import type { LearningLoop } from '../learning/learning-loop.js';
import { FEEDBACK_PATH, serveFeedback } from './feedback-endpoint.js';

export interface RequestHandlerOptions {
  directory: ModelDirectory;
  router: Router;
  /** Agent-session memory for cache affinity; absent = off. */
  affinity?: CacheAffinity;
  /** The embedding models (`/v1/embeddings`); absent = none configured. */
  embeddings?: EmbeddingTargets;
  attemptObserver?: AttemptObserver;
  /** Retries, breakers, timeouts, hedging, output checks (src/execution). */
  executionPolicy?: ExecutionPolicy;
  guard?: SpendGuard;
  /** The exact response cache (src/cache); absent = off. */
  cache?: ResponseCache;
  /** Stored Responses API responses (`store`, `previous_response_id`); absent = storing off. */
  responseStore?: ResponseStore;
  /** The admin API handler (`/admin/…`). */
  admin?: (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void>;
  /** The dashboard (`/dashboard`, its files and login form). */
  dashboard?: (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void>;
  authenticator: Authenticator;
  bodyLimitBytes: number;
  /** Output tokens a keyed request without max_tokens reserves, at most (`auth.reserve_output_tokens`). */
  reserveOutputTokens?: number;
  /** Deepest accepted JSON nesting (`server.max_json_depth`). */
  maxJsonDepth: number;
  /** A whole request must have arrived this long after it began (`server.request_timeout_ms`); absent = no own deadline. */
  requestTimeoutMs?: number;
  /** Request body bytes held at once across requests (`server.max_buffered_body`). */
  bodyBudget?: BufferedBodyBudget;
  /** Open connections: the connection cap, the drain, the dialect of errors outside a request. */
  connections?: ConnectionTracker;
  observer?: RequestObserver;
  /**
   * Runs when a response is about to end; the end waits for the promise it returns (the ledger's
   * journal: the answered request is on disk before its client sees the end). Undefined: no wait.
   */
  beforeEnd?: (record: RequestRecord, response: ServerResponse) => Promise<void> | undefined;
  metrics?: GatewayMetrics;
  newRequestId: () => string;
  /** Start a trace for every request (spans are exported); without it only a client's `traceparent` is continued. */
  traceRequests?: boolean;
  /** Keep each model request's decoded body on its record (for body logging). */
  captureBodies?: boolean;
  /** The learning loop: outcome signals, `POST /v1/feedback`, cascade rungs; absent = off. */
  learning?: LearningLoop;
  /** The admin token, which may send feedback for any request. */
  adminToken?: string;
}

const MODEL_ENDPOINTS: Record<string, ModelEndpoint<CanonicalRequest>> = {
  '/v1/chat/completions': openAIChatEndpoint as ModelEndpoint<CanonicalRequest>,
  '/v1/completions': openAICompletionEndpoint as ModelEndpoint<CanonicalRequest>,
  '/v1/messages': anthropicMessagesEndpoint as ModelEndpoint<CanonicalRequest>,
};

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The gateway's HTTP entry point: request id, auth, routing to endpoints, errors in the right dialect. */
export function createRequestHandler(
  options: RequestHandlerOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { directory, authenticator, observer, connections } = options;
  const bodyLimits = (record: RequestRecord): BodyLimits => ({
    limitBytes: options.bodyLimitBytes,
    maxDepth: options.maxJsonDepth,
    ...(options.requestTimeoutMs === undefined
      ? {}
      : { deadline: record.startedAt + options.requestTimeoutMs }),
    ...(options.bodyBudget ? { budget: options.bodyBudget } : {}),
  });
  const pipeline = createModelPipeline({
    router: options.router,
    ...(options.guard ? { guard: options.guard } : {}),
    ...(options.attemptObserver ? { attemptObserver: options.attemptObserver } : {}),
    ...(options.executionPolicy ? { executionPolicy: options.executionPolicy } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.affinity ? { affinity: options.affinity } : {}),
    ...(options.reserveOutputTokens === undefined
      ? {}
      : { reserveOutputTokens: options.reserveOutputTokens }),
    ...(options.learning ? { learning: options.learning } : {}),
  });
  const endpoints: Record<string, ModelEndpoint<CanonicalRequest>> = {
    ...MODEL_ENDPOINTS,
    [RESPONSES_PATH]: createResponsesEndpoint(
      options.responseStore,
    ) as ModelEndpoint<CanonicalRequest>,
  };
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

  async function route(
    request: IncomingMessage,
    response: ServerResponse,
    record: RequestRecord,
    dialect: DialectName,
  ): Promise<void> {
    const { path, method } = record;
    checkFraming(request);
    const endpoint = endpoints[path];
    if (endpoint) {
      if (method !== 'POST') throw methodNotAllowed(method, path, 'POST', response);
      const identity = authenticator.identify(request.headers);
      record.apiKeyId = identity.keyId;
      const body = await readJsonBody(request, bodyLimits(record));
      if (options.captureBodies) record.requestBody = body;
      await serveModelCall(pipeline, endpoint, body, request.headers, identity, response, record);
      return;
    }
    if (path.startsWith(`${RESPONSES_PATH}/`)) {
      const identity = authenticator.identify(request.headers);
      record.status = 200;
      await serveStoredResponse(options.responseStore, method, path, identity.keyId, response);
      return;
    }
    if (path === COUNT_TOKENS_PATH) {
      if (method !== 'POST') throw methodNotAllowed(method, path, 'POST', response);
      const identity = authenticator.identify(request.headers);
      record.apiKeyId = identity.keyId;
      await serveCountTokens(
        await readJsonBody(request, bodyLimits(record)),
        request.headers,
        identity,
        options.router,
        response,
        record,
      );
      return;
    }
    if (path === EMBEDDINGS_PATH) {
      if (method !== 'POST') throw methodNotAllowed(method, path, 'POST', response);
      if (!options.embeddings)
        throw new GatewayError('internal_error', 'Embeddings are not wired into this gateway.');
      const identity = authenticator.identify(request.headers);
      record.apiKeyId = identity.keyId;
      await serveEmbeddings(
        await readJsonBody(request, bodyLimits(record)),
        identity,
        options.embeddings,
        options.guard,
        response,
        record,
      );
      return;
    }
    if (path === FEEDBACK_PATH) {
      if (method !== 'POST') throw methodNotAllowed(method, path, 'POST', response);
      if (!options.learning)
        throw new GatewayError(
          'internal_error',
          'The learning loop is not wired into this gateway.',
        );
      const body = await readJsonBody(request, bodyLimits(record));
      record.status = 200;
      await serveFeedback(
        body,
        request.headers,
        options.learning,
        authenticator,
        options.adminToken,
        response,
      );
      return;
    }
    if (path === ROUTE_EXPLAIN_PATH) {
      if (method !== 'POST') throw methodNotAllowed(method, path, 'POST', response);
      const identity = authenticator.identify(request.headers);
      const body = await readJsonBody(request, bodyLimits(record));
      record.status = 200;
      sendJson(
        response,
        200,
        await explainRoute(body, request.headers, options.router, record.requestId, identity, {
          affinity: options.affinity,
        }),
      );
      return;
    }
    if (path === '/health' || path === '/healthz') {
      record.status = 200;
      sendJson(response, 200, { status: 'ok' });
      return;
    }
    if (path === '/ready' || path === '/readyz') {
      // Ready until a drain begins (SIGTERM): load balancers stop sending from its first moment.
      const draining = connections?.draining === true;
      record.status = draining ? 503 : 200;
      sendJson(response, record.status, { status: draining ? 'draining' : 'ready' });
      return;
    }
    if ((path === '/dashboard' || path.startsWith('/dashboard/')) && options.dashboard) {
      await options.dashboard(request, response, path);
      record.status = response.statusCode;
      return;
    }
    if (path.startsWith('/admin/') && options.admin) {
      await options.admin(request, response, path);
      record.status = response.statusCode;
      return;
    }
    if (path === '/metrics' && options.metrics) {
      if (method !== 'GET') throw methodNotAllowed(method, path, 'GET', response);
      const { contentType, body } = await options.metrics.render();
      record.status = 200;
      response.writeHead(200, { 'content-type': contentType });
      response.end(body);
      return;
    }
    if (path === '/v1/models' || path.startsWith('/v1/models/')) {
      if (method !== 'GET') throw methodNotAllowed(method, path, 'GET', response);
      authenticator.identify(request.headers);
      record.status = 200;
      if (path === '/v1/models') listModels(directory, dialect, response);
      else
        showModel(
          directory,
          decodeURIComponent(path.slice('/v1/models/'.length)),
          dialect,
          response,
        );
      return;
    }
    throw new GatewayError(
      'not_found',
      `No endpoint ${method} ${path}. Switchyard serves POST /v1/chat/completions, POST /v1/completions, POST /v1/responses (and GET / DELETE /v1/responses/{id}), POST /v1/messages, POST /v1/messages/count_tokens, POST /v1/embeddings, POST /v1/route/explain, POST /v1/feedback and GET /v1/models.`,
    );
  }
}

/** What Node would otherwise answer itself with an empty body: a missing Host, an unknown Expect. */
function checkFraming(request: IncomingMessage): void {
  if (request.httpVersion === '1.1' && request.headers.host === undefined) {
    throw new GatewayError('invalid_request', 'HTTP/1.1 requests need a Host header.', {
      param: 'host',
    });
  }
  const expect = request.headers.expect;
  if (expect !== undefined && expect.toLowerCase() !== '100-continue') {
    throw new GatewayError(
      'invalid_request',
      `Unsupported Expect header "${expect.slice(0, 64)}"; only 100-continue is supported.`,
      { status: 417, param: 'expect' },
    );
  }
}

function overCapacity(): GatewayError {
  return new GatewayError(
    'overloaded',
    'The gateway is at its limit of open connections (server.max_connections); retry shortly.',
    { retryAfterMs: 1000 },
  );
}

function methodNotAllowed(
  method: string,
  path: string,
  allowed: string,
  response: ServerResponse,
): GatewayError {
  response.setHeader('allow', allowed);
  return new GatewayError('method_not_allowed', `${path} accepts ${allowed}, not ${method}.`);
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
