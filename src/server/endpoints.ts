import * as anthropic from '../dialects/anthropic/index.js';
import * as openai from '../dialects/openai/index.js';
import type { EncodedError } from '../dialects/types.js';
import type { DialectName, ModelEndpoint } from '../dialects/model-endpoint.js';
import { CHAT_FIELD_POLICY } from '../dialects/openai/chat-field-policy.js';
import { MESSAGES_FIELD_POLICY } from '../dialects/anthropic/messages-field-policy.js';
import { COMPLETION_FIELD_POLICY } from '../dialects/openai/completion-field-policy.js';
import { refuseForUpstream, upstreamRefusals } from '../dialects/field-policy.js';
import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter } from '../core/provider.js';
import type { ChatRequest, CompletionRequest } from '../core/request.js';

export type { DecodeClient, DialectName, ModelEndpoint } from '../dialects/model-endpoint.js';

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
  call: async (adapter, request, context) => {
    refuseForUpstream(CHAT_FIELD_POLICY, request, adapter);
    return adapter.chat(request, context);
  },
  stream: async (adapter, request, context) => {
    refuseForUpstream(CHAT_FIELD_POLICY, request, adapter);
    return adapter.streamChat(request, context);
  },
  upstreamRefusals: (request) => upstreamRefusals(CHAT_FIELD_POLICY, request),
};

export const openAICompletionEndpoint: ModelEndpoint<CompletionRequest> = {
  dialect: 'openai',
  decode: openai.decodeCompletionRequest,
  encodeResponse: openai.encodeCompletionResponse,
  createStreamEncoder: (context, request) =>
    openai.createCompletionStreamEncoder(context, { includeUsage: request.streamUsage === true }),
  call: (adapter, request, context) => {
    if (!adapter.complete) throw completionsUnsupported(adapter);
    refuseForUpstream(COMPLETION_FIELD_POLICY, request, adapter);
    return adapter.complete(request, context);
  },
  stream: (adapter, request, context) => {
    if (!adapter.streamComplete) throw completionsUnsupported(adapter);
    refuseForUpstream(COMPLETION_FIELD_POLICY, request, adapter);
    return adapter.streamComplete(request, context);
  },
};

export const anthropicMessagesEndpoint: ModelEndpoint<ChatRequest> = {
  dialect: 'anthropic',
  decode: (body, client) =>
    anthropic.decodeMessagesRequest(body, client.headers?.['anthropic-beta']),
  encodeResponse: anthropic.encodeMessagesResponse,
  createStreamEncoder: (context) => anthropic.createMessagesStreamEncoder(context),
  call: async (adapter, request, context) => {
    refuseForUpstream(MESSAGES_FIELD_POLICY, request, adapter);
    return adapter.chat(request, context);
  },
  stream: async (adapter, request, context) => {
    refuseForUpstream(MESSAGES_FIELD_POLICY, request, adapter);
    return adapter.streamChat(request, context);
  },
  upstreamRefusals: (request) => upstreamRefusals(MESSAGES_FIELD_POLICY, request),
};

function completionsUnsupported(adapter: ProviderAdapter): GatewayError {
  return new GatewayError(
    'unsupported',
    `Provider "${adapter.id}" has no /completions endpoint; use /v1/chat/completions, or a model served by a provider with completions (FIM) support.`,
    { param: 'model' },
  );
}
