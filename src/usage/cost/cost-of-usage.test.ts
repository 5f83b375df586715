import { describe, expect, it } from 'vitest';
import type { Price } from '../../registry/catalog-types.js';
import { buildModelRegistry } from '../../registry/model-registry.js';
import { costOfUsage } from './cost-of-usage.js';

const registry = buildModelRegistry();
const priceOf = (model: string, provider: string): Price =>
  registry.deployment(model, provider)!.price;

describe('costOfUsage', () => {
  it('prices uncached input, cache hits and output (reasoning included) separately', () => {
    // DeepSeek list: 0.28 miss / 0.028 hit / 0.42 out per million.
    const cost = costOfUsage(
      {
        inputTokens: 1_000_000,
        cachedInputTokens: 400_000,
        outputTokens: 500_000,
        reasoningTokens: 300_000,
      },
      priceOf('deepseek-chat', 'deepseek'),
    );
    expect(cost.breakdown.inputUsd).toBeCloseTo(0.168, 10);
    expect(cost.breakdown.cachedInputUsd).toBeCloseTo(0.0112, 10);
    expect(cost.breakdown.outputUsd).toBeCloseTo(0.21, 10);
    expect(cost.costUsd).toBeCloseTo(0.3892, 10);
    expect(cost).toMatchObject({ estimated: false, unpriced: [] });
  });

  it('prices Anthropic cache writes at the cache-write price and takes them out of the input', () => {
    // Sonnet 4: 3 input / 0.30 hit / 3.75 write / 15 output.
    const cost = costOfUsage(
      {
        inputTokens: 10_000,
        cachedInputTokens: 6_000,
        cacheWriteTokens: 3_000,
        outputTokens: 1_000,
      },
      priceOf('claude-sonnet-4-20250514', 'anthropic'),
    );
    expect(cost.breakdown).toEqual({
      inputUsd: 0.003,
      cachedInputUsd: 0.0018,
      cacheWriteUsd: 0.01125,
      outputUsd: 0.015,
    });
  });

  it('prices 1-hour cache writes at the 1-hour price (2x input for Anthropic), the rest at the 5-minute price', () => {
    // Sonnet 4: 3.75 per million 5-minute writes, 6 per million 1-hour writes.
    const price = priceOf('claude-sonnet-4-20250514', 'anthropic');
    expect(price).toMatchObject({ cacheWritePerMillion: 3.75, cacheWrite1hPerMillion: 6 });
    const usage = {
      inputTokens: 10_000,
      cacheWriteTokens: 4_000,
      cacheWrite1hTokens: 3_000,
      outputTokens: 0,
    };
    const cost = costOfUsage(usage, price);
    expect(cost.breakdown.cacheWriteUsd).toBeCloseTo((1_000 * 3.75 + 3_000 * 6) / 1_000_000, 12);
    expect(cost.breakdown.inputUsd).toBeCloseTo((6_000 * 3) / 1_000_000, 12);
    // Long prompts take the long-context tier's 1-hour price (2x its input price).
    const long = costOfUsage({ ...usage, inputTokens: 300_000 }, price);
    expect(long.breakdown.cacheWriteUsd).toBeCloseTo((1_000 * 7.5 + 3_000 * 12) / 1_000_000, 12);
  });

  it('prices 1-hour writes at the cache-write price when there is no 1-hour price, and never more tokens than were written', () => {
    const price: Price = {
      inputPerMillion: 1,
      cacheWritePerMillion: 2,
      outputPerMillion: 1,
      source: 'test',
    };
    const usage = { inputTokens: 2_000_000, cacheWriteTokens: 1_000_000, outputTokens: 0 };
    expect(
      costOfUsage({ ...usage, cacheWrite1hTokens: 500_000 }, price).breakdown.cacheWriteUsd,
    ).toBe(2);
    expect(
      costOfUsage(
        { ...usage, cacheWrite1hTokens: 5_000_000 },
        { ...price, cacheWrite1hPerMillion: 4 },
      ).breakdown.cacheWriteUsd,
    ).toBe(4);
  });

  it('falls back to the input price for cache reads and writes without their own price', () => {
    const price: Price = { inputPerMillion: 2, outputPerMillion: 4, source: 'test' };
    const cost = costOfUsage(
      {
        inputTokens: 3_000_000,
        cachedInputTokens: 1_000_000,
        cacheWriteTokens: 1_000_000,
        outputTokens: 0,
      },
      price,
    );
    expect(cost.breakdown).toEqual({
      inputUsd: 2,
      cachedInputUsd: 2,
      cacheWriteUsd: 2,
      outputUsd: 0,
    });
  });

  it('applies the prompt-size tier the request reaches', () => {
    const price = priceOf('qwen3-coder-plus', 'qwen');
    const small = costOfUsage({ inputTokens: 32_000, outputTokens: 1_000_000 }, price);
    expect(small.breakdown.outputUsd).toBeCloseTo(5, 10);
    expect(small.tierAboveInputTokens).toBeUndefined();
    const large = costOfUsage({ inputTokens: 300_000, outputTokens: 1_000_000 }, price);
    expect(large.tierAboveInputTokens).toBe(256_000);
    expect(large.breakdown.inputUsd).toBeCloseTo(1.8, 10);
    expect(large.breakdown.outputUsd).toBeCloseTo(60, 10);
  });

  it('flags parts without a known price instead of calling them free', () => {
    const unknown = registry.deployment('llama-3.3-70b-instruct', 'together')!.price;
    const cost = costOfUsage({ inputTokens: 100, outputTokens: 10 }, unknown);
    expect(cost.costUsd).toBe(0);
    expect(cost.unpriced).toEqual(['input', 'output']);
    expect(costOfUsage({ inputTokens: 0, outputTokens: 0 }, undefined).unpriced).toEqual([]);
  });

  it('marks estimated usage and ignores nonsense counts', () => {
    const cost = costOfUsage(
      { inputTokens: -5, cachedInputTokens: Number.NaN, outputTokens: 1_000_000 },
      priceOf('gpt-4o-mini', 'openai'),
      { estimated: true },
    );
    expect(cost).toMatchObject({ estimated: true, costUsd: 0.6, unpriced: [] });
  });

  it('never charges negative uncached input when cache counts exceed the prompt', () => {
    const cost = costOfUsage(
      { inputTokens: 100, cachedInputTokens: 150, outputTokens: 0 },
      { inputPerMillion: 1, cachedInputPerMillion: 0.1, source: 'test' },
    );
    expect(cost.breakdown.inputUsd).toBe(0);
  });
});
