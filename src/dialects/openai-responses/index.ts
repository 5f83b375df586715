/** The OpenAI Responses client dialect: `POST /v1/responses`. */
export { decodeResponsesRequest } from './decode-responses-request.js';
export type { DecodeResponsesOptions, PreviousResponse } from './decode-responses-request.js';
export { encodeResponsesResponse } from './encode-responses-response.js';
export { createResponsesStreamEncoder } from './create-responses-stream-encoder.js';
export { clientResponse, newResponseId } from './build-response-object.js';
export { responsesCallOf } from './responses-call.js';
export type { ResponsesCall } from './responses-call.js';
export type { OutputItem, ResponseObject } from './responses-types.js';
