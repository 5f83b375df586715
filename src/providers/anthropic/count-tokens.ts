import type { ChatRequest } from '../../core/request.js';
import { badResponse, type UpstreamErrorContext } from '../upstream-errors.js';
import { encodeAnthropicBody } from './encode-request.js';

/** Path of Anthropic's token counting endpoint under the base URL (`…/v1`). */
export const COUNT_TOKENS_ENDPOINT = '/messages/count_tokens';

/**
 * Canonical request → a `POST /v1/messages/count_tokens` body: the Messages body without the
 * fields count_tokens does not take (`max_tokens`, `stream`, sampling and stop parameters).
 */
export function encodeCountTokensBody(
  request: ChatRequest,
  providerId: string,
  upstreamModel: string,
): Record<string, unknown> {
  const body = encodeAnthropicBody(request, { providerId, upstreamModel, stream: false });
  const {
    max_tokens: _maxTokens,
    stream: _stream,
    temperature: _temperature,
    top_p: _topP,
    stop_sequences: _stop,
    metadata: _metadata,
    top_k: _topK,
    service_tier: _serviceTier,
    ...counted
  } = body;
  return counted;
}

/** Reads `{ "input_tokens": N }`; anything else is an upstream_bad_response. */
export function decodeCountTokensResponse(payload: unknown, context: UpstreamErrorContext): number {
  const tokens =
    typeof payload === 'object' && payload !== null
      ? (payload as { input_tokens?: unknown }).input_tokens
      : undefined;
  if (typeof tokens !== 'number' || !Number.isInteger(tokens) || tokens < 0) {
    throw badResponse(context, 'upstream count_tokens answer has no integer input_tokens');
  }
  return tokens;
}
