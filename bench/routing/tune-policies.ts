import { BENCH_MODELS, PREMIUM_MODEL } from './bench-fleet.js';
import type { z } from 'zod';
import type { policySchema } from '../../src/router/policies/routing-schema.js';
import type { RoutingSection } from './bench-config.js';
import type { StrategySummary } from './scoring.js';
import type { BenchTask } from './workload.js';

/**
 * Tuning of Switchyard's policies for the benchmark, from the tuning split only (prompts, the
 * router's own features of them, and every model's recorded outcome):
 *
 * - cost-optimal: `routing.quality` per model = its tuning pass rate as base − gap × difficulty
 *   (least-squares fit on the router's difficulty feature), per language where the workload has
 *   several, with and without the difficulty term; quality floors 20, 22 … 86.
 * - tiers: the tuning prompts bucketed by the router's features (task kind + imports, or
 *   difficulty range); per bucket the model maximizing pass rate − λ × cost / premium cost;
 *   one tier per chosen model, one rule per bucket; λ from 0 (best quality) to 8 (cheapest).
 * - weighted: splits between the best cheap model and the premium one.
 *
 * The runner sends the tuning prompts through a gateway with each candidate (simulator at time
 * scale 0) and `pickBest` keeps, per family, the best success rate among candidates within the
 * cost target (≤ 10% of always-premium's cost on the tuning prompts). Only the winners are
 * measured on the holdout.
 */

type TierPolicy = Extract<z.input<typeof policySchema>, { type: 'tiers' }>;
type TierRule = NonNullable<TierPolicy['rules']>[number];
type TierTask = Extract<NonNullable<TierRule['when']['task']>, string>;

export type PolicyFamily = 'tiers' | 'cost-optimal' | 'weighted';

export interface PolicyCandidate {
  family: PolicyFamily;
  /** Short description of the parameters, for the report. */
  label: string;
  routing: Partial<RoutingSection>;
  /** The `model` the client sends. */
  alias: string;
}

export interface ModelStat {
  model: string;
  passRate: number;
  meanCostUsd: number;
  /** Pass rate per language group (the part of `group` before `/`), where it has ≥ 10 tasks. */
  byLanguage: Record<string, number>;
}

const MIN_LANGUAGE_SAMPLES = 10;

export function modelStats(tasks: readonly BenchTask[]): ModelStat[] {
  return BENCH_MODELS.map(({ name }) => {
    let passed = 0;
    let cost = 0;
    const languages = new Map<string, [number, number]>();
    for (const task of tasks) {
      const outcome = task.outcomes[name];
      if (outcome === undefined) continue;
      if (outcome.passed) passed++;
      cost += outcome.costUsd;
      const language = task.group.includes('/') ? task.group.split('/')[0]! : undefined;
      if (language !== undefined) {
        const entry = languages.get(language) ?? [0, 0];
        entry[0] += outcome.passed ? 1 : 0;
        entry[1]++;
        languages.set(language, entry);
      }
    }
    const byLanguage: Record<string, number> = {};
    for (const [language, [languagePassed, count]] of languages)
      if (count >= MIN_LANGUAGE_SAMPLES) byLanguage[language] = languagePassed / count;
    return {
      model: name,
      passRate: tasks.length === 0 ? 0 : passed / tasks.length,
      meanCostUsd: tasks.length === 0 ? 0 : cost / tasks.length,
      byLanguage,
    };
  }).sort((a, b) => a.meanCostUsd - b.meanCostUsd);
}

/** Models no other model beats on both cost and pass rate, cheapest first. */
export function paretoModels(stats: readonly ModelStat[]): ModelStat[] {
  const front: ModelStat[] = [];
  for (const stat of [...stats].sort((a, b) => a.meanCostUsd - b.meanCostUsd)) {
    if (front.every((kept) => stat.passRate > kept.passRate)) front.push(stat);
  }
  return front;
}

/** The Pareto model with the best pass rate costing at most `share` of the premium model. */
function bestWithin(front: readonly ModelStat[], premiumCost: number, share: number): ModelStat {
  const within = front.filter((stat) => stat.meanCostUsd <= premiumCost * share);
  return within.at(-1) ?? front[0]!;
}

/** What the router's feature extractor says about a tuning prompt (the fields the candidates use). */
export interface PromptFeatures {
  task: string;
  imports: 'none' | 'standard-library' | 'third-party';
  difficulty: number;
}

/**
 * Expected quality per model fitted to the tuning outcomes: pass rate ≈ base − gap × difficulty
 * (least squares over the tuning prompts, difficulty from the router's features), per-language
 * bases shifted by the model's language pass rates. Written as `routing.quality` overrides.
 */
