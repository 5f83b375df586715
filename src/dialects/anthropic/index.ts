/** The Anthropic client-facing dialect: `/v1/messages`. */
export { decodeMessagesRequest } from './decode-messages-request.js';
export { encodeMessagesResponse, parseToolInput } from './encode-messages-response.js';
export type { AnthropicContentBlock, AnthropicMessage } from './encode-messages-response.js';
export { createMessagesStreamEncoder } from './create-messages-stream-encoder.js';
export { encodeError } from './encode-error.js';
export { decodeCountTokensRequest } from './decode-count-tokens-request.js';
