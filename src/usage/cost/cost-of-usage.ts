import type { Price, PriceTier } from '../../registry/catalog-types.js';
import type { Usage } from '../../core/response.js';

/** USD per part of the bill. */
export interface CostBreakdown {
  /** Prompt tokens neither read from nor written to the provider's cache, at the input price. */
  inputUsd: number;
  /** Cache reads at the cached-input price (input price when the provider has none). */
  cachedInputUsd: number;
  /** Cache writes at the cache-write price (input price when unknown); 1-hour writes at the 1-hour price. */
  cacheWriteUsd: number;
  /** Output tokens, reasoning included, at the output price. */
  outputUsd: number;
}

export type UnpricedPart = 'input' | 'cached_input' | 'cache_write' | 'output';

export interface UsageCost {
  /** Sum of the breakdown. A lower bound when `unpriced` is not empty. */
  costUsd: number;
  /** The token counts were estimated (the provider reported no usage). */
  estimated: boolean;
  breakdown: CostBreakdown;
  /** Parts that had tokens but no known price; they count as 0 in `costUsd`. */
  unpriced: UnpricedPart[];
  /** The prompt-size tier applied (`aboveInputTokens`), when the price has tiers. */
  tierAboveInputTokens?: number;
}

export interface CostOptions {
  estimated?: boolean;
}

/**
 * The cost of one call from the tokens the provider reported. Canonical usage counts the whole
 * prompt in `inputTokens` (cache reads and writes included), so the uncached part is what remains
 * after taking both out. Reasoning tokens are part of `outputTokens` and priced as output.
 */
export function costOfUsage(
  usage: Usage,
  price: Price | undefined,
  options: CostOptions = {},
): UsageCost {
  const rates = ratesFor(price, usage.inputTokens);
  const cached = nonNegative(usage.cachedInputTokens);
  const cacheWrite = nonNegative(usage.cacheWriteTokens);
  const cacheWrite1h = Math.min(cacheWrite, nonNegative(usage.cacheWrite1hTokens));
  const uncached = Math.max(0, nonNegative(usage.inputTokens) - cached - cacheWrite);
  const output = nonNegative(usage.outputTokens);
  const unpriced: UnpricedPart[] = [];

  const part = (tokens: number, perMillion: number | undefined, name: UnpricedPart): number => {
    if (tokens === 0) return 0;
    if (perMillion === undefined) {
      if (!unpriced.includes(name)) unpriced.push(name);
      return 0;
    }
    return (tokens * perMillion) / 1_000_000;
  };

  const breakdown: CostBreakdown = {
    inputUsd: part(uncached, rates.inputPerMillion, 'input'),
    cachedInputUsd: part(
      cached,
      rates.cachedInputPerMillion ?? rates.inputPerMillion,
      'cached_input',
    ),
    cacheWriteUsd:
      part(
        cacheWrite - cacheWrite1h,
        rates.cacheWritePerMillion ?? rates.inputPerMillion,
        'cache_write',
      ) +
      part(
        cacheWrite1h,
        rates.cacheWrite1hPerMillion ?? rates.cacheWritePerMillion ?? rates.inputPerMillion,
        'cache_write',
      ),
    outputUsd: part(output, rates.outputPerMillion, 'output'),
  };
  const cost: UsageCost = {
    costUsd:
      breakdown.inputUsd + breakdown.cachedInputUsd + breakdown.cacheWriteUsd + breakdown.outputUsd,
    estimated: options.estimated ?? false,
    breakdown,
    unpriced,
  };
  if (rates.aboveInputTokens !== undefined) cost.tierAboveInputTokens = rates.aboveInputTokens;
  return cost;
}

type Rates = Omit<PriceTier, 'aboveInputTokens'> & { aboveInputTokens?: number };

/** The base rates, overridden field by field by the highest tier the prompt size reaches. */
function ratesFor(price: Price | undefined, inputTokens: number): Rates {
  if (price === undefined) return {};
  const base: Rates = {
    inputPerMillion: price.inputPerMillion,
    cachedInputPerMillion: price.cachedInputPerMillion,
    cacheWritePerMillion: price.cacheWritePerMillion,
    cacheWrite1hPerMillion: price.cacheWrite1hPerMillion,
    outputPerMillion: price.outputPerMillion,
  };
  let applied: PriceTier | undefined;
  for (const tier of price.tiers ?? []) {
    if (
      inputTokens > tier.aboveInputTokens &&
      (applied === undefined || tier.aboveInputTokens > applied.aboveInputTokens)
    )
      applied = tier;
  }
  if (applied === undefined) return base;
  return {
    inputPerMillion: applied.inputPerMillion ?? base.inputPerMillion,
    cachedInputPerMillion:
      applied.cachedInputPerMillion ??
      (applied.inputPerMillion === undefined ? base.cachedInputPerMillion : undefined),
    cacheWritePerMillion:
      applied.cacheWritePerMillion ??
      (applied.inputPerMillion === undefined ? base.cacheWritePerMillion : undefined),
    cacheWrite1hPerMillion:
      applied.cacheWrite1hPerMillion ??
      (applied.inputPerMillion === undefined ? base.cacheWrite1hPerMillion : undefined),
    outputPerMillion: applied.outputPerMillion ?? base.outputPerMillion,
    aboveInputTokens: applied.aboveInputTokens,
  };
}

function nonNegative(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}
