import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisSharedState, type RedisSharedState } from '../state/redis-shared-state.js';
import { DeploymentCapacity } from './deployment-capacity.js';
import { createRedisFleetSlots, type FleetSlots } from './fleet-slots.js';

const url = process.env.REDIS_URL;
if (!url && process.env.CI === 'true')
  throw new Error('REDIS_URL is required under CI=true: the fleet capacity tests need Redis.');

const prefix = `switchyard-test:${randomUUID()}:`;
const states: RedisSharedState[] = [];
const fleets: FleetSlots[] = [];
async function replica(id: string, leaseMs?: number): Promise<FleetSlots> {
  const state = createRedisSharedState({
    url: url!,
    keyPrefix: prefix,
    replicaId: id,
    timeoutMs: 2000,
    log: () => {},
  });
  states.push(state);
  await state.ready(3000);
  const fleet = createRedisFleetSlots(state, leaseMs === undefined ? {} : { leaseMs });
  fleets.push(fleet);
  return fleet;
}
afterAll(async () => {
  for (const fleet of fleets) fleet.close();
  const keys = states[0] ? await states[0].redis.keys(`${prefix}*`) : [];
  if (keys.length > 0) await states[0]!.redis.del(...keys);
  await Promise.all(states.map((state) => state.close()));
});

/** Polls `check` (which may have effects: it runs until it says true, never after) for up to 5 s. */
const until = async (check: () => Promise<boolean> | boolean): Promise<void> => {
  let met = false;
  for (let tries = 0; tries < 500 && !met; tries += 1) {
    met = await check();
    if (!met) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(met).toBe(true);
};

describe.skipIf(!url)('fleet-wide slots of a self-hosted box (Redis)', () => {
  it('never grants more than max_concurrency across replicas, however many ask at once', async () => {
    const [a, b] = [await replica('a'), await replica('b')];
    const asks = Array.from({ length: 20 }, (_, index) => (index % 2 ? a : b).take('box/m', 3));
    const results = await Promise.all(asks);
    const granted = results.filter((result) => result !== undefined && 'token' in result);
    expect(granted).toHaveLength(3);
    expect(results.filter((result) => result !== undefined && 'full' in result)).toHaveLength(17);
    // Given back on one replica: the other can take it.
    const [first] = results
      .map((result, index) => ({ result, owner: index % 2 ? a : b }))
      .filter(({ result }) => result !== undefined && 'token' in result);
    first!.owner.give('box/m', (first!.result as { token: string }).token);
    await until(async () => {
      const again = await a.take('box/m', 3);
      return again !== undefined && 'token' in again;
    });
  });

  it("lets a dead replica's slots go when their leases run out, and keeps a live one's renewed", async () => {
    const dying = await replica('dying', 300);
    const living = await replica('living', 300);
    const observer = await replica('observer', 300);
    expect(await dying.take('box/lease', 2)).toHaveProperty('token');
    expect(await living.take('box/lease', 2)).toHaveProperty('token');
    expect(await observer.take('box/lease', 2)).toEqual({ full: 2 });
    // The dying replica stops renewing (as a killed process would); the living one renews.
    dying.close();
    await until(async () => {
      const taken = await observer.take('box/lease', 2);
      return taken !== undefined && 'token' in taken;
    });
    // Two held again (living's and the observer's), and still after several more leases: the
    // living replica renews its slot.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await observer.take('box/lease', 2)).toEqual({ full: 2 });
  });

  it('makes a waiting request of one replica take the slot another replica frees', async () => {
    const [a, b] = [await replica('wait-a'), await replica('wait-b')];
    const onA = new DeploymentCapacity([['box/w', { maxConcurrency: 1, maxQueueMs: 5000 }]]);
    const onB = new DeploymentCapacity([['box/w', { maxConcurrency: 1, maxQueueMs: 5000 }]]);
    onA.shareSlots(a);
    onB.shareSlots(b);
    const release = await onA.acquire('box/w');
    expect(release).toBeTypeOf('function');
    let granted = false;
    const waiting = onB.acquire('box/w').then((slot) => {
      granted = slot !== undefined;
      return slot;
    });
    // B waits: the fleet holds the one slot (A's).
    await until(() => onB.snapshot()[0]!.queued === 1);
    expect(onB.snapshot()[0]).toMatchObject({ in_flight: 0, fleet_in_flight: 1 });
    expect(onB.status('box/w')?.detail).toContain('1/1 in flight (fleet), 1 queued');
    expect(granted).toBe(false);
    release!();
    const slot = await waiting;
    expect(slot).toBeTypeOf('function');
    expect(onB.snapshot()[0]).toMatchObject({ in_flight: 1, fleet_in_flight: 1, spilled: 0 });
    slot!();
    onA.shareSlots(undefined);
    onB.shareSlots(undefined);
  });
});
