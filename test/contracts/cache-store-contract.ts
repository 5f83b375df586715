import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CachedAnswer, CacheStore } from '../../src/cache/cache-store.js';

/** An answer of roughly `size` characters of text. */
export function sampleAnswer(
  text = 'def add(a, b):\n    return a + b',
  storedAt = 1,
): CachedAnswer {
  return {
    response: {
      id: 'r1',
      model: 'up-model',
      created: 1700000000,
      choices: [{ index: 0, text, toolCalls: [], finishReason: 'stop' }],
      usage: { inputTokens: 12, outputTokens: 9 },
    },
    model: 'coder',
    provider: 'sim',
    usage: { inputTokens: 12, outputTokens: 9 },
    costUsd: 0.000123,
    storedAt,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every CacheStore shares; each store's test runs it. `open` returns a fresh store
 * whose keys do not collide with other runs (a unique prefix for shared backends).
 */
export function describeCacheStoreContract(name: string, open: () => Promise<CacheStore>): void {
  describe(`CacheStore contract: ${name}`, () => {
    let store: CacheStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(() => store.close());

    it('misses an unknown key', async () => {
      expect(await store.get('absent')).toBeUndefined();
    });

    it('returns what was stored, equal field by field', async () => {
      const answer = sampleAnswer();
      await store.set('k1', answer, 60_000);
      expect(await store.get('k1')).toEqual(answer);
    });

    it('replaces an entry stored again under the same key', async () => {
      await store.set('k2', sampleAnswer('first'), 60_000);
      await store.set('k2', sampleAnswer('second'), 60_000);
      expect((await store.get('k2'))?.response.choices[0]?.text).toBe('second');
    });

    it('deletes', async () => {
      await store.set('k3', sampleAnswer(), 60_000);
      await store.delete('k3');
      expect(await store.get('k3')).toBeUndefined();
    });

    it('expires an entry after its TTL', async () => {
      await store.set('k4', sampleAnswer(), 60);
      expect(await store.get('k4')).toBeDefined();
      await sleep(150);
      expect(await store.get('k4')).toBeUndefined();
    });

    it('keeps unicode and control characters intact', async () => {
      const answer = sampleAnswer('naïve “quotes” \u0000 \n\t 😀');
      await store.set('k5', answer, 60_000);
      expect(await store.get('k5')).toEqual(answer);
    });
  });
}
