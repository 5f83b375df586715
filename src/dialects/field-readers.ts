/**
 * Small, allocation-free readers for request bodies, shared by the client dialects.
 * Each reader checks one field and throws an `invalid_request` GatewayError naming the client's
 * field path. `null` means absent: the official SDKs send null for unset optional fields.
 */
import { GatewayError } from '../core/errors.js';
import { IMAGE_DETAILS, type ImageDetail } from '../core/request.js';

export type JsonObject = Record<string, unknown>;

export function invalidRequest(message: string, param: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}

/** A plain JSON object: not null, not an array. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Joins a parent path and a key: `path('messages[0]', 'content')` → `messages[0].content`. */
export function path(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

export function requireObject(value: unknown, param: string): JsonObject {
  if (!isObject(value)) throw invalidRequest(`\`${param}\` must be an object`, param);
  return value;
}

/**
 * A tool's parameter schema: a JSON object whose `type`, when given, is "object" (tool arguments
 * are always an object; OpenAI and Anthropic refuse other schema types the same way).
 */
export function requireToolSchema(value: unknown, param: string): JsonObject {
  const schema = requireObject(value, param);
  const type = schema.type;
  if (type !== undefined && type !== 'object')
    throw invalidRequest(
      `\`${param}.type\` must be "object": a tool's arguments are a JSON object`,
      `${param}.type`,
    );
  return schema;
}

export function requireArray(value: unknown, param: string): unknown[] {
  if (!Array.isArray(value)) throw invalidRequest(`\`${param}\` must be an array`, param);
  return value;
}

/** A required string; `allowEmpty` false rejects ''. */
export function requireString(value: unknown, param: string, allowEmpty = true): string {
  if (typeof value !== 'string') throw invalidRequest(`\`${param}\` must be a string`, param);
  if (!allowEmpty && value.length === 0)
    throw invalidRequest(`\`${param}\` must not be empty`, param);
  return value;
}

export function optionalString(value: unknown, param: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`\`${param}\` must be a string`, param);
  return value;
}

export function optionalBoolean(value: unknown, param: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`\`${param}\` must be a boolean`, param);
  return value;
}

/** A finite number in [minimum, maximum]. */
export function optionalNumber(
  value: unknown,
  param: string,
  minimum: number,
  maximum: number,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !(value >= minimum && value <= maximum)) {
    throw invalidRequest(`\`${param}\` must be a number between ${minimum} and ${maximum}`, param);
  }
  return value;
}

/** An integer in [minimum, maximum]; the message reads naturally for the usual bounds. */
export function optionalInteger(
  value: unknown,
  param: string,
  minimum = Number.MIN_SAFE_INTEGER,
  maximum = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
    throw invalidRequest(`\`${param}\` must be ${describeIntegerRange(minimum, maximum)}`, param);
  }
  return value;
}

function describeIntegerRange(minimum: number, maximum: number): string {
  const unboundedAbove = maximum === Number.MAX_SAFE_INTEGER;
  if (minimum === Number.MIN_SAFE_INTEGER && unboundedAbove) return 'an integer';
  if (minimum === 1 && unboundedAbove) return 'a positive integer';
  if (minimum === 0 && unboundedAbove) return 'a non-negative integer';
  return `an integer between ${minimum} and ${maximum}`;
}

/**
 * OpenAI's image `detail` (chat `image_url.detail`, Responses `input_image.detail`): one of
 * IMAGE_DETAILS; `auto` (the default) and absence give undefined.
 */
export function decodeImageDetail(value: unknown, param: string): ImageDetail | undefined {
  const detail = optionalString(value, param);
  if (detail === undefined || detail === 'auto') return undefined;
  if (!(IMAGE_DETAILS as readonly string[]).includes(detail))
    throw invalidRequest(`\`${param}\` must be one of ${IMAGE_DETAILS.join(', ')}`, param);
  return detail as ImageDetail;
}

/** The `data:` URL media type (`data:image/png;base64,…` → `image/png`), or undefined. */
export function dataUrlMediaType(url: string): string | undefined {
  if (!url.startsWith('data:')) return undefined;
  const end = url.indexOf(';');
  const comma = url.indexOf(',');
  const stop = end === -1 || (comma !== -1 && comma < end) ? comma : end;
  if (stop <= 5) return undefined;
  return url.slice(5, stop);
}

/** Unix seconds now. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
