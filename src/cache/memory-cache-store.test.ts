import { describe, expect, it } from 'vitest';
import {
  describeCacheStoreContract,
  sampleAnswer,
} from '../../test/contracts/cache-store-contract.js';
import { createMemoryCacheStore, entrySize } from './memory-cache-store.js';

describeCacheStoreContract('memory', () =>
  Promise.resolve(createMemoryCacheStore({ maxEntries: 100, maxBytes: 1024 * 1024 })),
);

describe('memory cache store bounds', () => {
  it('evicts the least recently used entry beyond maxEntries', async () => {
    const store = createMemoryCacheStore({ maxEntries: 2, maxBytes: 1024 * 1024 });
    await store.set('a', sampleAnswer('a'), 60_000);
    await store.set('b', sampleAnswer('b'), 60_000);
    await store.get('a');
    await store.set('c', sampleAnswer('c'), 60_000);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    expect(await store.get('c')).toBeDefined();
    expect(store.size).toBe(2);
  });

  it('evicts by bytes and never keeps an entry larger than maxBytes', async () => {
    const one = entrySize('a', sampleAnswer('x'.repeat(1000)));
    const store = createMemoryCacheStore({ maxEntries: 100, maxBytes: one * 2 + 10 });
    for (const key of ['a', 'b', 'c']) await store.set(key, sampleAnswer('x'.repeat(1000)), 60_000);
    expect(store.size).toBe(2);
    expect(store.bytes).toBeLessThanOrEqual(one * 2 + 10);
    expect(await store.get('a')).toBeUndefined();
    await store.set('huge', sampleAnswer('y'.repeat(10_000)), 60_000);
    expect(await store.get('huge')).toBeUndefined();
  });

  it('uses its clock for TTLs', async () => {
    let now = 1000;
    const store = createMemoryCacheStore({ maxEntries: 10, maxBytes: 1 << 20, now: () => now });
    await store.set('a', sampleAnswer(), 300_000);
    now += 299_999;
    expect(await store.get('a')).toBeDefined();
    now += 1;
    expect(await store.get('a')).toBeUndefined();
    expect(store.bytes).toBe(0);
  });
});
