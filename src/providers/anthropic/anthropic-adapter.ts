import type { AdapterFactory, CallContext, ProviderAdapter } from '../../core/provider.js';
import type { ChatRequest } from '../../core/request.js';
import { closeDispatcher, providerHeaders } from '../provider-headers.js';
import { abortError, type UpstreamErrorContext } from '../upstream-errors.js';
import {
  expectEventStream,
  postJson,
  readJson,
  resolveTarget,
  type UpstreamResponse,
} from '../upstream-http.js';
import { decodeUpstreamStream } from '../upstream-stream.js';
import { decodeAnthropicResponse } from './decode-response.js';
import { AnthropicStreamDecoder } from './decode-stream.js';
import { encodeAnthropicBody } from './encode-request.js';
import { anthropicBetaHeader } from './encode-request-options.js';
import {
  COUNT_TOKENS_ENDPOINT,
  decodeCountTokensResponse,
  encodeCountTokensBody,
} from './count-tokens.js';

/** Sent as `anthropic-version` when the provider settings name none. */
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

const MESSAGES_ENDPOINT = '/messages';

/**
 * Adapter for the Anthropic Messages API: POST `<baseUrl>/messages` (base URL e.g.
 * `https://api.anthropic.com/v1`), and `<baseUrl>/messages/count_tokens` for token counts. Chat
 * only: Anthropic has no completions or embeddings endpoint. The adapter owns the injected
 * dispatcher: `close()` closes it.
 */
export const createAnthropicAdapter: AdapterFactory = (settings, dispatcher) => {
  const target = resolveTarget(settings.baseUrl);
  const errorContext: UpstreamErrorContext =
    settings.apiKey === undefined
      ? { provider: settings.id }
      : { provider: settings.id, apiKey: settings.apiKey };
  const auth: Record<string, string> = {
    'anthropic-version': settings.anthropicVersion ?? DEFAULT_ANTHROPIC_VERSION,
  };
  if (settings.apiKey !== undefined && settings.apiKey !== '') auth['x-api-key'] = settings.apiKey;

  /** The client's `anthropic-beta` values this provider allows, after any configured ones (others are refused by name). */
  function addBetas(headers: Record<string, string>, request: ChatRequest): void {
    const betas = anthropicBetaHeader(request, settings.id, settings.quirks);
    if (betas !== undefined) {
      const configured = headers['anthropic-beta'];
      headers['anthropic-beta'] = configured === undefined ? betas : `${configured},${betas}`;
    }
  }

  async function send(
    request: ChatRequest,
    context: CallContext,
    stream: boolean,
  ): Promise<UpstreamResponse> {
    const body = encodeAnthropicBody(request, {
      providerId: settings.id,
      upstreamModel: context.upstreamModel,
      stream,
      quirks: settings.quirks,
    });
    const headers = providerHeaders(
      auth,
      settings.headers,
      context.requestId,
      stream,
      context.traceparent,
    );
    addBetas(headers, request);
    if (context.signal.aborted) throw abortError(context.signal, errorContext);
    return postJson({
      dispatcher,
      target,
      endpoint: MESSAGES_ENDPOINT,
      headers,
      body: JSON.stringify(body),
      signal: context.signal,
      context: errorContext,
    });
  }

  const adapter: ProviderAdapter = {
    id: settings.id,
    wire: 'anthropic',
    quirks: settings.quirks,
    async chat(request, context) {
      const response = await send(request, context, false);
      const payload = await readJson(response, context.signal, errorContext);
      return decodeAnthropicResponse(payload, context.upstreamModel, errorContext);
    },
    async streamChat(request, context) {
      const response = await send(request, context, true);
      await expectEventStream(response, context.signal, errorContext);
      const decoder = new AnthropicStreamDecoder(errorContext, context.upstreamModel);
      return decodeUpstreamStream(response, context.signal, errorContext, decoder);
    },
    async countTokens(request, context) {
      // The same betas as the Messages call (a beta can change the count: tools, thinking, context).
      const headers = providerHeaders(auth, settings.headers, context.requestId, false);
      addBetas(headers, request);
      if (context.signal.aborted) throw abortError(context.signal, errorContext);
      const response = await postJson({
        dispatcher,
        target,
        endpoint: COUNT_TOKENS_ENDPOINT,
        headers,
        body: JSON.stringify(encodeCountTokensBody(request, settings.id, context.upstreamModel)),
        signal: context.signal,
        context: errorContext,
      });
      return decodeCountTokensResponse(
        await readJson(response, context.signal, errorContext),
        errorContext,
      );
    },
    close: () => closeDispatcher(dispatcher),
  };
  return adapter;
};
