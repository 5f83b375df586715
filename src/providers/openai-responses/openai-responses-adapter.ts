import type { AdapterFactory, CallContext, ProviderAdapter } from '../../core/provider.js';
import { abortError, type UpstreamErrorContext } from '../upstream-errors.js';
import { expectEventStream, postJson, readJson, resolveTarget } from '../upstream-http.js';
import { decodeUpstreamStream } from '../upstream-stream.js';
import { providerHeaders } from '../provider-headers.js';
import { createOpenAICompatibleAdapter } from '../openai-compatible/openai-compatible-adapter.js';
import { decodeResponsesResponse } from './decode-response.js';
import { ResponsesStreamDecoder } from './decode-stream.js';
import { encodeResponsesBody } from './encode-request.js';

const RESPONSES_ENDPOINT = '/responses';

/**
 * Adapter for upstreams that speak the OpenAI Responses API (OpenAI itself, and servers that
 * copy it): chat requests go to `POST <baseUrl>/responses`, JSON and streamed; embeddings and
 * `/completions` (when `quirks.completions`) go through the OpenAI-compatible adapter on the
 * same base URL, key and dispatcher, which `close()` closes.
 */
export const createOpenAIResponsesAdapter: AdapterFactory = (settings, dispatcher) => {
  const compatible = createOpenAICompatibleAdapter(settings, dispatcher);
  const target = resolveTarget(settings.baseUrl);
  const errorContext: UpstreamErrorContext =
    settings.apiKey === undefined
      ? { provider: settings.id }
      : { provider: settings.id, apiKey: settings.apiKey };
  const authorization: Record<string, string> =
    settings.apiKey === undefined || settings.apiKey === ''
      ? {}
      : { authorization: `Bearer ${settings.apiKey}` };

  const send = async (body: Record<string, unknown>, context: CallContext, stream: boolean) => {
    if (context.signal.aborted) throw abortError(context.signal, errorContext);
    return postJson({
      dispatcher,
      target,
      endpoint: RESPONSES_ENDPOINT,
      headers: providerHeaders(
        authorization,
        settings.headers,
        context.requestId,
        stream,
        context.traceparent,
      ),
      body: JSON.stringify(body),
      signal: context.signal,
      context: errorContext,
    });
  };
  const options = (context: CallContext, stream: boolean) => ({
    providerId: settings.id,
    upstreamModel: context.upstreamModel,
    stream,
  });

  const adapter: ProviderAdapter = {
    ...compatible,
    wire: 'openai-responses',
    async chat(request, context) {
      const response = await send(
        encodeResponsesBody(request, options(context, false)),
        context,
        false,
      );
      const payload = await readJson(response, context.signal, errorContext);
      return decodeResponsesResponse(payload, context.upstreamModel, errorContext);
    },
    async streamChat(request, context) {
      const response = await send(
        encodeResponsesBody(request, options(context, true)),
        context,
        true,
      );
      await expectEventStream(response, context.signal, errorContext);
      return decodeUpstreamStream(
        response,
        context.signal,
        errorContext,
        new ResponsesStreamDecoder(errorContext, context.upstreamModel),
      );
    },
  };
  return adapter;
};
