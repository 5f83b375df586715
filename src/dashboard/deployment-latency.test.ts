import { describe, expect, it } from 'vitest';
import type { AttemptRow } from '../usage/ledger/ledger.js';
import { latencyByDeployment, percentile } from './deployment-latency.js';

const row = (fields: Partial<AttemptRow>): AttemptRow => ({
  provider: 'sim-a',
  model: 'm',
  startedAt: 0,
  latencyMs: 1000,
  firstTokenMs: 200,
  outputTokens: 80,
  status: 200,
  errorCode: null,
  ...fields,
});

describe('latency per deployment', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 20 }, (_, index) => index + 1);
    expect(percentile(values, 0.5)).toBe(10);
    expect(percentile(values, 0.95)).toBe(19);
    expect(percentile([7], 0.95)).toBe(7);
  });

  it('gives TTFT p50/p95, tokens/s after the first token and the error rate per deployment', () => {
    const rows = [
      ...Array.from({ length: 19 }, (_, index) => row({ firstTokenMs: 100 + index * 10 })),
      row({ firstTokenMs: 2000, latencyMs: 3000 }),
      row({ status: 502, errorCode: 'upstream_error', latencyMs: 5 }),
      row({ provider: 'sim-b', firstTokenMs: null, latencyMs: 400, outputTokens: 40 }),
    ];
    const [a, b] = latencyByDeployment(rows);
    expect(a).toMatchObject({ deployment: 'sim-a/m', attempts: 21, errors: 1 });
    expect(a!.errorRate).toBeCloseTo(1 / 21);
    expect(a!.ttftP50Ms).toBe(190);
    expect(a!.ttftP95Ms).toBe(280);
    // 80 tokens over the 800 ms after a 200 ms first token, for most rows: 100 tokens/s.
    expect(a!.tokensPerSecond).toBeGreaterThan(90);
    expect(b).toMatchObject({ deployment: 'sim-b/m', ttftP50Ms: null, tokensPerSecond: 100 });
  });
});
