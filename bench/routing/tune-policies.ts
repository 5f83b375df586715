import { BENCH_MODELS, PREMIUM_MODEL } from './bench-fleet.js';
import type { RoutingSection } from './bench-config.js';
import type { StrategySummary } from './scoring.js';
import type { BenchTask } from './workload.js';

/**
 * Tuning of Switchyard's policies for the benchmark, from the tuning split only:
 *
 * 1. `modelStats` measures each model's pass rate and mean cost on the tuning prompts (overall
 *    and per language), from their recorded outcomes.
 * 2. `candidatePolicies` turns those figures into a grid of configs per policy family:
 *    cost-optimal with the measured pass rates as `routing.quality` and a range of quality
 *    floors; tiers over the cost/quality Pareto models with difficulty / imports rules at a range
 *    of thresholds; weighted splits between the best cheap model and the premium one.
 * 3. The runner sends the tuning prompts through a gateway with each candidate (simulator at
 *    time scale 0) and `pickBest` keeps, per family, the candidate with the best success rate
 *    among those within the cost target (≤ 10% of always-premium's cost on the tuning prompts).
 *
 * Only the winner of each family is measured on the holdout.
 */

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
    for (const [language, [languagePassed, count]] of languages) if (count >= MIN_LANGUAGE_SAMPLES) byLanguage[language] = languagePassed / count;
    return { model: name, passRate: tasks.length === 0 ? 0 : passed / tasks.length, meanCostUsd: tasks.length === 0 ? 0 : cost / tasks.length, byLanguage };
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

const percent = (rate: number): number => Math.round(rate * 1000) / 10;

export function candidatePolicies(tuning: readonly BenchTask[]): PolicyCandidate[] {
  const stats = modelStats(tuning);
  const premium = stats.find((stat) => stat.model === PREMIUM_MODEL)!;
  const front = paretoModels(stats);
  const mid = bestWithin(front, premium.meanCostUsd, 0.1);
  const small = bestWithin(front, premium.meanCostUsd, 0.025);
  const candidates: PolicyCandidate[] = [];

  const quality: Record<string, Record<string, number>> = {};
  for (const stat of stats) quality[stat.model] = { default: percent(stat.passRate), ...Object.fromEntries(Object.entries(stat.byLanguage).map(([language, rate]) => [language, percent(rate)])) };
  const steep: Record<string, Record<string, number>> = {};
  for (const [model, figures] of Object.entries(quality)) steep[model] = { ...figures, hard: Math.max(0, (figures['default'] ?? 0) - 30) };
  for (const [variant, table] of [['tier gap', quality], ['hard = default − 30', steep]] as const) {
    for (let floor = 40; floor <= 85; floor += 5) {
      candidates.push({
        family: 'cost-optimal',
        label: `quality_floor ${floor}, quality = tuning pass rates (${variant})`,
        alias: 'auto',
        routing: { quality: table, policies: { auto: { type: 'cost-optimal', quality_floor: floor, rank_by: 'cost' } } } as Partial<RoutingSection>,
      });
    }
  }

  const tiers = { small: [small.model], mid: [mid.model], large: [PREMIUM_MODEL] };
  const thresholds = [0, 0.2, 0.4, 0.6];
  for (const toMid of thresholds) {
    for (const toLarge of [...thresholds.filter((value) => value > toMid), 2]) {
      for (const importsRule of [false, true]) {
        const rules: Array<Record<string, unknown>> = [];
        if (toLarge <= 1) rules.push({ when: { difficulty: { at_least: toLarge } }, tier: 'large' });
        if (importsRule) rules.push({ when: { imports: 'third-party' }, tier: 'mid' });
        rules.push({ when: { difficulty: { at_least: toMid } }, tier: 'mid' });
        candidates.push({
          family: 'tiers',
          label: `small ${small.model}, mid ${mid.model}, large ${PREMIUM_MODEL}; mid at difficulty ≥ ${toMid}${toLarge <= 1 ? `, large at ≥ ${toLarge}` : ''}${importsRule ? ', third-party imports → mid' : ''}`,
          alias: 'auto',
          routing: { policies: { auto: { type: 'tiers', tiers, rules, default_tier: 'small', fallback: 'stronger' } } } as Partial<RoutingSection>,
        });
      }
    }
  }

  for (const [cheap, share] of [[mid.model, 0.05], [mid.model, 0.1], [mid.model, 0.2], [small.model, 0.1], [small.model, 0.3]] as const) {
    candidates.push({
      family: 'weighted',
      label: `${Math.round((1 - share) * 100)}% ${cheap}, ${Math.round(share * 100)}% ${PREMIUM_MODEL}`,
      alias: 'auto',
      routing: { policies: { auto: { type: 'weighted', split: 'random', arms: [{ deployments: [cheap], weight: 1 - share }, { deployments: [PREMIUM_MODEL], weight: share }] } } } as Partial<RoutingSection>,
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
export function pickBest(evaluated: readonly EvaluatedCandidate[], premiumCostPerPrompt: number, costShare = 0.1): EvaluatedCandidate | undefined {
  const within = evaluated.filter((entry) => entry.summary.errors === 0 && entry.summary.costPerPromptUsd <= premiumCostPerPrompt * costShare);
  const pool = within.length > 0 ? within : [...evaluated].sort((a, b) => a.summary.costPerPromptUsd - b.summary.costPerPromptUsd).slice(0, 1);
  return [...pool].sort((a, b) => b.summary.successRate - a.summary.successRate || a.summary.costPerPromptUsd - b.summary.costPerPromptUsd)[0];
}
