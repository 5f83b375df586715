import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_FLEET } from './default-fleet.js';
import { ANTHROPIC_MESSAGES_ENCODER } from './encode-anthropic-answer.js';
import { OPENAI_CHAT_ENCODER, OPENAI_COMPLETION_ENCODER } from './encode-openai-answer.js';
import { prepareAnthropicMessages } from './prepare-anthropic-request.js';
import { applyReplay } from './replay-table.js';
import { prepareOpenAiChat, prepareOpenAiCompletion } from './prepare-openai-request.js';
import { OPENAI_RESPONSES_ENCODER } from './encode-responses-answer.js';
import { prepareOpenAiResponses } from './prepare-responses-request.js';
import { SimHttpError, type PreparedRequest, type SimAnswerEncoder } from './prepared-request.js';
import { serveGeneration, writeError } from './serve-generation.js';
import type { RunningSimulator, SimProviderSpec, StartSimulatorOptions } from './sim-types.js';
import {
  MAX_CACHED_ANSWER_TOKENS,
  MAX_CACHED_BODY_CHARS,
  SimulatorState,
} from './simulator-state.js';
import { UNKNOWN_MODEL } from './stats-recorder.js';
import { countAnthropicTokens } from './count-anthropic-tokens.js';
import { serveEmbeddings } from './serve-embeddings.js';
import {
  invalidRequest,
  methodNotAllowed,
  notFound,
  openAiError,
  unauthorized,
} from './wire-errors.js';

const MAX_BODY_BYTES = 32 * 1024 * 1024;

interface GenerationRoute {
  prepare(provider: SimProviderSpec, body: unknown): PreparedRequest;
  encoder: SimAnswerEncoder;
}

const ROUTES: Record<string, GenerationRoute> = {
  'openai-compatible /v1/chat/completions': {
    prepare: prepareOpenAiChat,
    encoder: OPENAI_CHAT_ENCODER,
  },
  'openai-compatible /v1/completions': {
    prepare: prepareOpenAiCompletion,
    encoder: OPENAI_COMPLETION_ENCODER,
  },
  'anthropic /v1/messages': {
    prepare: prepareAnthropicMessages,
    encoder: ANTHROPIC_MESSAGES_ENCODER,
  },
};

/** The Responses API, served by the openai-compatible providers that have `responsesApi`. */
const RESPONSES_ROUTE: GenerationRoute = {
  prepare: prepareOpenAiResponses,
  encoder: OPENAI_RESPONSES_ENCODER,
};

function routeFor(provider: SimProviderSpec, path: string): GenerationRoute | undefined {
  if (path === '/v1/responses' && provider.wire === 'openai-compatible')
    return provider.responsesApi === true ? RESPONSES_ROUTE : undefined;
  return ROUTES[`${provider.wire} ${path}`];
}

/** Endpoints answered with one JSON object and no generation: not counted in generation stats, but recorded. */
const UTILITY_ROUTES: Record<string, (provider: SimProviderSpec, body: unknown) => unknown> = {
  'openai-compatible /v1/embeddings': serveEmbeddings,
  'anthropic /v1/messages/count_tokens': countAnthropicTokens,
};

function writeJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

function readBody(request: IncomingMessage, onBody: (text: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  request.on('end', () =>
    onBody(
      size > MAX_BODY_BYTES
        ? undefined
        : (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString('utf8'),
    ),
  );
  request.on('error', () => undefined);
}

function isAuthorized(
  provider: SimProviderSpec,
  request: IncomingMessage,
): { ok: boolean; keyGiven: boolean } {
  if (provider.apiKey === undefined) return { ok: true, keyGiven: false };
  const authorization = request.headers.authorization;
  const bearer =
    typeof authorization === 'string' && authorization.startsWith('Bearer ')
      ? authorization.slice(7)
      : undefined;
  const headerKey = request.headers['x-api-key'];
  const key =
    provider.wire === 'anthropic' ? (typeof headerKey === 'string' ? headerKey : bearer) : bearer;
  return { ok: key === provider.apiKey, keyGiven: key !== undefined };
}

function modelsList(provider: SimProviderSpec): unknown {
  if (provider.wire === 'anthropic') {
    const data = provider.models.map((model) => ({
      type: 'model',
      id: model.name,
      display_name: model.name,
      created_at: '2025-01-01T00:00:00Z',
    }));
    return {
      data,
      has_more: false,
      first_id: data[0]?.id ?? null,
      last_id: data[data.length - 1]?.id ?? null,
    };
  }
  const names = [...provider.models, ...(provider.embeddingModels ?? [])].map(
    (model) => model.name,
  );
  return {
    object: 'list',
    data: names.map((name) => ({
      id: name,
      object: 'model',
      created: 1_735_689_600,
      owned_by: provider.id,
    })),
  };
}

function modelNameOf(provider: SimProviderSpec, text: string): string {
  const match = /"model"\s*:\s*"([^"]*)"/.exec(text);
  const name = match?.[1];
  return name !== undefined && provider.models.some((model) => model.name === name)
    ? name
    : UNKNOWN_MODEL;
}

