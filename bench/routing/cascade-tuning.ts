import { BENCH_MODELS, PREMIUM_MODEL } from './bench-fleet.js';
import type { BenchTask } from './workload.js';

export interface CascadeChoice {
  rungs: string[];
  success: number;
  costPerPrompt: number;
  shareOfPremium: number;
  candidates: number;
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

/**
 * The cascade tuned on the train rows only: every chain of 2–4 models in order of their mean
 * recorded cost, scored offline from the recorded outcomes; the best success within
 * `costShare` of always-premium's cost per prompt wins (ties: cheaper).
 */
export function tuneCascade(train: readonly BenchTask[], costShare = 0.05): CascadeChoice {
  const meanCost = (model: string) =>
    train.reduce((total, task) => total + (task.outcomes[model]?.costUsd ?? 0), 0) /
    Math.max(1, train.length);
  const models = BENCH_MODELS.map((model) => model.name).sort((a, b) => meanCost(a) - meanCost(b));
  const premium = meanCost(PREMIUM_MODEL);
  const all: Array<{ rungs: string[]; success: number; costPerPrompt: number }> = [];
  const visit = (chain: string[], from: number): void => {
    if (chain.length >= 2) all.push({ rungs: [...chain], ...simulateCascade(train, chain) });
    if (chain.length === 4) return;
    for (let index = from; index < models.length; index++)
      visit([...chain, models[index]!], index + 1);
  };
  visit([], 0);
  const within = all.filter((entry) => entry.costPerPrompt <= premium * costShare);
  const pool =
    within.length > 0
      ? within
      : [...all].sort((a, b) => a.costPerPrompt - b.costPerPrompt).slice(0, 1);
  const best = [...pool].sort(
    (a, b) => b.success - a.success || a.costPerPrompt - b.costPerPrompt,
  )[0]!;
  return {
    ...best,
    shareOfPremium: premium > 0 ? best.costPerPrompt / premium : 0,
    candidates: all.length,
  };
}
