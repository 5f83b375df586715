import type { CachedAnswer, CacheStore } from './cache-store.js';

export interface MemoryCacheStoreOptions {
  /** Most entries kept; the least recently used go first. */
  maxEntries: number;
  /** Most bytes kept (entry sizes as UTF-16 JSON length × 2, close to V8's string cost). */
  maxBytes: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

interface Slot {
  answer: CachedAnswer;
  bytes: number;
  expiresAt: number;
}

/**
 * In-process LRU bounded in entries and bytes, with a TTL per entry. A Map keeps insertion
 * order, so re-inserting on every hit makes its first key the least recently used one. Expired
 * entries are dropped when read and when they reach the LRU end.
 */
export function createMemoryCacheStore(options: MemoryCacheStoreOptions): CacheStore & { readonly size: number; readonly bytes: number } {
  const slots = new Map<string, Slot>();
  const now = options.now ?? Date.now;
  let bytes = 0;

  function remove(key: string, slot: Slot): void {
    slots.delete(key);
    bytes -= slot.bytes;
  }

  function evict(): void {
    while (slots.size > options.maxEntries || bytes > options.maxBytes) {
      const oldest = slots.entries().next().value;
      if (!oldest) return;
      remove(oldest[0], oldest[1]);
    }
  }

  return {
    kind: 'memory',
    get size() {
      return slots.size;
    },
    get bytes() {
      return bytes;
    },
    get(key) {
      const slot = slots.get(key);
      if (!slot) return Promise.resolve(undefined);
      if (slot.expiresAt <= now()) {
        remove(key, slot);
        return Promise.resolve(undefined);
      }
      slots.delete(key);
      slots.set(key, slot);
      return Promise.resolve(slot.answer);
    },
    set(key, answer, ttlMs) {
      const size = (key.length + JSON.stringify(answer).length) * 2;
      const previous = slots.get(key);
      if (previous) remove(key, previous);
      if (size <= options.maxBytes && ttlMs > 0) {
        slots.set(key, { answer, bytes: size, expiresAt: now() + ttlMs });
        bytes += size;
        evict();
      }
      return Promise.resolve();
    },
    delete(key) {
      const slot = slots.get(key);
      if (slot) remove(key, slot);
      return Promise.resolve();
    },
    close() {
      slots.clear();
      bytes = 0;
      return Promise.resolve();
    },
  };
}
