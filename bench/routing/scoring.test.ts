import { describe, expect, it } from 'vitest';
import { oracleModel, percentile, recordedSummary, scoreAnswer, summarize } from './scoring.js';
import { randomModel } from './strategies.js';
import { splitTasks, type BenchTask } from './workload.js';

function task(id: string, outcomes: Record<string, [boolean, number]>): BenchTask {
  return {
    id,
    prompt: `prompt ${id}`,
    group: 'g',
    outcomes: Object.fromEntries(
      Object.entries(outcomes).map(([model, [passed, costUsd]]) => [
        model,
        { passed, costUsd, answer: model, promptTokens: 1, completionTokens: 1 },
      ]),
    ),
  };
}

describe('scoring', () => {
  it('takes nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBe(0);
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, index) => index + 1),
        95,
      ),
    ).toBe(95);
    expect(percentile([7], 95)).toBe(7);
  });

  it("scores an answer by the serving model's recorded outcome", () => {
    const sample = task('t', { big: [true, 2], small: [false, 1] });
    expect(scoreAnswer(sample, 'big')).toBe(true);
    expect(scoreAnswer(sample, 'small')).toBe(false);
    expect(scoreAnswer(sample, 'unknown')).toBe(false);
    expect(scoreAnswer(sample, undefined)).toBe(false);
  });

  it('picks the cheapest passing model as the oracle, or the cheapest when none passes', () => {
    const models = ['big', 'mid', 'small'];
    expect(
      oracleModel(task('a', { big: [true, 3], mid: [true, 2], small: [false, 1] }), models),
    ).toBe('mid');
    expect(
      oracleModel(task('b', { big: [false, 3], mid: [false, 2], small: [false, 1] }), models),
    ).toBe('small');
    expect(
      oracleModel(task('c', { big: [true, 3], mid: [false, 2], small: [false, 1] }), models),
    ).toBe('big');
  });

  it('summarizes success, cost, latency, errors and the model mix', () => {
    const summary = summarize('s', [
      { taskId: '1', model: 'a', passed: true, costUsd: 0.5, latencyMs: 10 },
      { taskId: '2', model: 'a', passed: false, costUsd: 0.25, latencyMs: 30 },
      { taskId: '3', passed: false, costUsd: 0, latencyMs: 20, error: 'boom' },
      { taskId: '4', model: 'b', passed: true, costUsd: 0.25, latencyMs: 40 },
    ]);
    expect(summary).toMatchObject({
      requests: 4,
      passed: 2,
      successRate: 0.5,
      totalCostUsd: 1,
      costPerPromptUsd: 0.25,
      p50Ms: 20,
      p95Ms: 40,
      errors: 1,
      modelMix: { a: 2, b: 1, '(failed)': 1 },
    });
  });

  it('scores a fixed choice from the recorded outcomes alone', () => {
    const tasks = [
      task('a', { big: [true, 3], small: [false, 1] }),
      task('b', { big: [true, 3], small: [true, 1] }),
    ];
    expect(recordedSummary('small', tasks, () => 'small')).toMatchObject({
      successRate: 0.5,
      totalCostUsd: 2,
    });
  });
});

describe('split and random baseline', () => {
  const tasks = Array.from({ length: 50 }, (_, index) => task(`task-${index}`, { m: [true, 1] }));

  it('splits deterministically, independent of order, into disjoint parts of the asked size', () => {
    const first = splitTasks(tasks, 0.4, 7);
    const again = splitTasks([...tasks].reverse(), 0.4, 7);
    expect(first.holdout).toHaveLength(20);
    expect(first.tuning).toHaveLength(30);
    expect(new Set(again.holdout.map((item) => item.id))).toEqual(
      new Set(first.holdout.map((item) => item.id)),
    );
    expect(first.holdout.some((item) => first.tuning.includes(item))).toBe(false);
    expect(splitTasks(tasks, 0.4, 8).holdout.map((item) => item.id)).not.toEqual(
      first.holdout.map((item) => item.id),
    );
    expect(() => splitTasks(tasks, 1, 7)).toThrow(/between 0 and 1/);
  });

  it("draws the random baseline's model from the seed and the task id", () => {
    const sample = tasks[3]!;
    expect(randomModel(sample, 1)).toBe(randomModel(sample, 1));
    const picks = new Set(tasks.map((item) => randomModel(item, 1)));
    expect(picks.size).toBeGreaterThan(5);
  });
});
