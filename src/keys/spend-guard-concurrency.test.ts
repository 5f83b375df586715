import { describe, expect, it } from 'vitest';
import { seededRandom } from '../usage/ledger/ledger-fixtures.js';
import { createMemorySpendGuard } from './memory-spend-guard.js';

const NOW = Date.UTC(2026, 2, 15, 12);
const BUDGET = 1;
const ESTIMATE = 0.01;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Outcome {
  accepted: number;
  finalSpendUsd: number;
  /** Σ (actual − estimate) over the requests in flight when the last request was admitted (itself included). */
  overshootAllowanceUsd: number;
}

/**
 * `count` requests against one key with a daily budget, each reserving ESTIMATE and settling
 * `actual(index)` after a random delay. `arrivalSpreadMs` = 0 fires them all at once; otherwise
 * arrivals are spread so admissions interleave with settlements.
 */
async function run(
  seed: number,
  count: number,
  actual: (index: number) => number,
  arrivalSpreadMs: number,
): Promise<Outcome> {
  const random = seededRandom(seed);
  let seedCalls = 0;
  const guard = createMemorySpendGuard({
    seed: async () => {
      seedCalls += 1;
      await sleep(5);
      return { dailyUsd: 0, monthlyUsd: 0, totalUsd: 0 };
    },
  });
  const inFlight = new Set<number>();
  let lastAdmissionInFlight: number[] = [];
  let accepted = 0;
  const settled: number[] = [];
  await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const arrival = Math.floor(random() * arrivalSpreadMs);
      const work = 1 + Math.floor(random() * 30);
      if (arrival > 0) await sleep(arrival);
      const result = await guard.reserve({
        keyId: 'key_busy',
        limits: { dailyBudgetUsd: BUDGET },
        estimatedCostUsd: ESTIMATE,
        estimatedTokens: 500,
        now: NOW,
      });
      if (!result.ok) {
        expect(result.reason).toBe('budget_exceeded');
        return;
      }
      accepted += 1;
      inFlight.add(index);
      lastAdmissionInFlight = [...inFlight];
      await sleep(work);
      inFlight.delete(index);
      settled.push(actual(index));
      result.reservation.settle(actual(index), 500);
    }),
  );
  expect(seedCalls).toBe(1);
  const usage = await guard.usage('key_busy', NOW);
  expect(usage.dailyUsd).toBeCloseTo(
    settled.reduce((sum, cost) => sum + cost, 0),
    9,
  );
  return {
    accepted,
    finalSpendUsd: usage.dailyUsd,
    overshootAllowanceUsd: lastAdmissionInFlight.reduce(
      (sum, index) => sum + (actual(index) - ESTIMATE),
      0,
    ),
  };
}

describe('SpendGuard under concurrency', () => {
  it('200 concurrent requests near a $1.00 budget: at most 100 of $0.01 admitted, spend never above the budget', async () => {
    const outcome = await run(1, 200, () => ESTIMATE, 0);
    expect(outcome.accepted).toBe(100);
    expect(outcome.finalSpendUsd).toBeLessThanOrEqual(BUDGET);
  });

  it('with arrivals interleaved with settlements the budget still holds', async () => {
    for (const seed of [2, 3, 4]) {
      const outcome = await run(seed, 200, () => ESTIMATE, 40);
      expect(outcome.accepted).toBeLessThanOrEqual(100);
      expect(outcome.finalSpendUsd).toBeLessThanOrEqual(BUDGET);
    }
  });

  it('cheaper than estimated: more requests fit, spend still within the budget', async () => {
    const outcome = await run(5, 200, () => 0.004, 40);
    expect(outcome.accepted).toBeGreaterThan(100);
    expect(outcome.finalSpendUsd).toBeLessThanOrEqual(BUDGET);
  });

  it('dearer than estimated: overshoot bounded by (actual − estimate) of the requests in flight', async () => {
    for (const seed of [6, 7, 8]) {
      const costs = seededRandom(seed * 101);
      const actuals = Array.from(
        { length: 200 },
        () => ESTIMATE + Math.round(costs() * 20_000_000) / 1e9,
      ); // $0.01–$0.03
      for (const spread of [0, 40]) {
        const outcome = await run(seed, 200, (index) => actuals[index]!, spread);
        expect(outcome.finalSpendUsd - BUDGET).toBeLessThanOrEqual(
          outcome.overshootAllowanceUsd + 1e-9,
        );
        if (spread === 0) expect(outcome.accepted).toBe(100); // all admitted before any settled
      }
    }
  });
});
