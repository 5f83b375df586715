import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisSharedState, type RedisSharedState } from '../state/redis-shared-state.js';
import { createRemoteFlights } from './remote-flights.js';
import { Flight, FlightAbandoned } from './single-flight.js';

const url = process.env.REDIS_URL;
if (!url && process.env.CI === 'true')
  throw new Error(
    'REDIS_URL is required under CI=true: the remote single-flight tests need Redis.',
  );

const prefix = `switchyard-test:${randomUUID()}:`;
const states: RedisSharedState[] = [];
async function replica(id: string): Promise<RedisSharedState> {
  const state = createRedisSharedState({
    url: url!,
    keyPrefix: prefix,
    replicaId: id,
    timeoutMs: 2000,
    log: () => {},
  });
  states.push(state);
  await state.ready(3000);
  return state;
}
afterAll(async () => {
  const keys = states[0] ? await states[0].redis.keys(`${prefix}*`) : [];
  if (keys.length > 0) await states[0]!.redis.del(...keys);
  await Promise.all(states.map((state) => state.close()));
});

const answer = {
  id: 'r1',
  created: 0,
  model: 'm',
  choices: [{ index: 0, text: 'hello', toolCalls: [], finishReason: 'stop' as const }],
} as never;

describe.skipIf(!url)('remote flights (Redis)', () => {
  it('the first replica leads; another joins and gets the answer mirrored once it announces itself', async () => {
    const one = createRemoteFlights({ state: await replica('one') });
    const two = createRemoteFlights({ state: await replica('two') });
    const led = new Flight('k1');
    const leading = await one.claim('k1', led);
    expect(leading.kind).toBe('lead');
    const joined = new Flight('k1');
    expect((await two.claim('k1', joined)).kind).toBe('join');
    if (leading.kind === 'lead') leading.attach(led);
    led.begin({ model: 'm', provider: 'p' });
    led.push([{ type: 'text-delta', index: 0, text: 'hel' } as never]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    led.push([{ type: 'text-delta', index: 0, text: 'lo' } as never]);
    led.finish();
    const listener = joined.attach(new AbortController().signal as never);
    const batches: unknown[] = [];
    for await (const batch of listener.batches()) batches.push(...batch);
    expect(batches).toEqual([
      { type: 'text-delta', index: 0, text: 'hel' },
      { type: 'text-delta', index: 0, text: 'lo' },
    ]);
    expect(joined.knownOrigin).toEqual({ model: 'm', provider: 'p' });
    if (leading.kind === 'lead') leading.release();
    one.close();
    two.close();
  });

  it('a waiter whose leader goes quiet gives up within the bounded wait (its requests go upstream)', async () => {
    const state = await replica('three');
    // A lock held by a replica that died before mirroring anything.
    await state.redis.set(state.key('flight:k2'), 'dead-replica:token', 'PX', 60_000);
    const remote = createRemoteFlights({ state, waitMs: 300 });
    const flight = new Flight('k2');
    const startedAt = Date.now();
    expect((await remote.claim('k2', flight)).kind).toBe('join');
    await expect(flight.done).rejects.toBeInstanceOf(FlightAbandoned);
    const waited = Date.now() - startedAt;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(3000);
    // The key is then led locally for a while instead of waited on again.
    expect((await remote.claim('k2', new Flight('k2'))).kind).toBe('none');
    remote.close();
  });

  it('a non-streamed answer reaches the waiter whole, and the leader keeps it alive meanwhile', async () => {
    const one = createRemoteFlights({ state: await replica('four'), waitMs: 5000 });
    const two = createRemoteFlights({ state: await replica('five'), waitMs: 1500 });
    const led = new Flight('k3');
    const leading = await one.claim('k3', led);
    if (leading.kind === 'lead') leading.attach(led);
    const joined = new Flight('k3');
    expect((await two.claim('k3', joined)).kind).toBe('join');
    // Longer than the waiter's bound: only the leader's heartbeat keeps it waiting.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    led.complete({ model: 'm', provider: 'p' }, answer);
    const whole = await joined.done;
    expect(whole.choices[0]!.text).toBe('hello');
    if (leading.kind === 'lead') leading.release();
    one.close();
    two.close();
  });
});
