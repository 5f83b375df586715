import type { EmbeddingRequest, EmbeddingResponse } from '../../core/embedding.js';

export interface EmbeddingList {
  object: 'list';
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/**
 * Canonical embeddings → OpenAI's list object. `base64` is the vector as little-endian float32
 * bytes (what the openai SDK asks for by default and decodes itself).
 */
export function encodeEmbeddingsResponse(
  response: EmbeddingResponse,
  request: EmbeddingRequest,
  model: string,
  inputTokens: number,
): EmbeddingList {
  return {
    object: 'list',
    data: response.vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: request.encodingFormat === 'base64' ? float32Base64(vector) : vector,
    })),
    model,
    usage: { prompt_tokens: inputTokens, total_tokens: inputTokens },
  };
}

function float32Base64(vector: number[]): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let index = 0; index < vector.length; index++) bytes.writeFloatLE(vector[index]!, index * 4);
  return bytes.toString('base64');
}
