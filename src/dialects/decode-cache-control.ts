import type { CacheControl } from '../core/request.js';
import { invalidRequest, requireObject, type JsonObject } from './field-readers.js';

/**
 * A block's `cache_control` (Anthropic prompt caching; OpenRouter takes the same mark on OpenAI chat content parts) → a canonical cache mark. Absent or null
 * is no mark; anything but `{type: "ephemeral", ttl?: "5m" | "1h"}` is a 400 that names the field.
 */
export function decodeCacheControl(block: JsonObject, param: string): CacheControl | undefined {
  const value = block.cache_control;
  if (value === undefined || value === null) return undefined;
  const at = `${param}.cache_control`;
  const mark = requireObject(value, at);
  if (mark.type !== 'ephemeral')
    throw invalidRequest(`\`${at}.type\` must be "ephemeral"`, `${at}.type`);
  for (const key of Object.keys(mark)) {
    if (key !== 'type' && key !== 'ttl')
      throw invalidRequest(`\`${at}.${key}\` is not a cache_control field`, `${at}.${key}`);
  }
  if (mark.ttl === undefined || mark.ttl === null) return { type: 'ephemeral' };
  if (mark.ttl !== '5m' && mark.ttl !== '1h')
    throw invalidRequest(`\`${at}.ttl\` must be "5m" or "1h"`, `${at}.ttl`);
  return { type: 'ephemeral', ttl: mark.ttl };
}

/** `target` with `cacheControl` set when the block carries a mark. */
export function withCacheControl<T extends { cacheControl?: CacheControl }>(
  target: T,
  block: JsonObject,
  param: string,
): T {
  const mark = decodeCacheControl(block, param);
  if (mark !== undefined) target.cacheControl = mark;
  return target;
}
