import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIOR, LatencyStats } from './latency-stats.js';

describe('LatencyStats', () => {
  it('keeps moving averages of TTFT and tokens per second from streamed attempts', () => {
    const stats = new LatencyStats({ ewmaAlpha: 0.5 });
    stats.observe({ key: 'p/m', ok: true, firstTokenMs: 100, durationMs: 1100, outputTokens: 100 });
    expect(stats.snapshot('p/m')).toMatchObject({
      samples: 1,
      ttftMs: 100,
      tokensPerSecond: 100,
      source: 'measured',
    });
    stats.observe({ key: 'p/m', ok: true, firstTokenMs: 300, durationMs: 800, outputTokens: 100 });
    expect(stats.snapshot('p/m')).toMatchObject({ samples: 2, ttftMs: 200, tokensPerSecond: 150 });
    expect(stats.predictMs('p/m', 300)).toBe(200 + 2000);
  });

  it('derives TTFT of a whole answer from its duration and the speed estimate', () => {
    const stats = new LatencyStats({}, new Map([['p/m', { ttftMs: 50, tokensPerSecond: 100 }]]));
    stats.observe({
      key: 'p/m',
      ok: true,
      firstTokenMs: 1500,
      durationMs: 1500,
      outputTokens: 100,
    });
    expect(stats.snapshot('p/m').ttftMs).toBe(500);
  });

  it('has a recent-window p95 of TTFT and an error rate', () => {
    const stats = new LatencyStats({ window: 20, ewmaAlpha: 0.1 });
    for (let index = 1; index <= 40; index++)
      stats.observe({
        key: 'p/m',
        ok: true,
        firstTokenMs: index,
        durationMs: index,
        outputTokens: 0,
      });
    expect(stats.snapshot('p/m').p95TtftMs).toBe(39);
    stats.observe({ key: 'p/m', ok: false, durationMs: 10, errorCode: 'upstream_unavailable' });
    expect(stats.snapshot('p/m').errorRate).toBeCloseTo(0.1);
    expect(stats.snapshot('p/m').samples).toBe(40);
  });

  it('predicts from priors, then from a default, before any sample', () => {
    const stats = new LatencyStats({}, new Map([['sim/m', { ttftMs: 100, tokensPerSecond: 50 }]]));
    expect(stats.snapshot('sim/m')).toMatchObject({ source: 'prior', samples: 0 });
    expect(stats.predictMs('sim/m', 100)).toBe(2100);
    expect(stats.predictMs('real/m', 100)).toBe(
      DEFAULT_PRIOR.ttftMs + (100 * 1000) / DEFAULT_PRIOR.tokensPerSecond,
    );
    expect(stats.snapshot('real/m').source).toBe('default');
  });

  it('lets one probe of a deployment run at a time, released by its observation or after a timeout', () => {
    const stats = new LatencyStats();
    expect(stats.tryStartProbe('p/m', 0)).toBe(true);
    expect(stats.tryStartProbe('p/m', 1000)).toBe(false);
    stats.observe({ key: 'p/m', ok: true, firstTokenMs: 10, durationMs: 20, outputTokens: 5 });
    expect(stats.tryStartProbe('p/m', 1001)).toBe(true);
    expect(stats.tryStartProbe('p/m', 40_000)).toBe(true);
  });
});
