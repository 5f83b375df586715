import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  describeCacheStoreContract,
  sampleAnswer,
} from '../../test/contracts/cache-store-contract.js';
import { createRedisCacheStore } from './redis-cache-store.js';

const url = process.env.REDIS_URL;
if (!url && process.env.CI === 'true')
  throw new Error(
    'REDIS_URL is required under CI=true: the Redis cache store tests cannot run without Redis.',
  );
const runPrefix = `switchyard-test:${randomUUID()}:`;
let storeCount = 0;

describe.skipIf(!url)('redis cache store (REDIS_URL)', () => {
  describeCacheStoreContract('redis', async () => {
    const store = createRedisCacheStore({
      url: url!,
      keyPrefix: `${runPrefix}${storeCount++}:`,
      timeoutMs: 500,
    });
    if (!(await store.ready(5000))) throw new Error(`Redis at ${url} did not become ready`);
    return store;
  });

  it('sets the TTL in Redis itself', async () => {
    const prefix = `${runPrefix}ttl:`;
    const store = createRedisCacheStore({ url: url!, keyPrefix: prefix, timeoutMs: 500 });
    const { Redis } = await import('ioredis');
    const probe = new Redis(url!);
    try {
      expect(await store.ready(5000)).toBe(true);
      await store.set('k', sampleAnswer(), 300_000);
      const ttl = await probe.pttl(`${prefix}k`);
      expect(ttl).toBeGreaterThan(290_000);
      expect(ttl).toBeLessThanOrEqual(300_000);
    } finally {
      await store.close();
      probe.disconnect();
    }
  });
});

describe('redis cache store with Redis unreachable', () => {
  it('answers get with a miss and drops set within the bound, never throwing', async () => {
    const states: boolean[] = [];
    // Port 9 (discard) on loopback: connection refused.
    const store = createRedisCacheStore({
      url: 'redis://127.0.0.1:9',
      keyPrefix: 'x:',
      timeoutMs: 100,
      onStateChange: (up) => states.push(up),
    });
    try {
      const started = performance.now();
      await store.set('k', sampleAnswer(), 60_000);
      expect(await store.get('k')).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      await store.close();
    }
  });

  it('answers a miss within the bound when Redis accepts the connection but never replies', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const store = createRedisCacheStore({
      url: `redis://127.0.0.1:${port}`,
      keyPrefix: 'x:',
      timeoutMs: 100,
    });
    try {
      const started = performance.now();
      expect(await store.get('k')).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      await store.close();
      silent.close();
    }
  });
});
