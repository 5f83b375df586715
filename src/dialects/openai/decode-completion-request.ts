import type { CompletionRequest } from '../../core/request.js';
import {
  invalidRequest,
  isObject,
  optionalBoolean,
  optionalInteger,
  optionalString,
  requireString,
} from '../field-readers.js';
import { checkBodyFields } from '../field-policy.js';
import { COMPLETION_FIELD_POLICY, COMPLETION_NESTED_POLICY } from './completion-field-policy.js';
import { decodeSamplingParams, decodeStreamFlags } from './decode-sampling-params.js';

/** OpenAI's legacy `/completions` generates 16 tokens when `max_tokens` is absent. */
export const LEGACY_DEFAULT_MAX_TOKENS = 16;

/**
 * Decodes an OpenAI `POST /v1/completions` body (legacy and fill-in-the-middle) into a
 * canonical CompletionRequest. Every field is in COMPLETION_FIELD_POLICY: unknown fields are
 * refused by name; null optional fields count as absent.
 */
export function decodeCompletionRequest(body: unknown): CompletionRequest {
  if (!isObject(body)) throw invalidRequest('The request body must be a JSON object', 'body');
  // `best_of: 1` (one candidate, the default) asks for nothing: accepted.
  const bestOf = body.best_of;
  checkBodyFields(bestOf === 1 ? { ...body, best_of: null } : body, COMPLETION_FIELD_POLICY);
  const model = requireString(body.model, 'model', false);
  const prompt = decodePrompt(body.prompt);
  const { stream, streamUsage } = decodeStreamFlags(body, COMPLETION_NESTED_POLICY);
  const request: CompletionRequest = {
    kind: 'completion',
    model,
    prompt,
    stream,
    maxTokens: optionalInteger(body.max_tokens, 'max_tokens', 1) ?? LEGACY_DEFAULT_MAX_TOKENS,
  };
  if (streamUsage !== undefined) request.streamUsage = streamUsage;
  decodeSamplingParams(body, request);
  const suffix = optionalString(body.suffix, 'suffix');
  if (suffix !== undefined) request.suffix = suffix;
  const echo = optionalBoolean(body.echo, 'echo');
  if (echo !== undefined) request.echo = echo;
  return request;
}

const TOKEN_PROMPT_MESSAGE =
  'Token-array prompts are not supported; send `prompt` as a string or an array of strings';

function decodePrompt(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidRequest('`prompt` must be a string or a non-empty array of strings', 'prompt');
  }
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    if (typeof item === 'string') continue;
    if (typeof item === 'number' || Array.isArray(item))
      throw invalidRequest(TOKEN_PROMPT_MESSAGE, 'prompt');
    throw invalidRequest(`\`prompt[${index}]\` must be a string`, `prompt[${index}]`);
  }
  return value as string[];
}
