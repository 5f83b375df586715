import { extractFeatures } from '../../src/router/features/extract-features.js';
import { PREMIUM_MODEL } from './bench-fleet.js';
import {
  candidatePolicies,
  modelStats,
  pickBest,
  type EvaluatedCandidate,
  type PolicyCandidate,
  type PolicyFamily,
  type PromptFeatures,
} from './tune-policies.js';
import type { StrategySummary } from './scoring.js';
import type { Strategy } from './strategies.js';
import type { BenchTask } from './workload.js';

/** Sends the tuning prompts through a gateway configured with the candidate; returns the summary. */
export type EvaluateCandidate = (candidate: PolicyCandidate) => Promise<StrategySummary>;

export interface TunedPolicies {
  strategies: Strategy[];
  /** Per family: how many candidates were tried, and the winner's figures on the tuning prompts. */
  tuning: Array<{
    family: PolicyFamily;
    candidates: number;
    winner: string;
    tuningSuccess: number;
    tuningCostShare: number;
  }>;
}

/** The router's own features of a prompt sent as one user message, exactly as the gateway computes them. */
export function routerFeatures(prompt: string): PromptFeatures {
  const features = extractFeatures({
    kind: 'chat',
    model: 'auto',
    stream: false,
    messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
  });
  return { task: features.task, imports: features.imports, difficulty: features.difficulty };
}

const FAMILIES: readonly PolicyFamily[] = ['tiers', 'cost-optimal', 'weighted'];

/**
 * Switchyard's routing policies under test, each tuned on the tuning split only (see
 * tune-policies.ts): every candidate config is run over the tuning prompts, and the best one per
 * family within the cost target becomes the strategy measured on the holdout. To add a policy,
 * add its candidates to `candidatePolicies` under a new family.
 */
export async function tunePolicies(
  tuning: readonly BenchTask[],
  evaluate: EvaluateCandidate,
  /** Try only every n-th candidate of each family (a quick run, the test suite's); default 1: all. */
  stride = 1,
): Promise<TunedPolicies> {
  const premiumCost = modelStats(tuning).find((stat) => stat.model === PREMIUM_MODEL)!.meanCostUsd;
  const evaluated = new Map<PolicyFamily, EvaluatedCandidate[]>();
  const all = candidatePolicies(
    tuning,
    tuning.map((task) => routerFeatures(task.prompt)),
  );
  const seenPerFamily = new Map<PolicyFamily, number>();
  const kept = all.filter((candidate) => {
    const seen = seenPerFamily.get(candidate.family) ?? 0;
    seenPerFamily.set(candidate.family, seen + 1);
    return seen % stride === 0;
  });
  for (const candidate of kept) {
    const summary = await evaluate(candidate);
    const list = evaluated.get(candidate.family) ?? [];
    list.push({ candidate, summary });
    evaluated.set(candidate.family, list);
  }
  const result: TunedPolicies = { strategies: [], tuning: [] };
  for (const family of FAMILIES) {
    const entries = evaluated.get(family) ?? [];
    const best = pickBest(entries, premiumCost);
    if (best === undefined) continue;
    const { candidate, summary } = best;
    result.strategies.push({
      name: family,
      kind: 'policy',
      modelFor: () => candidate.alias,
      ...(candidate.routing === undefined ? {} : { routing: candidate.routing }),
      note: candidate.label,
    });
    result.tuning.push({
      family,
      candidates: entries.length,
      winner: candidate.label,
      tuningSuccess: summary.successRate,
      tuningCostShare: summary.costPerPromptUsd / premiumCost,
    });
  }
  return result;
}
