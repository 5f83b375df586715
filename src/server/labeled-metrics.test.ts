import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabeledCounter, LabeledHistogram } from './labeled-metrics.js';

const BUCKETS = [0.005, 0.05, 0.5, 5];

describe('LabeledCounter and LabeledHistogram', () => {
  it('expose exactly what prom-client exposes for the same updates', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const counter = new LabeledCounter('demo_total', 'A counter.', ['model', 'code'], ours);
    const histogram = new LabeledHistogram('demo_seconds', 'A histogram.', ['model', 'stream'], BUCKETS, ours);
    const single = new LabeledCounter('demo_hits_total', 'One label.', ['model'], ours);
    const promCounter = new Counter({ name: 'demo_total', help: 'A counter.', labelNames: ['model', 'code'], registers: [theirs] });
    const promHistogram = new Histogram({ name: 'demo_seconds', help: 'A histogram.', labelNames: ['model', 'stream'], buckets: BUCKETS, registers: [theirs] });
    const promSingle = new Counter({ name: 'demo_hits_total', help: 'One label.', labelNames: ['model'], registers: [theirs] });

    const updates: Array<[string, string, number]> = [
      ['gpt-4o-mini', '', 1], ['gpt-4o-mini', 'upstream_timeout', 1], ['model "quoted"\\', '', 2.5], ['gpt-4o-mini', '', 1],
    ];
    for (const [model, code, amount] of updates) {
      counter.inc([model, code], amount);
      promCounter.inc({ model, code }, amount);
      single.inc([model]);
      promSingle.inc({ model });
    }
    // Values on bucket bounds, between them and above the last one.
    for (const [model, stream, value] of [['a', 'false', 0.005], ['a', 'false', 0.0051], ['a', 'true', 7], ['b', 'false', 0.5], ['a', 'false', 0]] as const) {
      histogram.observe([model, stream], value);
      promHistogram.observe({ model, stream }, value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(counter.valueAt(['gpt-4o-mini', ''])).toBe(2);
  });

  it('ignores non-finite observations and refuses a wrong number of label values', () => {
    const registry = new Registry();
    const histogram = new LabeledHistogram('x_seconds', 'x', ['a'], BUCKETS, registry);
    histogram.observe(['a'], Number.NaN);
    const counter = new LabeledCounter('y_total', 'y', ['a', 'b'], registry);
    expect(() => counter.inc(['only-one'])).toThrow(/expected 2 label values/);
  });
});
