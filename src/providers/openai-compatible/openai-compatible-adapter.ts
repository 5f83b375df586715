import type {
  AdapterFactory,
  CallContext,
  PartStream,
  ProviderAdapter,
} from '../../core/provider.js';
import type { ModelResponse } from '../../core/response.js';
import { abortError, type UpstreamErrorContext } from '../upstream-errors.js';
import {
  expectEventStream,
  postJson,
  readJson,
  resolveTarget,
  type UpstreamResponse,
} from '../upstream-http.js';
import { decodeUpstreamStream } from '../upstream-stream.js';
import { closeDispatcher, providerHeaders } from '../provider-headers.js';
import { decodeResponse } from './decode-response.js';
import { OpenAIStreamDecoder } from './decode-stream.js';
import { encodeChatBody, encodeCompletionBody } from './encode-request.js';
import {
  decodeEmbeddingsResponse,
  EMBEDDINGS_ENDPOINT,
  encodeEmbeddingsBody,
} from './embeddings.js';

const CHAT_ENDPOINT = '/chat/completions';
const COMPLETIONS_ENDPOINT = '/completions';

/**
 * Adapter for OpenAI-compatible upstreams (OpenAI, DeepSeek, Qwen, Mistral, Together, Fireworks,
 * Groq, OpenRouter, vLLM, Ollama, llama.cpp …): POST `<baseUrl>/chat/completions`,
 * `<baseUrl>/embeddings` and, when `quirks.completions`, `<baseUrl>/completions`. The adapter owns the injected dispatcher:
 * `close()` closes it.
 */
export const createOpenAICompatibleAdapter: AdapterFactory = (settings, dispatcher) => {
  const target = resolveTarget(settings.baseUrl);
  const errorContext: UpstreamErrorContext =
    settings.apiKey === undefined
      ? { provider: settings.id }
      : { provider: settings.id, apiKey: settings.apiKey };
  const authorization: Record<string, string> =
    settings.apiKey === undefined || settings.apiKey === ''
      ? {}
      : { authorization: `Bearer ${settings.apiKey}` };
  const headersFor = (context: CallContext, stream: boolean): Record<string, string> =>
    providerHeaders(
      authorization,
      settings.headers,
      context.requestId,
      stream,
      context.traceparent,
    );

  async function send(
    endpoint: string,
    body: Record<string, unknown>,
    context: CallContext,
    stream: boolean,
  ): Promise<UpstreamResponse> {
    if (context.signal.aborted) throw abortError(context.signal, errorContext);
    return postJson({
      dispatcher,
      target,
      endpoint,
      headers: headersFor(context, stream),
      body: JSON.stringify(body),
      signal: context.signal,
      context: errorContext,
    });
  }

  async function answer(
    endpoint: string,
    body: Record<string, unknown>,
    context: CallContext,
  ): Promise<ModelResponse> {
    const response = await send(endpoint, body, context, false);
    const payload = await readJson(response, context.signal, errorContext);
    return decodeResponse(payload, context.upstreamModel, errorContext);
  }

  async function stream(
    endpoint: string,
    body: Record<string, unknown>,
    context: CallContext,
  ): Promise<PartStream> {
    const response = await send(endpoint, body, context, true);
    await expectEventStream(response, context.signal, errorContext);
    return decodeUpstreamStream(
      response,
      context.signal,
      errorContext,
      new OpenAIStreamDecoder(errorContext, context.upstreamModel),
    );
  }

  const options = (context: CallContext, streaming: boolean) => ({
    providerId: settings.id,
    upstreamModel: context.upstreamModel,
    quirks: settings.quirks,
    stream: streaming,
  });

  const adapter: ProviderAdapter = {
    id: settings.id,
    wire: 'openai-compatible',
    quirks: settings.quirks,
    chat: async (request, context) =>
      answer(CHAT_ENDPOINT, encodeChatBody(request, options(context, false)), context),
    streamChat: async (request, context) =>
      stream(CHAT_ENDPOINT, encodeChatBody(request, options(context, true)), context),
    async embed(request, context) {
      const response = await send(
        EMBEDDINGS_ENDPOINT,
        encodeEmbeddingsBody(request, context.upstreamModel),
        context,
        false,
      );
      const payload = await readJson(response, context.signal, errorContext);
      return decodeEmbeddingsResponse(
        payload,
        request.input.length,
        context.upstreamModel,
        errorContext,
      );
    },
    close: () => closeDispatcher(dispatcher),
  };
  if (settings.quirks.completions) {
    adapter.complete = async (request, context) =>
      answer(COMPLETIONS_ENDPOINT, encodeCompletionBody(request, options(context, false)), context);
    adapter.streamComplete = async (request, context) =>
      stream(COMPLETIONS_ENDPOINT, encodeCompletionBody(request, options(context, true)), context);
  }
  return adapter;
};
