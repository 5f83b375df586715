import { createSeededRandom } from '../../src/sim/hash-text.js';
import { BENCH_MODELS, PREMIUM_MODEL } from './bench-fleet.js';
import type { BenchTask } from './workload.js';

export interface CascadeChoice {
  rungs: string[];
  success: number;
  costPerPrompt: number;
  shareOfPremium: number;
  /** The 90th percentile of the cost share over bootstrap resamples of the train rows. */
  shareOfPremiumP90: number;
  candidates: number;
}

const RESAMPLES = 200;

/**
 * The 90th percentile, over seeded bootstrap resamples of the rows, of a chain's cost as a share
 * of always-premium's cost on the same resample.
 */
function costShareP90(
  costs: readonly number[],
  premium: readonly number[],
  resamples: readonly Uint16Array[],
): number {
  const shares = resamples.map((sample) => {
    let cost = 0;
    let base = 0;
    for (const index of sample) {
      cost += costs[index]!;
      base += premium[index]!;
    }
    return base > 0 ? cost / base : 0;
  });
  shares.sort((a, b) => a - b);
  return shares[Math.floor(shares.length * 0.9)] ?? 0;
}

/** What a cascade would score on tasks from the recorded outcomes: each rung tried in turn until one passes. */
export function simulateCascade(
  tasks: readonly BenchTask[],
  rungs: readonly string[],
): { success: number; costPerPrompt: number } {
  let passed = 0;
  let cost = 0;
  for (const task of tasks) {
    for (const model of rungs) {
      const outcome = task.outcomes[model];
      if (outcome === undefined) continue;
      cost += outcome.costUsd;
      if (outcome.passed) {
        passed++;
        break;
      }
    }
  }
  const n = Math.max(1, tasks.length);
  return { success: passed / n, costPerPrompt: cost / n };
}

/** What each task costs under a chain (every attempt until one passes). */
function chainCosts(tasks: readonly BenchTask[], rungs: readonly string[]): number[] {
  return tasks.map((task) => {
    let cost = 0;
    for (const model of rungs) {
      const outcome = task.outcomes[model];
      if (outcome === undefined) continue;
      cost += outcome.costUsd;
      if (outcome.passed) break;
    }
    return cost;
  });
}

/**
 * The cascade tuned on the train rows only: every chain of 2–4 models in order of their mean
 * recorded cost, scored offline from the recorded outcomes; the best success among the chains
 * whose cost stays within `costShare` of always-premium's in 90% of bootstrap resamples of the
 * train rows wins (ties: cheaper). The resampling keeps the choice off the edge of the budget,
 * where a chain tuned on the mean lands over it on other rows (harder rows escalate more).
 */
export function tuneCascade(
  train: readonly BenchTask[],
  costShare = 0.05,
  seed = 1,
): CascadeChoice {
  const meanCost = (model: string) =>
    train.reduce((total, task) => total + (task.outcomes[model]?.costUsd ?? 0), 0) /
    Math.max(1, train.length);
  const models = BENCH_MODELS.map((model) => model.name).sort((a, b) => meanCost(a) - meanCost(b));
  const premium = meanCost(PREMIUM_MODEL);
  const premiumCosts = train.map((task) => task.outcomes[PREMIUM_MODEL]?.costUsd ?? 0);
  const random = createSeededRandom(seed);
  const resamples = Array.from({ length: RESAMPLES }, () =>
    Uint16Array.from(train, () => Math.floor(random.next() * train.length)),
  );
  const all: Array<{ rungs: string[]; success: number; costPerPrompt: number; p90: number }> = [];
  const visit = (chain: string[], from: number): void => {
    if (chain.length >= 2)
      all.push({
        rungs: [...chain],
        ...simulateCascade(train, chain),
        p90: costShareP90(chainCosts(train, chain), premiumCosts, resamples),
      });
    if (chain.length === 4) return;
    for (let index = from; index < models.length; index++)
      visit([...chain, models[index]!], index + 1);
  };
  visit([], 0);
  const within = all.filter((entry) => entry.p90 <= costShare);
  const pool =
    within.length > 0
      ? within
      : [...all].sort((a, b) => a.costPerPrompt - b.costPerPrompt).slice(0, 1);
  const best = [...pool].sort(
    (a, b) => b.success - a.success || a.costPerPrompt - b.costPerPrompt,
  )[0]!;
  const { p90, ...chosen } = best;
  return {
    ...chosen,
    shareOfPremiumP90: p90,
    shareOfPremium: premium > 0 ? best.costPerPrompt / premium : 0,
    candidates: all.length,
  };
}
