import type { LruCache } from './lru-cache.js';
import type { PromptPrefix } from './prompt-prefixes.js';
import type { SimPromptCache } from './sim-types.js';

/** What the simulated provider cache reports for one request. */
export interface PromptCacheUsage {
  cachedTokens: number;
  cacheWriteTokens: number;
  /** The part of `cacheWriteTokens` written under 1-hour marks (`cache_control.ttl: "1h"`). */
  cacheWrite1hTokens?: number;
}

/** Anthropic: a prefix shorter than this is not cached (the documented minimum for Sonnet/Opus). */
export const ANTHROPIC_MIN_CACHE_TOKENS = 1024;
/** Anthropic looks back this many blocks from each breakpoint for an earlier cache entry. */
const LOOKBACK_BLOCKS = 20;
/** OpenAI caches prompts of at least 1,024 tokens, in steps of 128. */
const OPENAI_MIN = 1024;
const OPENAI_STEP = 128;
/** DeepSeek's cache works in 64-token units. */
const DEEPSEEK_UNIT = 64;
const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

/** Entries: prefix key → expiry (ms since epoch). */
export type PromptCacheStore = LruCache<string, number>;

/**
 * Serves one request from the simulated provider prompt cache and records what it writes.
 * - `marks` (Anthropic wire, and OpenRouter-like upstreams): only prefixes ending at a
 *   `cache_control` block are written; a read is the longest cached prefix ending at a block
 *   within 20 blocks before a breakpoint; writes are the tokens from there to the last breakpoint,
 *   each span under the TTL of the breakpoint that ends it (1-hour writes counted apart);
 *   entries live 5 minutes (or 1 hour) from their last use.
 * - `automatic-openai` / `automatic-deepseek`: every message boundary is cached for 5 minutes; a
 *   read is the longest cached one, rounded down to the provider's granularity; no writes billed.
 * - `none`: nothing is cached.
 */
export function servePromptCache(
  store: PromptCacheStore,
  scope: string,
  prefixes: readonly PromptPrefix[],
  mode: SimPromptCache,
  now = Date.now(),
): PromptCacheUsage {
  if (mode === 'none' || prefixes.length === 0) return { cachedTokens: 0, cacheWriteTokens: 0 };
  const live = (index: number): boolean => {
    const prefix = prefixes[index] as PromptPrefix;
    const expiry = store.get(`${scope}\n${prefix.hash}`);
    return expiry !== undefined && expiry > now;
  };
  const put = (prefix: PromptPrefix, ttl: '5m' | '1h'): void =>
    store.set(`${scope}\n${prefix.hash}`, now + TTL_MS[ttl]);
  if (mode === 'marks') return serveMarks(prefixes, live, put);
  let hit = -1;
  for (let index = prefixes.length - 1; index >= 0 && hit < 0; index--)
    if (live(index)) hit = index;
  for (const prefix of prefixes) put(prefix, '5m');
  const tokens = hit < 0 ? 0 : (prefixes[hit] as PromptPrefix).tokens;
  if (mode === 'automatic-deepseek')
    return {
      cachedTokens: Math.floor(tokens / DEEPSEEK_UNIT) * DEEPSEEK_UNIT,
      cacheWriteTokens: 0,
    };
  const cached =
    tokens < OPENAI_MIN
      ? 0
      : OPENAI_MIN + Math.floor((tokens - OPENAI_MIN) / OPENAI_STEP) * OPENAI_STEP;
  return { cachedTokens: cached, cacheWriteTokens: 0 };
}

function serveMarks(
  prefixes: readonly PromptPrefix[],
  live: (index: number) => boolean,
  put: (prefix: PromptPrefix, ttl: '5m' | '1h') => void,
): PromptCacheUsage {
  const breakpoints: number[] = [];
  prefixes.forEach((prefix, index) => {
    if (prefix.mark !== undefined && prefix.tokens >= ANTHROPIC_MIN_CACHE_TOKENS)
      breakpoints.push(index);
  });
  if (breakpoints.length === 0) return { cachedTokens: 0, cacheWriteTokens: 0 };
  let hit = -1;
  for (const breakpoint of breakpoints) {
    for (let index = breakpoint; index >= Math.max(0, breakpoint - LOOKBACK_BLOCKS + 1); index--) {
      if (index <= hit) break;
      if (live(index)) {
        hit = index;
        break;
      }
    }
  }
  const last = breakpoints[breakpoints.length - 1] as number;
  const cachedTokens = hit < 0 ? 0 : (prefixes[hit] as PromptPrefix).tokens;
  const cacheWriteTokens = hit >= last ? 0 : (prefixes[last] as PromptPrefix).tokens - cachedTokens;
  // Each span between breakpoints is written under the TTL of the breakpoint that closes it.
  let cacheWrite1hTokens = 0;
  let written = cachedTokens;
  for (const breakpoint of breakpoints) {
    if (breakpoint <= hit) continue;
    const prefix = prefixes[breakpoint] as PromptPrefix;
    if (prefix.mark === '1h') cacheWrite1hTokens += prefix.tokens - written;
    written = prefix.tokens;
  }
  if (hit >= 0) put(prefixes[hit] as PromptPrefix, prefixes[hit]?.mark ?? '5m');
  for (const breakpoint of breakpoints) {
    const prefix = prefixes[breakpoint] as PromptPrefix;
    put(prefix, prefix.mark ?? '5m');
  }
  return { cachedTokens, cacheWriteTokens, cacheWrite1hTokens };
}
