import type { ResponseStore, ResponseStoreBackend, StoredResponse } from './response-store.js';

export interface ResponseStoreLimits {
  /** How long a stored response lives, ms. */
  ttlMs: number;
  /** Responses whose stored JSON (response + conversation items) is larger are not stored. */
  maxBytes: number;
  /** At most this many responses are kept; beyond it the oldest go first. */
  maxEntries: number;
  /** How often expired and surplus responses are deleted, ms (on the next save after the interval). */
  pruneIntervalMs?: number;
  /** Error sink for failed writes (default: stderr). */
  log?: (message: string) => void;
  /** Clock (tests). */
  now?: () => number;
}

const DEFAULT_PRUNE_INTERVAL_MS = 60_000;

/**
 * The store the gateway uses: the size bound and TTL over a database backend. A save returns at
 * once and keeps the entry in memory until its write completes, so a follow-up that names it
 * straight away finds it; a failed write is logged (the response was already sent).
 */
export function createResponseStore(
  backend: ResponseStoreBackend,
  limits: ResponseStoreLimits,
): ResponseStore {
  const now = limits.now ?? Date.now;
  const log = limits.log ?? ((message: string) => process.stderr.write(`[responses] ${message}\n`));
  const pruneInterval = limits.pruneIntervalMs ?? DEFAULT_PRUNE_INTERVAL_MS;
  const pending = new Map<string, StoredResponse>();
  const writes = new Set<Promise<void>>();
  let lastPrune = now();
  let closed = false;

  const track = (work: Promise<unknown>, what: string): void => {
    const write = work.then(
      () => undefined,
      (error: unknown) =>
        log(`${what} failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    writes.add(write);
    void write.finally(() => writes.delete(write));
  };

  const visible = (
    entry: StoredResponse | undefined,
    ownerKeyId: string | null,
  ): StoredResponse | undefined =>
    entry !== undefined && entry.ownerKeyId === ownerKeyId && entry.expiresAt > now()
      ? entry
      : undefined;

  return {
    save(input) {
      if (closed) return false;
      const createdAt = now();
      const entry: StoredResponse = { ...input, createdAt, expiresAt: createdAt + limits.ttlMs };
      const bytes = Buffer.byteLength(
        JSON.stringify({ response: entry.response, inputItems: entry.inputItems }),
      );
      if (bytes > limits.maxBytes) return false;
      pending.set(entry.id, entry);
      track(
        backend.insert(entry, bytes).finally(() => pending.delete(entry.id)),
        `storing response ${entry.id}`,
      );
      if (createdAt - lastPrune >= pruneInterval) {
        lastPrune = createdAt;
        track(backend.prune(createdAt, limits.maxEntries), 'pruning stored responses');
      }
      return true;
    },
    async get(id, ownerKeyId) {
      const waiting = pending.get(id);
      if (waiting !== undefined) return visible(waiting, ownerKeyId);
      return backend.find(id, ownerKeyId, now());
    },
    async delete(id, ownerKeyId) {
      const waiting = pending.get(id);
      if (waiting !== undefined) {
        if (visible(waiting, ownerKeyId) === undefined) return false;
        await Promise.all(writes);
      }
      return backend.remove(id, ownerKeyId, now());
    },
    async flush() {
      await Promise.all(writes);
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(writes);
      await backend.close();
    },
  };
}