export function fittedQuality(
  tuning: readonly BenchTask[],
  features: readonly PromptFeatures[],
  stats: readonly ModelStat[],
): Record<string, Record<string, number>> {
  const meanDifficulty =
    features.reduce((total, entry) => total + entry.difficulty, 0) / Math.max(1, features.length);
  const variance = features.reduce(
    (total, entry) => total + (entry.difficulty - meanDifficulty) ** 2,
    0,
  );
  const quality: Record<string, Record<string, number>> = {};
  for (const stat of stats) {
    let covariance = 0;
    tuning.forEach((task, index) => {
      covariance +=
        (features[index]!.difficulty - meanDifficulty) *
        ((task.outcomes[stat.model]?.passed ? 1 : 0) - stat.passRate);
    });
    // Ridge toward no slope: a few hard prompts should not make a model look perfect on easy ones.
    const slope = Math.min(0, covariance / (variance + RIDGE * tuning.length));
    const base = clampPercent(stat.passRate - slope * meanDifficulty);
    const figures: Record<string, number> = {
      default: base,
      hard: clampPercent(stat.passRate + slope * (1 - meanDifficulty)),
    };
    for (const [language, rate] of Object.entries(stat.byLanguage))
      figures[language] = clampPercent(rate - slope * meanDifficulty);
    quality[stat.model] = figures;
  }
  return quality;
}

/** Ridge penalty per prompt on the difficulty slope (a difficulty spread of ±0.14 halves a slope). */
const RIDGE = 0.02;

function clampPercent(rate: number): number {
  return Math.round(Math.min(1, Math.max(0, rate)) * 1000) / 10;
}

/**
 * Per feature bucket, the model maximizing pass rate − λ × cost / premium cost on the tuning
 * prompts of that bucket (buckets under `minimum` prompts take the choice over all prompts).
 * Returns the bucket → model map and the overall choice.
 */
export function bucketChoices(
  tuning: readonly BenchTask[],
  keys: readonly string[],
  lambda: number,
  premiumCost: number,
  minimum = 8,
): { byBucket: Map<string, string>; overall: string } {
  const choose = (tasks: readonly BenchTask[]): string => {
    let best = PREMIUM_MODEL;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const { name } of BENCH_MODELS) {
      let passed = 0;
      let cost = 0;
      for (const task of tasks) {
        const outcome = task.outcomes[name];
        if (outcome?.passed) passed++;
        cost += outcome?.costUsd ?? 0;
      }
      const score = passed / tasks.length - (lambda * cost) / tasks.length / premiumCost;
      if (score > bestScore) {
        best = name;
        bestScore = score;
      }
    }
    return best;
  };
  const groups = new Map<string, BenchTask[]>();
  tuning.forEach((task, index) => {
    const list = groups.get(keys[index]!) ?? [];
    list.push(task);
    groups.set(keys[index]!, list);
  });
  const overall = choose(tuning);
  const byBucket = new Map<string, string>();
  for (const [key, tasks] of [...groups].sort())
    byBucket.set(key, tasks.length >= minimum ? choose(tasks) : overall);
  return { byBucket, overall };
}

const DIFFICULTY_EDGES = [0.2, 0.4, 0.6, 0.8];

function difficultyBucket(difficulty: number): number {
  return DIFFICULTY_EDGES.filter((edge) => difficulty >= edge).length;
}

