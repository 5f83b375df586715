import type { CachedAnswer, CacheStore } from './cache-store.js';

export interface MemoryCacheStoreOptions {
  /** Most entries kept; the least recently used go first. */
  maxEntries: number;
  /** Most bytes kept (an entry's size is estimated from its text: see entrySize). */
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
export function createMemoryCacheStore(
  options: MemoryCacheStoreOptions,
): CacheStore & { readonly size: number; readonly bytes: number } {
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
      const size = entrySize(key, answer);
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

/** Fixed cost of an entry beyond its text: objects, numbers, ids, usage (an estimate). */
const ENTRY_OVERHEAD_BYTES = 512;

/** Bytes an entry holds: its texts at 2 bytes a character plus a fixed overhead. No JSON pass. */
export function entrySize(key: string, answer: CachedAnswer): number {
  let characters = key.length + answer.response.id.length + answer.response.model.length;
  for (const choice of answer.response.choices) {
    characters += choice.text.length + (choice.reasoning?.length ?? 0);
    for (const call of choice.toolCalls)
      characters += call.id.length + call.name.length + call.arguments.length;
  }
  return characters * 2 + ENTRY_OVERHEAD_BYTES;
}