/** Starts the simulator fleet over HTTP on loopback (by default) and resolves once listening. */
export async function startSimulator(
  options: StartSimulatorOptions = {},
): Promise<RunningSimulator> {
  const state = new SimulatorState(
    options.fleet ?? DEFAULT_FLEET,
    options.timeScale ?? 1,
    options.seed,
  );

  const rejectGeneration = (
    provider: SimProviderSpec,
    raw: string,
    error: SimHttpError,
    response: ServerResponse,
  ): void => {
    const modelName = modelNameOf(provider, raw);
    state.stats.request(provider.id, modelName, false);
    state.stats.outcome(provider.id, modelName, error.outcome);
    writeError(response, error);
  };

  const handleGeneration = (
    provider: SimProviderSpec,
    path: string,
    route: GenerationRoute,
    request: IncomingMessage,
    response: ServerResponse,
  ): void => {
    readBody(request, (raw) => {
      if (raw === undefined) {
        writeError(response, invalidRequest(provider.wire, 'Request body too large.'));
        return;
      }
      state.record({
        providerId: provider.id,
        method: 'POST',
        path,
        headers: request.headers,
        rawBody: raw,
      });
      const auth = isAuthorized(provider, request);
      if (!auth.ok)
        return rejectGeneration(
          provider,
          raw,
          unauthorized(provider.wire, auth.keyGiven),
          response,
        );
      if (provider.wire === 'anthropic' && request.headers['anthropic-version'] === undefined) {
        return rejectGeneration(
          provider,
          raw,
          invalidRequest('anthropic', 'anthropic-version: header is required'),
          response,
        );
      }
      const cacheable = raw.length <= MAX_CACHED_BODY_CHARS;
      const key = cacheable ? `${provider.id} ${path}\n${raw}` : '';
      let prepared = cacheable ? state.prepared.get(key) : undefined;
      if (prepared === undefined) {
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          const message =
            provider.wire === 'anthropic'
              ? 'There was an error parsing the body of your request: invalid JSON.'
              : 'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.';
          return rejectGeneration(provider, raw, invalidRequest(provider.wire, message), response);
        }
        try {
          prepared = route.prepare(provider, body);
          if (options.replay !== undefined) prepared = applyReplay(options.replay, prepared, body);
        } catch (error) {
          if (error instanceof SimHttpError)
            return rejectGeneration(provider, raw, error, response);
          throw error;
        }
        const answerTokens = prepared.choices.reduce(
          (total, choice) => total + choice.completionTokens,
          0,
        );
        if (cacheable && answerTokens <= MAX_CACHED_ANSWER_TOKENS)
          state.prepared.set(key, prepared);
      }
      serveGeneration(state, provider, prepared, route.encoder, request, response);
    });
  };

  const handleUtility = (
    provider: SimProviderSpec,
    path: string,
    answer: (provider: SimProviderSpec, body: unknown) => unknown,
    request: IncomingMessage,
    response: ServerResponse,
  ): void => {
    readBody(request, (raw) => {
      if (raw === undefined)
        return writeError(response, invalidRequest(provider.wire, 'Request body too large.'));
      state.record({
        providerId: provider.id,
        method: 'POST',
        path,
        headers: request.headers,
        rawBody: raw,
      });
      const auth = isAuthorized(provider, request);
      if (!auth.ok) return writeError(response, unauthorized(provider.wire, auth.keyGiven));
      if (provider.wire === 'anthropic' && request.headers['anthropic-version'] === undefined) {
        return writeError(
          response,
          invalidRequest('anthropic', 'anthropic-version: header is required'),
        );
      }
      try {
        writeJson(response, 200, answer(provider, JSON.parse(raw)));
      } catch (error) {
        if (error instanceof SimHttpError) return writeError(response, error);
        if (error instanceof SyntaxError)
          return writeError(
            response,
            invalidRequest(provider.wire, 'The request body is not valid JSON.'),
          );
        throw error;
      }
    });
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const fullPath = query < 0 ? url : url.slice(0, query);
    const method = request.method ?? 'GET';
    if (fullPath === '/_sim/stats' && method === 'GET')
      return writeJson(response, 200, state.stats.snapshot());
    if (fullPath === '/_sim/requests' && method === 'GET')
      return writeJson(response, 200, state.recentRequests());
    if (fullPath === '/_sim/reset' && method === 'POST') {
      state.reset();
      return writeJson(response, 200, { ok: true });
    }
    const slash = fullPath.indexOf('/', 1);
    const providerId = fullPath.slice(1, slash < 0 ? undefined : slash);
    const path = slash < 0 ? '' : fullPath.slice(slash);
    const provider = state.providers.get(providerId);
    if (provider === undefined) {
      request.resume();
      return writeError(
        response,
        openAiError(404, `Unknown simulator path: ${fullPath}`, { code: 'not_found' }),
      );
    }
    if (path === '/v1/models') {
      request.resume();
      if (method !== 'GET') return writeError(response, methodNotAllowed(provider.wire, method));
      const auth = isAuthorized(provider, request);
      if (!auth.ok) return writeError(response, unauthorized(provider.wire, auth.keyGiven));
      return writeJson(response, 200, modelsList(provider));
    }
    const utility = UTILITY_ROUTES[`${provider.wire} ${path}`];
    if (utility !== undefined) {
      if (method !== 'POST') {
        request.resume();
        return writeError(response, methodNotAllowed(provider.wire, method));
      }
      return handleUtility(provider, path, utility, request, response);
    }
    const route = routeFor(provider, path);
    if (route === undefined) {
      request.resume();
      return writeError(
        response,
        notFound(
          provider.wire,
          `Unknown path for ${provider.wire} provider ${provider.id}: ${path}`,
        ),
      );
    }
    if (method !== 'POST') {
      request.resume();
      return writeError(response, methodNotAllowed(provider.wire, method));
    }
    handleGeneration(provider, path, route, request, response);
  };

  const server = createServer({ keepAlive: true, noDelay: true }, handle);
  server.requestTimeout = 0;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    baseUrlFor(providerId) {
      if (!state.providers.has(providerId))
        throw new Error(`Unknown simulated provider: ${providerId}`);
      return `${url}/${providerId}/v1`;
    },
    stats: () => state.stats.snapshot(),
    resetStats: () => state.reset(),
    recentRequests: () => state.recentRequests(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
