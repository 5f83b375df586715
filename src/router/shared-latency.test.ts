import { describe, expect, it } from 'vitest';
import { createMemorySharedState, MemoryHub } from '../state/memory-shared-state.js';
import { LatencyStats } from './latency-stats.js';
import { shareLatency } from './shared-latency.js';

/** A streamed attempt: first token after `ttft` ms, then 100 tokens at 100 tokens/s. */
const streamed = (key: string, ttft: number) => ({
  key,
  ok: true,
  firstTokenMs: ttft,
  durationMs: ttft + 1000,
  outputTokens: 100,
});

function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

describe('LatencyStats merged with peers', () => {
  it('weights each replica’s EWMA by its samples and takes the p95 over every recent window', () => {
    const own = new LatencyStats({ ewmaAlpha: 1, window: 8 });
    for (let index = 0; index < 4; index += 1) own.observe(streamed('p/m', 100));
    const peer = new LatencyStats({ ewmaAlpha: 1, window: 8 });
    for (let index = 0; index < 4; index += 1) peer.observe(streamed('p/m', 300));
    peer.observe({ key: 'p/m', ok: false, durationMs: 5, errorCode: 'upstream_unavailable' });
    expect(own.snapshot('p/m')).toMatchObject({ samples: 4, ttftMs: 100, p95TtftMs: 100 });
    own.setPeer('b', peer.summaries());
    const merged = own.snapshot('p/m');
    expect(merged.samples).toBe(8);
    expect(merged.ttftMs).toBeCloseTo(200, 6);
    expect(merged.p95TtftMs).toBe(300);
    expect(merged.tokensPerSecond).toBeCloseTo(100, 6);
    expect(merged.errorRate).toBeCloseTo(5 / 9, 6); // own 0 over 4 observations, peer 1 over 5
    expect(own.predictMs('p/m', 100)).toBeCloseTo(1200, 6);
    expect(own.samples('p/m')).toBe(8);
    // A deployment only a peer measured is measured here too (no exploration needed).
    const other = new LatencyStats();
    other.observe(streamed('q/n', 50));
    own.setPeer('c', other.summaries());
    expect(own.snapshot('q/n')).toMatchObject({ source: 'measured', samples: 1, ttftMs: 50 });
    // A new local sample changes the merged figures at once; a peer gone is forgotten.
    own.observe(streamed('p/m', 100));
    expect(own.samples('p/m')).toBe(9);
    own.setPeer('b', undefined);
    expect(own.snapshot('p/m')).toMatchObject({ samples: 5, ttftMs: 100 });
  });
});

describe('shareLatency', () => {
  it('gets every replica’s figures to the others within a few intervals, one message per interval each', async () => {
    const hub = new MemoryHub();
    const states = ['a', 'b', 'c'].map((id) => createMemorySharedState({ replicaId: id, hub }));
    const stats = states.map(() => new LatencyStats());
    let published = 0;
    const counting = states.map((state) => ({
      ...state,
      publish: (channel: string, message: string) => {
        published += 1;
        return state.publish(channel, message);
      },
    }));
    const stops = counting.map((state, index) =>
      shareLatency({ state, stats: () => stats[index]!, intervalMs: 20 }),
    );
    // Replica a is slow on p/m; the others never called it.
    for (let index = 0; index < 10; index += 1) stats[0]!.observe(streamed('p/m', 900));
    await until(() => stats[1]!.samples('p/m') === 10 && stats[2]!.samples('p/m') === 10);
    expect(stats[2]!.snapshot('p/m')).toMatchObject({ source: 'measured', p95TtftMs: 900 });
    const startedAt = Date.now();
    const before = published;
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Only replicas with figures publish, once per interval: here only a (no per-request traffic).
    const intervals = (Date.now() - startedAt) / 20;
    expect(published - before).toBeLessThanOrEqual(Math.ceil(intervals) + 2);
    // A replica that stops is dropped by the others after three intervals.
    stops[0]!();
    await until(() => stats[1]!.samples('p/m') === 0);
    for (const stop of stops.slice(1)) stop();
  });

  it('ignores malformed summaries', async () => {
    const hub = new MemoryHub();
    const stats = new LatencyStats();
    const stop = shareLatency({
      state: createMemorySharedState({ replicaId: 'a', hub }),
      stats: () => stats,
      intervalMs: 20,
    });
    const rogue = createMemorySharedState({ replicaId: 'rogue', hub });
    await rogue.publish('latency', '{"p/m":{"samples":"many"}}');
    await rogue.publish('latency', 'nope');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stats.peerIds()).toEqual([]);
    stop();
  });
});
