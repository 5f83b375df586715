/** The OpenAI client-facing dialect: `/v1/chat/completions`, `/v1/completions` and `/v1/embeddings`. */
export { decodeChatRequest } from './decode-chat-request.js';
export { decodeCompletionRequest, LEGACY_DEFAULT_MAX_TOKENS } from './decode-completion-request.js';
export { encodeChatResponse } from './encode-chat-response.js';
export type { ChatCompletion, ChatCompletionMessage } from './encode-chat-response.js';
export { encodeCompletionResponse } from './encode-completion-response.js';
export type { TextCompletion } from './encode-completion-response.js';
export { createChatStreamEncoder, DONE_EVENT } from './create-chat-stream-encoder.js';
export type { OpenAIStreamOptions } from './create-chat-stream-encoder.js';
export { createCompletionStreamEncoder } from './create-completion-stream-encoder.js';
export { encodeError } from './encode-error.js';
export { decodeEmbeddingsRequest, MAX_EMBEDDING_INPUTS } from './decode-embeddings-request.js';
export { encodeEmbeddingsResponse } from './encode-embeddings-response.js';
export type { EmbeddingList } from './encode-embeddings-response.js';
