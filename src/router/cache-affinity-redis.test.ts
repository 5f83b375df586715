import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisSharedState, type RedisSharedState } from '../state/redis-shared-state.js';
import { CacheAffinity } from './cache-affinity.js';

const url = process.env.REDIS_URL;
if (!url && process.env.CI === 'true')
  throw new Error(
    'REDIS_URL is required under CI=true: the shared cache-affinity test needs Redis.',
  );

const states: RedisSharedState[] = [];
afterAll(async () => {
  for (const state of states) {
    if (state.up) {
      const keys = await state.redis.keys(state.key('*'));
      if (keys.length > 0) await state.redis.del(...keys);
    }
    await state.close();
  }
});

describe.skipIf(!url)('cache affinity through Redis (REDIS_URL)', () => {
  it('a session served on one replica is warm on another, and expires with its TTL', async () => {
    const prefix = `switchyard-test:${randomUUID()}:`;
    const [one, two] = [0, 1].map((index) => {
      const state = createRedisSharedState({
        url: url!,
        keyPrefix: prefix,
        replicaId: `replica-${index}`,
        log: () => {},
      });
      states.push(state);
      return state;
    });
    expect(await one!.ready(3000)).toBe(true);
    expect(await two!.ready(3000)).toBe(true);
    await new CacheAffinity(one!, 1_000).remember(
      'key\nh\nsession-1',
      'sim-anthropic/claude',
      30_000,
    );
    const other = new CacheAffinity(two!, 1_000);
    expect(await other.lookup('key\nh\nsession-1')).toEqual({
      warmKey: 'sim-anthropic/claude',
      warmPromptTokens: 30_000,
    });
    expect(await other.lookup('key\nh\nsession-2')).toEqual({});
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(await other.lookup('key\nh\nsession-1')).toEqual({});
  });
});