/** A tiers policy from bucket choices: one tier per chosen model, one rule per bucket that differs from the default. */
function tiersFromBuckets(
  scheme: 'task+imports' | 'difficulty',
  choices: { byBucket: Map<string, string>; overall: string },
): Partial<RoutingSection> {
  const tierOf = (model: string): string => model.replace(/^.*\//, '');
  const tiers: Record<string, string[]> = { [tierOf(choices.overall)]: [choices.overall] };
  const rules: TierRule[] = [];
  for (const [bucket, model] of choices.byBucket) {
    if (model === choices.overall) continue;
    tiers[tierOf(model)] = [model];
    if (scheme === 'difficulty') {
      const index = Number(bucket);
      const range = {
        ...(index > 0 ? { at_least: DIFFICULTY_EDGES[index - 1]! } : {}),
        ...(index < DIFFICULTY_EDGES.length ? { below: DIFFICULTY_EDGES[index]! } : {}),
      };
      rules.push({ when: { difficulty: range }, tier: tierOf(model) });
    } else {
      const [task, imports] = bucket.split('+') as [
        TierTask,
        'none' | 'standard-library' | 'third-party',
      ];
      rules.push({ when: { task, imports }, tier: tierOf(model) });
    }
  }
  return {
    policies: {
      auto: {
        type: 'tiers',
        tiers,
        rules,
        default_tier: tierOf(choices.overall),
        fallback: 'stronger',
      },
    },
  };
}

const LAMBDAS = [0, 0.1, 0.25, 0.5, 1, 2, 4, 8];
/** Margins below the best candidate's posterior tried for cost-optimal (relative floors). */
const MARGINS = [0, 2, 4, 6, 8, 10, 15, 20, 30];

export function candidatePolicies(
  tuning: readonly BenchTask[],
  features: readonly PromptFeatures[],
): PolicyCandidate[] {
  const stats = modelStats(tuning);
  const premium = stats.find((stat) => stat.model === PREMIUM_MODEL)!;
  const front = paretoModels(stats);
  const mid = bestWithin(front, premium.meanCostUsd, 0.1);
  const small = bestWithin(front, premium.meanCostUsd, 0.025);
  const candidates: PolicyCandidate[] = [];

  const quality = fittedQuality(tuning, features, stats);
  const flat: Record<string, Record<string, number>> = {};
  for (const stat of stats) {
    const rate = clampPercent(stat.passRate);
    flat[stat.model] = {
      default: rate,
      hard: rate,
      ...Object.fromEntries(
        Object.entries(stat.byLanguage).map(([language, value]) => [language, clampPercent(value)]),
      ),
    };
  }
  for (const [variant, table] of [
    ['fitted to difficulty', quality],
    ['no difficulty term', flat],
  ] as const) {
    for (let floor = 20; floor <= 86; floor += 2) {
      candidates.push({
        family: 'cost-optimal',
        label: `quality_floor ${floor}, routing.quality = tuning pass rates per model and language, ${variant}`,
        alias: 'auto',
        routing: {
          quality: table,
          // An absolute floor only: no margin below the best candidate.
          policies: {
            auto: {
              type: 'cost-optimal',
              quality_floor: floor,
              quality_margin: 100,
              rank_by: 'cost',
            },
          },
        },
      });
    }
    for (const margin of MARGINS) {
      candidates.push({
        family: 'cost-optimal',
        label: `quality_margin ${margin}, routing.quality = tuning pass rates per model and language, ${variant}`,
        alias: 'auto',
        routing: {
          quality: table,
          policies: { auto: { type: 'cost-optimal', quality_margin: margin, rank_by: 'cost' } },
        },
      });
    }
  }

  const schemes = {
    'task+imports': features.map((entry) => `${entry.task}+${entry.imports}`),
    difficulty: features.map((entry) => String(difficultyBucket(entry.difficulty))),
  } as const;
  const seen = new Set<string>();
  for (const [scheme, keys] of Object.entries(schemes) as Array<
    [keyof typeof schemes, readonly string[]]
  >) {
    for (const lambda of LAMBDAS) {
      const routing = tiersFromBuckets(
        scheme,
        bucketChoices(tuning, keys, lambda, premium.meanCostUsd),
      );
      const signature = JSON.stringify(routing);
      if (seen.has(signature)) continue;
      seen.add(signature);
      const policy = routing.policies?.['auto'] as
        | { tiers: Record<string, string[]>; rules: unknown[] }
        | undefined;
      candidates.push({
        family: 'tiers',
        label: `rules by ${scheme} bucket, each bucket's model maximizing tuning pass rate − ${lambda} × cost/premium cost (${Object.keys(policy?.tiers ?? {}).length} tiers, ${policy?.rules.length ?? 0} rules)`,
        alias: 'auto',
        routing,
      });
    }
  }

  for (const [cheap, share] of [
    [mid.model, 0.05],
    [mid.model, 0.1],
    [mid.model, 0.2],
    [small.model, 0.1],
    [small.model, 0.3],
  ] as const) {
    candidates.push({
      family: 'weighted',
      label: `${Math.round((1 - share) * 100)}% ${cheap}, ${Math.round(share * 100)}% ${PREMIUM_MODEL}`,
      alias: 'auto',
      routing: {
        policies: {
          auto: {
            type: 'weighted',
            split: 'random',
            arms: [
              { deployments: [cheap], weight: 1 - share },
              { deployments: [PREMIUM_MODEL], weight: share },
            ],
          },
        },
      },
    });
  }
  return candidates;
}

export interface EvaluatedCandidate {
  candidate: PolicyCandidate;
  /** Measured on the tuning prompts. */
  summary: StrategySummary;
}

/**
 * The family's winner: the best success rate among candidates costing at most `costShare` of
 * premium's cost per prompt (ties: cheaper); when none is that cheap, the cheapest candidate.
 */
export function pickBest(
  evaluated: readonly EvaluatedCandidate[],
  premiumCostPerPrompt: number,
  costShare = 0.1,
): EvaluatedCandidate | undefined {
  const within = evaluated.filter(
    (entry) =>
      entry.summary.errors === 0 &&
      entry.summary.costPerPromptUsd <= premiumCostPerPrompt * costShare,
  );
  const pool =
    within.length > 0
      ? within
      : [...evaluated]
          .sort((a, b) => a.summary.costPerPromptUsd - b.summary.costPerPromptUsd)
          .slice(0, 1);
  return [...pool].sort(
    (a, b) =>
      b.summary.successRate - a.summary.successRate ||
      a.summary.costPerPromptUsd - b.summary.costPerPromptUsd,
  )[0];
}
