import { describe, expect, it } from 'vitest';
import { BENCH_MODELS, PREMIUM_MODEL } from './bench-fleet.js';
import { generateWorkload } from './generated-workload.js';
import {
  bucketChoices,
  candidatePolicies,
  fittedQuality,
  modelStats,
  paretoModels,
  pickBest,
  type EvaluatedCandidate,
  type PromptFeatures,
} from './tune-policies.js';
import type { StrategySummary } from './scoring.js';

function summary(successRate: number, costPerPromptUsd: number, errors = 0): StrategySummary {
  return {
    strategy: 's',
    requests: 10,
    passed: successRate * 10,
    successRate,
    totalCostUsd: costPerPromptUsd * 10,
    costPerPromptUsd,
    p50Ms: 0,
    p95Ms: 0,
    errors,
    modelMix: {},
  };
}

describe('policy tuning', () => {
  const tuning = generateWorkload(200, 5).tasks;
  // Stand-in features: easy kinds low, hard kinds high (the runner uses the router's extractor).
  const hardKinds = new Set(['algorithm', 'system-level', 'bug-fix', 'refactor']);
  const features: PromptFeatures[] = tuning.map((task) => {
    const kind = task.group.split('/')[1]!;
    return { task: kind, imports: 'none', difficulty: hardKinds.has(kind) ? 0.7 : 0.1 };
  });

  it('measures every model on the tuning tasks, cheapest first, with per-language rates', () => {
    const stats = modelStats(tuning);
    expect(stats).toHaveLength(BENCH_MODELS.length);
    expect(stats[0]!.meanCostUsd).toBeLessThanOrEqual(stats[1]!.meanCostUsd);
    expect(Object.keys(stats[0]!.byLanguage).sort()).toEqual([
      'go',
      'java',
      'python',
      'rust',
      'typescript',
    ]);
  });

  it('keeps only the cost/quality Pareto models', () => {
    const front = paretoModels([
      { model: 'a', passRate: 0.3, meanCostUsd: 1, byLanguage: {} },
      { model: 'b', passRate: 0.2, meanCostUsd: 2, byLanguage: {} },
      { model: 'c', passRate: 0.6, meanCostUsd: 3, byLanguage: {} },
    ]);
    expect(front.map((stat) => stat.model)).toEqual(['a', 'c']);
  });

  it('builds candidates of the three families from tuning figures only', () => {
    const candidates = candidatePolicies(tuning, features);
    expect(new Set(candidates.map((candidate) => candidate.family))).toEqual(
      new Set(['tiers', 'cost-optimal', 'weighted']),
    );
    const costOptimal = candidates.find((candidate) => candidate.family === 'cost-optimal')!;
    const quality = (costOptimal.routing as { quality: Record<string, Record<string, number>> })
      .quality;
    const premiumRate = modelStats(tuning).find((stat) => stat.model === PREMIUM_MODEL)!.passRate;
    expect(quality[PREMIUM_MODEL]!['default']).toBeGreaterThanOrEqual(premiumRate * 100);
    expect(quality[PREMIUM_MODEL]!['hard']).toBeLessThan(premiumRate * 100);
    expect(candidatePolicies(tuning, features)).toEqual(candidates);
  });

  it('fits quality as base − gap × difficulty, so hard prompts expect less of weak models', () => {
    const quality = fittedQuality(tuning, features, modelStats(tuning));
    const weak = quality['mistralai/mistral-7b-chat']!;
    expect(weak['default']! - weak['hard']!).toBeGreaterThan(20);
    expect(quality[PREMIUM_MODEL]!['hard']).toBeGreaterThan(weak['hard']!);
  });

  it('chooses per bucket the best pass rate at λ 0 and cheaper models as λ grows', () => {
    const keys = features.map((entry) => String(entry.difficulty));
    const quality = bucketChoices(tuning, keys, 0, 1);
    expect(quality.byBucket.get('0.7')).toBe(PREMIUM_MODEL);
    const cheap = bucketChoices(tuning, keys, 1000, 1e-6);
    expect(cheap.byBucket.get('0.1')).toBe('mistralai/mistral-7b-chat');
  });

  it('offers cost-optimal candidates whose plain variant uses the raw tuning pass rates', () => {
    const plain = candidatePolicies(tuning, features).find(
      (candidate) => candidate.family === 'cost-optimal' && /no difficulty/.test(candidate.label),
    )!;
    const quality = (plain.routing as { quality: Record<string, Record<string, number>> }).quality;
    const stat = modelStats(tuning).find((entry) => entry.model === 'mistralai/mistral-7b-chat')!;
    expect(quality['mistralai/mistral-7b-chat']).toMatchObject({
      default: Math.round(stat.passRate * 1000) / 10,
      hard: Math.round(stat.passRate * 1000) / 10,
    });
  });

  it('picks the best success within the cost target, else the cheapest', () => {
    const entry = (label: string, value: StrategySummary): EvaluatedCandidate => ({
      candidate: { family: 'tiers', label, alias: 'auto', routing: {} },
      summary: value,
    });
    const picked = pickBest(
      [
        entry('pricey', summary(0.9, 0.5)),
        entry('good', summary(0.7, 0.08)),
        entry('cheap', summary(0.6, 0.01)),
        entry('broken', summary(0.8, 0.05, 2)),
      ],
      1,
    );
    expect(picked?.candidate.label).toBe('good');
    expect(
      pickBest([entry('a', summary(0.9, 0.5)), entry('b', summary(0.8, 0.3))], 1)?.candidate.label,
    ).toBe('b');
    expect(pickBest([], 1)).toBeUndefined();
  });
});
