import { afterEach, describe, expect, it } from 'vitest';
import { createResponseStore } from '../../src/usage/response-store/create-response-store.js';
import type {
  ResponseStoreBackend,
  StoredResponse,
} from '../../src/usage/response-store/response-store.js';

/** One database location (a temporary directory, a PostgreSQL schema) a response store backend can be opened on. */
export interface ResponseStoreLocation {
  open(): Promise<ResponseStoreBackend>;
  /** How many `stored_responses` rows there are. */
  count(): Promise<number>;
  dispose(): Promise<void>;
}

const entry = (id: string, overrides: Partial<StoredResponse> = {}): StoredResponse => ({
  id,
  ownerKeyId: 'key_a',
  createdAt: 1_000,
  expiresAt: 10_000,
  response: {
    id,
    object: 'response',
    output: [{ type: 'message', content: [{ type: 'output_text', text: `answer ${id} ✓` }] }],
  },
  inputItems: [{ type: 'message', role: 'user', content: 'question' }],
  ...overrides,
});

/** The cases every ResponseStoreBackend must pass, and the store's bounds over it. */
export function describeResponseStoreContract(
  name: string,
  createLocation: () => Promise<ResponseStoreLocation>,
): void {
  describe(`${name} response store contract`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    async function fresh(): Promise<{
      location: ResponseStoreLocation;
      backend: ResponseStoreBackend;
    }> {
      const location = await createLocation();
      const backend = await location.open();
      cleanups.push(async () => {
        await backend.close();
        await location.dispose();
      });
      return { location, backend };
    }
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    it('stores and finds a response for its owner only, until it expires', async () => {
      const { backend } = await fresh();
      await backend.insert(entry('resp_1'), 100);
      await backend.insert(entry('resp_anon', { ownerKeyId: null }), 100);
      expect(await backend.find('resp_1', 'key_a', 5_000)).toEqual(entry('resp_1'));
      expect(await backend.find('resp_1', 'key_b', 5_000)).toBeUndefined();
      expect(await backend.find('resp_1', null, 5_000)).toBeUndefined();
      expect(await backend.find('resp_1', 'key_a', 10_000)).toBeUndefined();
      expect((await backend.find('resp_anon', null, 5_000))?.ownerKeyId).toBeNull();
      expect(await backend.find('resp_missing', 'key_a', 5_000)).toBeUndefined();
    });

    it('deletes a live response of its owner, once', async () => {
      const { backend } = await fresh();
      await backend.insert(entry('resp_1'), 100);
      expect(await backend.remove('resp_1', 'key_b', 5_000)).toBe(false);
      expect(await backend.remove('resp_1', 'key_a', 5_000)).toBe(true);
      expect(await backend.remove('resp_1', 'key_a', 5_000)).toBe(false);
      expect(await backend.find('resp_1', 'key_a', 5_000)).toBeUndefined();
    });

    it('prunes expired responses, then the oldest beyond the bound', async () => {
      const { location, backend } = await fresh();
      await backend.insert(entry('resp_old', { createdAt: 1, expiresAt: 50 }), 10);
      for (let index = 0; index < 5; index++)
        await backend.insert(entry(`resp_${index}`, { createdAt: 100 + index }), 10);
      expect(await backend.prune(60, 3)).toBe(3);
      expect(await location.count()).toBe(3);
      expect(await backend.find('resp_4', 'key_a', 60)).toBeDefined();
      expect(await backend.find('resp_1', 'key_a', 60)).toBeUndefined();
    });

    it('through the store: readable at once, not stored over the size bound, TTL applied, flushed on close', async () => {
      const { location, backend } = await fresh();
      let clock = 1_000;
      const store = createResponseStore(backend, {
        ttlMs: 500,
        maxBytes: 400,
        maxEntries: 10,
        now: () => clock,
      });
      expect(
        store.save({
          id: 'resp_small',
          ownerKeyId: 'key_a',
          response: { id: 'resp_small' },
          inputItems: [],
        }),
      ).toBe(true);
      expect((await store.get('resp_small', 'key_a'))?.expiresAt).toBe(1_500);
      expect(await store.get('resp_small', 'key_b')).toBeUndefined();
      expect(
        store.save({
          id: 'resp_big',
          ownerKeyId: 'key_a',
          response: { text: 'x'.repeat(500) },
          inputItems: [],
        }),
      ).toBe(false);
      await store.flush();
      expect(await location.count()).toBe(1);
      expect(await store.get('resp_big', 'key_a')).toBeUndefined();
      clock = 1_600;
      expect(await store.get('resp_small', 'key_a')).toBeUndefined();
      expect(await store.delete('resp_small', 'key_a')).toBe(false);
    });
  });
}
