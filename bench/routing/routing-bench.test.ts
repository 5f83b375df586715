import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/sim/hash-text.js';
import { BENCH_MODELS } from './bench-fleet.js';
import { jsonSummary, loadSplit, runRoutingBench } from './routing-bench.js';
import { bootstrapInterval, hullSuccess } from './strategy-metrics.js';
import { simulateCascade, tuneCascade } from './cascade-tuning.js';

/** A made-up RouterBench-shaped file: each model passes with a probability by its tier. */
function syntheticCsv(rows: number, seed: number): string {
  const random = createSeededRandom(seed);
  const header = ['sample_id', 'prompt', 'eval_name'];
  for (const model of BENCH_MODELS)
    header.push(model.name, `${model.name}|model_response`, `${model.name}|total_cost`);
  header.push('oracle_model_to_route_to');
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  const lines = [header.join(',')];
  const tasks = [
    'sort a list',
    'find primes below n',
    'reverse a string',
    'merge two dicts',
    'count vowels',
  ];
  for (let row = 0; row < rows; row++) {
    const prompt = `Write a python function to ${tasks[row % tasks.length]} (case ${row}).`;
    const cells = [`mbpp.${row}`, quote(`['${prompt}']`), 'mbpp'];
    for (const model of BENCH_MODELS) {
      const pass = random.next() < 0.2 + 0.15 * model.tier;
      const cost = ((40 * model.inputPerMillion + 120 * model.outputPerMillion) / 1e6).toFixed(8);
      cells.push(pass ? '1.0' : '0.0', quote(`['def f(): return ${row}']`), cost);
    }
    cells.push(BENCH_MODELS[0]!.name);
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

describe('routing bench metrics', () => {
  it('reads the single-model hull at a cost, below and above its ends', () => {
    const points = [
      { cost: 1, success: 0.3 },
      { cost: 2, success: 0.5 },
      { cost: 3, success: 0.4 }, // dominated
      { cost: 10, success: 0.7 },
    ];
    expect(hullSuccess(points, 0.5)).toBe(0.3);
    expect(hullSuccess(points, 1.5)).toBeCloseTo(0.4);
    expect(hullSuccess(points, 6)).toBeCloseTo(0.6);
    expect(hullSuccess(points, 20)).toBe(0.7);
  });

  it('bootstraps an interval around the rate', () => {
    const passed = Array.from({ length: 200 }, (_, index) => index % 4 !== 0);
    const [lo, hi] = bootstrapInterval(passed);
    expect(lo).toBeLessThan(0.75);
    expect(hi).toBeGreaterThan(0.75);
    expect(hi - lo).toBeLessThan(0.15);
  });
});

describe('routing bench on a small synthetic slice', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'switchyard-routing-bench-'));
  const file = path.join(directory, 'synthetic.csv');
  writeFileSync(file, syntheticCsv(60, 5));

  it('never evaluates on a train row, and refuses one file without --holdout', () => {
    const options = {
      trainFile: file,
      evalFile: file,
      seed: 1,
      concurrency: 4,
      timeScale: 0.001,
      log: () => {},
    };
    expect(() => loadSplit(options)).toThrow(/--holdout/);
    const split = loadSplit({ ...options, holdout: 0.5 });
    const trainIds = new Set(split.train.map((task) => task.id));
    expect(split.eval.some((task) => trainIds.has(task.id))).toBe(false);
    expect(split.train.length + split.eval.length).toBe(60);
  });

  it('tunes a cascade on train from the recorded outcomes', () => {
    const { train } = loadSplit({
      trainFile: file,
      evalFile: file,
      holdout: 0.5,
      seed: 1,
      concurrency: 1,
      timeScale: 1,
      log: () => {},
    });
    const cascade = tuneCascade(train);
    expect(cascade.rungs.length).toBeGreaterThanOrEqual(2);
    expect(simulateCascade(train, cascade.rungs).success).toBe(cascade.success);
    // Within budget in 90% of resamples of the train rows, not only on their mean.
    expect(cascade.shareOfPremiumP90).toBeLessThanOrEqual(0.05);
    expect(cascade.shareOfPremiumP90).toBeGreaterThan(cascade.shareOfPremium);
  });

  it('runs every strategy and writes the --json figures', async () => {
    const result = await runRoutingBench({
      trainFile: file,
      evalFile: file,
      holdout: 0.5,
      seed: 1,
      concurrency: 8,
      timeScale: 0.001,
      candidateStride: 8,
      log: () => {},
    });
    const { strategies } = jsonSummary(result);
    for (const name of [
      'oracle',
      'random',
      'auto',
      'cascade',
      'tiers',
      'cost-optimal',
      'weighted',
      ...BENCH_MODELS.map((model) => `always-${model.name}`),
    ])
      expect(strategies[name], name).toBeDefined();
    for (const [name, figures] of Object.entries(strategies)) {
      expect(figures.ci[0], name).toBeLessThanOrEqual(figures.success);
      expect(figures.ci[1], name).toBeGreaterThanOrEqual(figures.success);
      expect(figures.cost_per_prompt, name).toBeGreaterThanOrEqual(0);
    }
    expect(strategies['always-gpt-4-1106-preview']!.share_of_premium).toBeCloseTo(1);
    expect(strategies.oracle!.success).toBeGreaterThanOrEqual(
      Math.max(...BENCH_MODELS.map((model) => strategies[`always-${model.name}`]!.success)),
    );
    // A single model sits on or under the hull; the replay costs what was recorded.
    for (const model of BENCH_MODELS)
      expect(strategies[`always-${model.name}`]!.hull_margin).toBeLessThanOrEqual(1e-9);
    expect(result.replayCheck.errors).toBe(0);
    // Within half an output token of gpt-4 per answer (the recorded cost rounded to whole tokens).
    expect(result.replayCheck.costDriftUsd / result.eval).toBeLessThan(15e-6);
    const cascade = result.strategies.find((row) => row.name === 'cascade')!;
    expect(cascade.mean_attempts).toBeGreaterThan(1);
  }, 120_000);
});
