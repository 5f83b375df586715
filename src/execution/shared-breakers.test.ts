import { describe, expect, it } from 'vitest';
import { createMemorySharedState, MemoryHub } from '../state/memory-shared-state.js';
import { DeploymentBreakers } from './deployment-breakers.js';
import { shareBreakers } from './shared-breakers.js';

const settings = {
  windowMs: 10_000,
  minRequests: 4,
  errorRate: 0.5,
  consecutiveFailures: 3,
  openMs: 30_000,
  halfOpenProbes: 1,
  authCooldownMs: 60_000,
};
const KEYS = ['p/m', 'q/n', 'z/x'];
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

function replica(hub: MemoryHub, id: string) {
  const breakers = new DeploymentBreakers(settings, () => {});
  const stop = shareBreakers({
    state: createMemorySharedState({ replicaId: id, hub }),
    breakers,
    deploymentKeys: () => KEYS,
  });
  return { breakers, stop };
}

describe('shareBreakers', () => {
  it('a breaker opened on one replica is skipped by the others; its close closes it there too', async () => {
    const hub = new MemoryHub();
    const a = replica(hub, 'a');
    const b = replica(hub, 'b');
    const c = replica(hub, 'c');
    const now = Date.now();
    for (let index = 0; index < 3; index += 1)
      a.breakers.failed('p/m', 'normal', now, 'upstream_unavailable');
    expect(b.breakers.available('p/m', now)).toBe(true); // not yet delivered
    await settle();
    for (const other of [b, c]) {
      expect(other.breakers.available('p/m', Date.now())).toBe(false);
      expect(other.breakers.snapshot(Date.now(), ['p/m'])[0]).toMatchObject({
        state: 'open',
        lastError: 'upstream_unavailable',
      });
      expect(other.breakers.available('q/n', Date.now())).toBe(true);
    }
    // Replica b probes after open_ms and the probe succeeds: every replica closes.
    const later = Date.now() + settings.openMs;
    const probe = b.breakers.acquire('p/m', later)!;
    expect(probe).toBe('probe');
    b.breakers.succeeded('p/m', probe, later);
    await settle();
    for (const other of [a, c])
      expect(other.breakers.snapshot(later, ['p/m'])[0]!.state).toBe('closed');
    for (const each of [a, b, c]) each.stop();
  });

  it('shares Retry-After and provider cooldowns, and a replica that starts later learns what is still open', async () => {
    const hub = new MemoryHub();
    const a = replica(hub, 'a');
    const now = Date.now();
    for (let index = 0; index < 3; index += 1)
      a.breakers.failed('q/n', 'normal', now, 'upstream_unavailable');
    a.breakers.failed('p/m', 'normal', now, 'upstream_rate_limited', 20_000);
    a.breakers.coolProvider('z', now, 'key refused');
    await settle();
    const late = replica(hub, 'late');
    await settle();
    const at = Date.now();
    const [pm, qn] = late.breakers.snapshot(at, KEYS);
    expect(pm).toMatchObject({
      available: false,
      cooldownReason: 'upstream_rate_limited (retry-after)',
    });
    expect(pm!.cooldownUntil! - at).toBeGreaterThan(15_000);
    expect(pm!.cooldownUntil! - at).toBeLessThanOrEqual(20_000);
    expect(qn).toMatchObject({ state: 'open', available: false });
    expect(late.breakers.providerCooled('z/x', at)).toBe(true);
    a.stop();
    late.stop();
  });

  it('ignores malformed messages', async () => {
    const hub = new MemoryHub();
    const a = replica(hub, 'a');
    const rogue = createMemorySharedState({ replicaId: 'rogue', hub });
    await rogue.publish('breakers', 'not json');
    await rogue.publish('breakers', JSON.stringify({ type: 'open', key: 'p/m' }));
    await settle();
    expect(a.breakers.available('p/m', Date.now())).toBe(true);
    a.stop();
  });
});
