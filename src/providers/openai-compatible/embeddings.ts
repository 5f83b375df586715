import type { EmbeddingRequest, EmbeddingResponse } from '../../core/embedding.js';
import {
  badResponse,
  errorDetailFromPayload,
  errorFromPayload,
  isRecord,
  type UpstreamErrorContext,
} from '../upstream-errors.js';

export const EMBEDDINGS_ENDPOINT = '/embeddings';

/**
 * Canonical embedding request → an OpenAI `/embeddings` body. Vectors are always fetched as
 * floats (the default of every OpenAI-compatible server, so `encoding_format` is not sent: Mistral
 * rejects fields it does not know); the dialect encodes base64 for the client when asked.
 */
export function encodeEmbeddingsBody(
  request: EmbeddingRequest,
  upstreamModel: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = { model: upstreamModel, input: request.input };
  if (request.dimensions !== undefined) body['dimensions'] = request.dimensions;
  if (request.user !== undefined) body['user'] = request.user;
  return body;
}

/** `{data: [{index, embedding}], usage: {prompt_tokens}}` → vectors in input order. */
export function decodeEmbeddingsResponse(
  payload: unknown,
  expected: number,
  upstreamModel: string,
  context: UpstreamErrorContext,
): EmbeddingResponse {
  const detail = errorDetailFromPayload(payload);
  if (detail !== undefined) throw errorFromPayload(detail, context);
  if (!isRecord(payload) || !Array.isArray(payload['data']))
    throw badResponse(context, 'upstream embeddings answer has no data array');
  const vectors = new Array<number[]>(expected);
  for (const [position, entry] of payload['data'].entries()) {
    const index = isRecord(entry) && typeof entry['index'] === 'number' ? entry['index'] : position;
    const embedding = isRecord(entry) ? entry['embedding'] : undefined;
    if (
      !Array.isArray(embedding) ||
      !embedding.every((component) => typeof component === 'number')
    ) {
      throw badResponse(context, `upstream embedding ${position} is not an array of numbers`);
    }
    if (index < 0 || index >= expected || vectors[index] !== undefined)
      throw badResponse(context, `upstream embedding index ${index} is out of range or repeated`);
    vectors[index] = embedding as number[];
  }
  if (payload['data'].length !== expected)
    throw badResponse(
      context,
      `upstream answered ${payload['data'].length} embeddings for ${expected} inputs`,
    );
  const usage = isRecord(payload['usage']) ? payload['usage']['prompt_tokens'] : undefined;
  const model = typeof payload['model'] === 'string' ? payload['model'] : upstreamModel;
  return { model, vectors, ...(typeof usage === 'number' ? { inputTokens: usage } : {}) };
}
