import { createSeededRandom, hashText } from './hash-text.js';
import { estimateTokens } from './generate-tokens.js';
import type { SimEmbeddingModelSpec, SimProviderSpec } from './sim-types.js';
import { invalidRequest, modelNotFound } from './wire-errors.js';

/** OpenAI's limit on inputs per embeddings request. */
const MAX_INPUTS = 2048;

/**
 * `POST /v1/embeddings` on an OpenAI-compatible provider with embedding models: deterministic unit
 * vectors seeded by a hash of (model, input), so the same text always embeds to the same vector.
 * `dimensions` shortens a vector the way text-embedding-3 does (cut, then scaled back to length
 * 1); `encoding_format: base64` sends little-endian float32 bytes. Throws SimHttpError.
 */
export function serveEmbeddings(provider: SimProviderSpec, body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad('The request body must be a JSON object.');
  const fields = body as Record<string, unknown>;
  const name = fields['model'];
  if (typeof name !== 'string' || name === '')
    throw bad('you must provide a model parameter', 'model');
  const model = provider.embeddingModels?.find((candidate) => candidate.name === name);
  if (model === undefined) {
    if (provider.models.some((candidate) => candidate.name === name))
      throw bad(`${name} is not an embedding model.`, 'model');
    throw modelNotFound('openai-compatible', name);
  }
  const inputs = readInputs(fields['input']);
  const dimensions = readDimensions(fields['dimensions'], model);
  const format = fields['encoding_format'] ?? 'float';
  if (format !== 'float' && format !== 'base64')
    throw bad("'encoding_format' must be 'float' or 'base64'.", 'encoding_format');
  let promptTokens = 0;
  const data = inputs.map((input, index) => {
    const text = typeof input === 'string' ? input : input.join(' ');
    promptTokens += typeof input === 'string' ? estimateTokens(input) : input.length;
    const vector = unitVector(
      `${model.name}\n${typeof input === 'string' ? 's' : 't'}\n${text}`,
      model.dimensions,
      dimensions,
    );
    return {
      object: 'embedding',
      index,
      embedding: format === 'base64' ? toBase64(vector) : vector,
    };
  });
  return {
    object: 'list',
    data,
    model: model.name,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

function bad(message: string, param: string | null = null): ReturnType<typeof invalidRequest> {
  return invalidRequest('openai-compatible', message, param);
}

function readInputs(value: unknown): Array<string | number[]> {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || value.length === 0)
    throw bad(
      "'input' must be a string, an array of strings, or token arrays, and not empty.",
      'input',
    );
  if (value.every((entry) => typeof entry === 'number')) return [checkTokens(value as number[])];
  if (value.length > MAX_INPUTS) throw bad(`'input' has more than ${MAX_INPUTS} entries.`, 'input');
  return value.map((entry) => {
    if (typeof entry === 'string') {
      if (entry === '') throw bad("'input' must not contain empty strings.", 'input');
      return entry;
    }
    if (Array.isArray(entry)) return checkTokens(entry);
    throw bad("'input' entries must be strings or arrays of token ids.", 'input');
  });
}

function checkTokens(tokens: unknown[]): number[] {
  if (
    tokens.length === 0 ||
    !tokens.every((token) => Number.isInteger(token) && (token as number) >= 0)
  ) {
    throw bad("token arrays in 'input' must hold non-negative integers and not be empty.", 'input');
  }
  return tokens as number[];
}

function readDimensions(value: unknown, model: SimEmbeddingModelSpec): number {
  if (value === undefined || value === null) return model.dimensions;
  if (!Number.isInteger(value) || (value as number) < 1)
    throw bad("'dimensions' must be a positive integer.", 'dimensions');
  if (model.shortenable !== true)
    throw bad(`This model does not support specifying dimensions.`, 'dimensions');
  if ((value as number) > model.dimensions)
    throw bad(`'dimensions' must be at most ${model.dimensions} for ${model.name}.`, 'dimensions');
  return value as number;
}

/** A deterministic vector of `full` components, cut to `length` and scaled to unit length. */
function unitVector(seedText: string, full: number, length: number): number[] {
  const random = createSeededRandom(hashText(seedText));
  const vector = new Array<number>(length);
  let squares = 0;
  for (let index = 0; index < full; index++) {
    const component = random.next() * 2 - 1;
    if (index < length) {
      vector[index] = component;
      squares += component * component;
    }
  }
  const norm = Math.sqrt(squares) || 1;
  for (let index = 0; index < length; index++)
    vector[index] = Math.fround((vector[index] as number) / norm);
  return vector;
}

function toBase64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((component, index) => {
    bytes.writeFloatLE(component, index * 4);
  });
  return bytes.toString('base64');
}
