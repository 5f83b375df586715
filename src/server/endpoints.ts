import * as anthropic from '../dialects/anthropic/index.js';
import * as openai from '../dialects/openai/index.js';
import type { EncodeContext, EncodedError, StreamEncoder } from '../dialects/types.js';
import { GatewayError } from '../core/errors.js';
import type { CallContext, PartStream, ProviderAdapter } from '../core/provider.js';
import type { CanonicalRequest, ChatRequest, CompletionRequest } from '../core/request.js';
import type { ModelResponse } from '../core/response.js';

export type DialectName = 'openai' | 'anthropic';

/**
 * One client-facing model endpoint: how its dialect decodes and encodes, and which adapter
 * method serves it. The request pipeline is the same for all of them (see model-call.ts).
 */
export interface ModelEndpoint<R extends CanonicalRequest> {
  dialect: DialectName;
  /** Wire body → canonical request; may look things up first (the Responses API's previous response). */
  decode(body: unknown, client: DecodeClient): R | Promise<R>;
  encodeResponse(response: ModelResponse, context: EncodeContext, request: R): object;
  createStreamEncoder(context: EncodeContext, request: R): StreamEncoder;
  call(adapter: ProviderAdapter, request: R, context: CallContext): Promise<ModelResponse>;
  stream(adapter: ProviderAdapter, request: R, context: CallContext): Promise<PartStream>;
}

/** Who sent the request, for decoders that read state the client owns. */
export interface DecodeClient {
  /** The client key's ledger id; null when anonymous. */
  keyId: string | null;
}

export const DIALECT_ERRORS: Record<DialectName, (error: GatewayError) => EncodedError> = {
  openai: openai.encodeError,
  anthropic: anthropic.encodeError,
};

export const openAIChatEndpoint: ModelEndpoint<ChatRequest> = {
  dialect: 'openai',
  decode: openai.decodeChatRequest,
  encodeResponse: openai.encodeChatResponse,
  createStreamEncoder: (context, request) =>
    openai.createChatStreamEncoder(context, { includeUsage: request.streamUsage === true }),
  call: (adapter, request, context) => adapter.chat(request, context),
  stream: (adapter, request, context) => adapter.streamChat(request, context),
};

export const openAICompletionEndpoint: ModelEndpoint<CompletionRequest> = {
  dialect: 'openai',
  decode: openai.decodeCompletionRequest,
  encodeResponse: openai.encodeCompletionResponse,
  createStreamEncoder: (context, request) =>
    openai.createCompletionStreamEncoder(context, { includeUsage: request.streamUsage === true }),
  call: (adapter, request, context) => {
    if (!adapter.complete) throw completionsUnsupported(adapter);
    return adapter.complete(request, context);
  },
  stream: (adapter, request, context) => {
    if (!adapter.streamComplete) throw completionsUnsupported(adapter);
    return adapter.streamComplete(request, context);
  },
};

export const anthropicMessagesEndpoint: ModelEndpoint<ChatRequest> = {
  dialect: 'anthropic',
  decode: anthropic.decodeMessagesRequest,
  encodeResponse: anthropic.encodeMessagesResponse,
  createStreamEncoder: (context) => anthropic.createMessagesStreamEncoder(context),
  call: (adapter, request, context) => adapter.chat(request, context),
  stream: (adapter, request, context) => adapter.streamChat(request, context),
};

function completionsUnsupported(adapter: ProviderAdapter): GatewayError {
  return new GatewayError(
    'unsupported',
    `Provider "${adapter.id}" has no /completions endpoint; use /v1/chat/completions, or a model served by a provider with completions (FIM) support.`,
    { param: 'model' },
  );
}
