import type { CanonicalRequest } from '../core/request.js';
import type { SessionCache } from '../core/route.js';
import type { Price } from '../registry/catalog-types.js';
import { costOfUsage } from '../usage/cost/cost-of-usage.js';

/** The expected cost of one turn of an agent session on one deployment, and the warm-cache discount. */
export interface SessionCost {
  costUsd: number;
  /** What the warm cache takes off (this deployment served the previous turn); absent when cold. */
  warmDiscountUsd?: number;
}

/**
 * Expected cost inside an identified session (cache affinity). On the deployment that served the
 * previous turn, that turn's prompt is a cached prefix: it is counted at the cached-input price.
 * Every other deployment is cold and pays the whole prompt — at the cache-write price when the
 * request carries cache marks and the deployment bills writes (Anthropic: 1.25× input), since the
 * marked prompt is written there; the warm deployment writes only what is new.
 */
export function predictSessionCost(
  price: Price | undefined,
  key: string,
  session: SessionCache,
  promptTokens: number,
  outputTokens: number,
  cacheMarks: boolean,
): SessionCost | undefined {
  if (price?.inputPerMillion === undefined || price.outputPerMillion === undefined)
    return undefined;
  const writes = cacheMarks && price.cacheWritePerMillion !== undefined;
  const cold = costOf(price, promptTokens, 0, outputTokens, writes);
  if (session.warmKey !== key || price.cachedInputPerMillion === undefined)
    return { costUsd: cold };
  const cached = Math.min(session.warmPromptTokens ?? 0, promptTokens);
  const warm = costOf(price, promptTokens, cached, outputTokens, writes);
  return { costUsd: warm, warmDiscountUsd: cold - warm };
}

function costOf(
  price: Price,
  promptTokens: number,
  cachedInputTokens: number,
  outputTokens: number,
  writes: boolean,
): number {
  return costOfUsage(
    {
      inputTokens: promptTokens,
      outputTokens,
      cachedInputTokens,
      ...(writes ? { cacheWriteTokens: promptTokens - cachedInputTokens } : {}),
    },
    price,
  ).costUsd;
}

/** The request carries provider cache marks (`cache_control`) anywhere. */
export function hasCacheMarks(request: CanonicalRequest): boolean {
  if (request.kind !== 'chat') return false;
  if (request.tools?.some((tool) => tool.cacheControl !== undefined)) return true;
  for (const message of request.messages) {
    if (message.role === 'user') {
      if (message.content.some((part) => part.cacheControl !== undefined)) return true;
    } else if (message.cacheControl !== undefined) return true;
    else if (message.role === 'assistant' && message.toolCalls?.some((call) => call.cacheControl))
      return true;
  }
  return false;
}
