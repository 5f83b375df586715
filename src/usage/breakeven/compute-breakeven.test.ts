import { describe, expect, it } from 'vitest';
import { computeBreakeven, type BreakevenInput } from './compute-breakeven.js';

const PRICES = {
  cheap: { inputPerMillion: 1, outputPerMillion: 2, source: 'test' },
  premium: { inputPerMillion: 3, outputPerMillion: 15, source: 'test' },
};

function input(overrides: Partial<BreakevenInput> = {}): BreakevenInput {
  return {
    days: 10,
    traffic: [
      // 10 days: 20M in + 10M out on the cheap model → 2M + 1M tokens/day, $2 + $2 = $4/day.
      {
        model: 'cheap',
        provider: 'a',
        bucket: '<1k',
        requests: 1000,
        inputTokens: 20_000_000,
        cachedInputTokens: 0,
        outputTokens: 10_000_000,
        costUsd: 99,
        unpricedRequests: 0,
      },
      // Premium traffic: needs more quality than the box has.
      {
        model: 'premium',
        provider: 'b',
        bucket: '1k-4k',
        requests: 100,
        inputTokens: 1_000_000,
        cachedInputTokens: 0,
        outputTokens: 1_000_000,
        costUsd: 18,
        unpricedRequests: 0,
      },
      // Long prompts: do not fit.
      {
        model: 'cheap',
        provider: 'a',
        bucket: '16k+',
        requests: 10,
        inputTokens: 5_000_000,
        cachedInputTokens: 0,
        outputTokens: 0,
        costUsd: 5,
        unpricedRequests: 0,
      },
      // No catalog price: the ledger's cost is used.
      {
        model: 'cheap',
        provider: 'unpriced',
        bucket: '<1k',
        requests: 10,
        inputTokens: 0,
        cachedInputTokens: 0,
        outputTokens: 0,
        costUsd: 1,
        unpricedRequests: 0,
      },
    ],
    priceOf: (model, provider) =>
      provider === 'unpriced' ? undefined : PRICES[model as keyof typeof PRICES],
    qualityOf: (model) => (model === 'cheap' ? 80 : 90),
    selfHosted: { name: 'box-model', quality: 82, maxPromptTokens: 16_000 },
    gpu: {
      name: 'gpu',
      hourlyUsd: 1,
      source: 'test',
      tokensPerSecond: 100,
      concurrency: 2,
      utilisation: 0.5,
    },
    ...overrides,
  };
}

describe('computeBreakeven', () => {
  it('works the arithmetic: servable mix, price per token, break-even, capacity, both monthly costs', () => {
    const result = computeBreakeven(input());
    expect(result.lines.map((line) => [line.model, line.bucket, line.servable])).toEqual([
      ['cheap', '<1k', true],
      ['premium', '1k-4k', false],
      ['cheap', '16k+', false],
      ['cheap', '<1k', true],
    ]);
    expect(result.lines[0]).toMatchObject({
      tokensPerDay: 3_000_000,
      apiUsdPerDay: 4,
      priced: 'catalog',
    });
    expect(result.lines[3]).toMatchObject({ apiUsdPerDay: 0.1, priced: 'ledger' });
    expect(result.servableTokensPerDay).toBe(3_000_000);
    expect(result.servableApiUsdPerDay).toBeCloseTo(4.1, 10);
    expect(result.servableUsdPerMillion).toBeCloseTo(4.1 / 3, 10);
    // $24/day ÷ ($4.1/3 per million) = 17.56M tokens/day.
    expect(result.breakEvenTokensPerDay).toBeCloseTo((24 / 4.1) * 3e6, 3);
    // 100 × 2 × 86,400 × 0.5 = 8.64M output/day; output share 1/3 → 25.92M tokens/day.
    expect(result.capacityOutputTokensPerDay).toBe(8_640_000);
    expect(result.capacityTokensPerDay).toBeCloseTo(25_920_000, 3);
    expect(result.breakEvenReachable).toBe(true);
    // API: 4 + (0.3 + 1.5)×... premium: 0.1M in × $3 + 0.1M out × $15 = $1.8/day; long: 0.5M × $1 = $0.5; total 6.4/day.
    expect(result.apiUsdPerDay).toBeCloseTo(6.4, 10);
    expect(result.monthly.apiOnly).toBeCloseTo(6.4 * (730 / 24), 8);
    // The box takes all 3M servable tokens: hybrid = $730 + (6.4 − 4.1) × 30.42.
    expect(result.monthly.hybrid).toBeCloseTo(730 + 2.3 * (730 / 24), 8);
    expect(result.recommendation.selfHost).toBe(false);
    expect(result.recommendation.summary).toMatch(/^Stay on the APIs/);
  });

  it('recommends self-hosting when the servable volume passes break-even, capped by capacity', () => {
    const result = computeBreakeven(input({ days: 0.1 }));
    // 100× the daily volume: 300M servable tokens/day, beyond the box's 25.92M.
    expect(result.selfHostedTokensPerDay).toBeCloseTo(25_920_000, 3);
    expect(result.recommendation.selfHost).toBe(true);
    expect(result.monthly.hybrid).toBeLessThan(result.monthly.apiOnly);
    expect(result.recommendation.selfHostedShare).toBeCloseTo(25_920_000 / result.tokensPerDay, 8);
    expect(result.recommendation.summary).toMatch(/up to the box's capacity/);
  });

  it('prices the servable traffic at a given price per million (what-if)', () => {
    const result = computeBreakeven(input({ pricePerMillionOverride: 48 }));
    // $24/day ÷ $48/M = 500,000 tokens/day.
    expect(result.breakEvenTokensPerDay).toBeCloseTo(500_000, 6);
    expect(result.servableApiUsdPerDay).toBeCloseTo(144, 8);
  });
});
