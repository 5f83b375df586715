import type { ChatRequest } from '../../core/request.js';
import { invalidRequest, isObject, optionalBoolean } from '../field-readers.js';
import { decodeMessagesRequest } from './decode-messages-request.js';

/**
 * Decodes an Anthropic `POST /v1/messages/count_tokens` body (model, system, messages, tools,
 * tool_choice, thinking…: a Messages body without `max_tokens`) into a canonical ChatRequest,
 * validated exactly like a Messages request (its `anthropic-beta` header too). `stream` is refused: a count has nothing to stream.
 */
export function decodeCountTokensRequest(
  body: unknown,
  betaHeader?: string | string[],
): ChatRequest {
  if (!isObject(body)) throw invalidRequest('The request body must be a JSON object', 'body');
  if (optionalBoolean(body.stream, 'stream') === true)
    throw invalidRequest('`stream` is not a count_tokens field', 'stream');
  const { max_tokens: maxTokens, ...rest } = body;
  const request = decodeMessagesRequest(
    { ...rest, max_tokens: maxTokens ?? 1, stream: false },
    betaHeader,
  );
  delete request.maxTokens;
  return request;
}
