import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../core/errors.js';
import type { CanonicalRequest } from '../core/request.js';
import type { RequestRecord } from '../pipeline/request-record.js';
import { COUNT_TOKENS_PATH, serveCountTokens } from './count-tokens-endpoint.js';
import { EMBEDDINGS_PATH, serveEmbeddings } from './embeddings-endpoint.js';
import {
  anthropicMessagesEndpoint,
  openAIChatEndpoint,
  openAICompletionEndpoint,
} from './endpoints.js';
import type { DialectName, ModelEndpoint } from './endpoints.js';
import { FEEDBACK_PATH, serveFeedback } from './feedback-endpoint.js';
import type { RequestHandlerOptions } from './handler-options.js';
import { createModelPipeline, serveModelCall } from './model-call.js';
import { listModels, showModel } from './models-endpoint.js';
import { readJsonBody, type BodyLimits } from './read-body.js';
import { sendJson } from './respond.js';
import { createResponsesEndpoint } from './responses-endpoint.js';
import { explainRoute, ROUTE_EXPLAIN_PATH } from './route-explain-endpoint.js';
import { RESPONSES_PATH, serveStoredResponse } from './stored-responses-endpoint.js';

export type RouteRequest = (
  request: IncomingMessage,
  response: ServerResponse,
  record: RequestRecord,
  dialect: DialectName,
) => Promise<void>;

const MODEL_ENDPOINTS: Record<string, ModelEndpoint<CanonicalRequest>> = {
  '/v1/chat/completions': openAIChatEndpoint as ModelEndpoint<CanonicalRequest>,
  '/v1/completions': openAICompletionEndpoint as ModelEndpoint<CanonicalRequest>,
  '/v1/messages': anthropicMessagesEndpoint as ModelEndpoint<CanonicalRequest>,
};

/**
 * The gateway's endpoints: which one serves a request's path and method, with its auth and body
 * limits. Throws a GatewayError for anything it refuses; the entry point answers it in the dialect.
 */
export function createRequestRouter(options: RequestHandlerOptions): RouteRequest {
  const { directory, authenticator, connections } = options;
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

  return async function route(
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
  };
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

function methodNotAllowed(
  method: string,
  path: string,
  allowed: string,
  response: ServerResponse,
): GatewayError {
  response.setHeader('allow', allowed);
  return new GatewayError('method_not_allowed', `${path} accepts ${allowed}, not ${method}.`);
}
