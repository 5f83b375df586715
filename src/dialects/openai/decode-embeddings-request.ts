import type { EmbeddingInput, EmbeddingRequest } from '../../core/embedding.js';
import {
  invalidRequest,
  isObject,
  optionalInteger,
  optionalString,
  requireString,
} from '../field-readers.js';

/** OpenAI's limit on inputs per embeddings request. */
export const MAX_EMBEDDING_INPUTS = 2048;

const FIELDS = new Set(['model', 'input', 'encoding_format', 'dimensions', 'user']);

/**
 * Decodes an OpenAI `POST /v1/embeddings` body: `input` as a string, an array of strings, an
 * array of token ids or an array of token-id arrays; `encoding_format` float (default) or base64;
 * `dimensions`; `user`. Any other field is refused by name (nothing is dropped silently).
 */
export function decodeEmbeddingsRequest(body: unknown): EmbeddingRequest {
  if (!isObject(body)) throw invalidRequest('The request body must be a JSON object', 'body');
  for (const key of Object.keys(body)) {
    if (!FIELDS.has(key))
      throw invalidRequest(
        `\`${key}\` is not an embeddings field (accepted: ${[...FIELDS].join(', ')})`,
        key,
      );
  }
  const model = requireString(body.model, 'model', false);
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64')
    throw invalidRequest('`encoding_format` must be "float" or "base64"', 'encoding_format');
  const request: EmbeddingRequest = {
    kind: 'embedding',
    model,
    input: decodeInput(body.input),
    encodingFormat: format,
  };
  const dimensions = optionalInteger(body.dimensions, 'dimensions', 1);
  if (dimensions !== undefined) request.dimensions = dimensions;
  const user = optionalString(body.user, 'user');
  if (user !== undefined) request.user = user;
  return request;
}

function decodeInput(value: unknown): EmbeddingInput[] {
  if (typeof value === 'string') {
    if (value === '') throw invalidRequest('`input` must not be empty', 'input');
    return [value];
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidRequest(
      '`input` must be a string, an array of strings, an array of token ids, or an array of token-id arrays, and not empty',
      'input',
    );
  }
  if (value.every((entry) => typeof entry === 'number')) return [tokenIds(value, 'input')];
  if (value.length > MAX_EMBEDDING_INPUTS)
    throw invalidRequest(
      `\`input\` has ${value.length} entries; at most ${MAX_EMBEDDING_INPUTS} are allowed`,
      'input',
    );
  return value.map((entry, index) => {
    const param = `input[${index}]`;
    if (typeof entry === 'string') {
      if (entry === '') throw invalidRequest(`\`${param}\` must not be empty`, param);
      return entry;
    }
    if (Array.isArray(entry)) return tokenIds(entry, param);
    throw invalidRequest(`\`${param}\` must be a string or an array of token ids`, param);
  });
}

function tokenIds(list: unknown[], param: string): number[] {
  if (list.length === 0) throw invalidRequest(`\`${param}\` must not be empty`, param);
  for (let index = 0; index < list.length; index++) {
    const token = list[index];
    if (typeof token !== 'number' || !Number.isInteger(token) || token < 0)
      throw invalidRequest(
        `\`${param}[${index}]\` must be a token id (an integer >= 0)`,
        `${param}[${index}]`,
      );
  }
  return list as number[];
}
