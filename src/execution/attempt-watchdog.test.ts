import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.js';
import { AttemptWatchdog } from './attempt-watchdog.js';

describe('AttemptWatchdog (fake clock, ticks by hand)', () => {
  it('aborts an attempt without a first token, one that goes idle, and one past its total, with upstream_timeout', () => {
    let now = 0;
    const watchdog = new AttemptWatchdog(1_000_000, () => now);
    const silent = new AbortController();
    const stalled = new AbortController();
    const slow = new AbortController();
    watchdog.watch(silent, 'a', { totalMs: 10_000, firstTokenMs: 100, idleMs: 50 });
    const stalledWatch = watchdog.watch(stalled, 'b', {
      totalMs: 10_000,
      firstTokenMs: 100,
      idleMs: 50,
    });
    watchdog.watch(slow, 'c', { totalMs: 300 });
    now = 60;
    watchdog.flowing(stalledWatch);
    now = 100;
    stalledWatch.chunks += 1;
    watchdog.tick();
    expect(silent.signal.reason).toBeInstanceOf(GatewayError);
    expect((silent.signal.reason as GatewayError).code).toBe('upstream_timeout');
    expect(stalled.signal.aborted).toBe(false);
    now = 149;
    watchdog.tick();
    expect(stalled.signal.aborted).toBe(false);
    now = 150;
    watchdog.tick();
    expect((stalled.signal.reason as GatewayError).message).toContain('idle');
    expect(slow.signal.aborted).toBe(false);
    now = 300;
    watchdog.tick();
    expect((slow.signal.reason as GatewayError).message).toContain('total');
    expect(watchdog.size).toBe(0);
  });
});
