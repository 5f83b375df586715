import type { SharedState } from './shared-state.js';

export interface MemorySharedStateOptions {
  replicaId: string;
  /**
   * Several in-process "replicas" may share one hub (tests): messages then reach the other
   * states on the hub, as they would through Redis. Default: a hub of its own.
   */
  hub?: MemoryHub;
}

/** What in-process states share: values and subscribers. */
export class MemoryHub {
  readonly values = new Map<string, { value: string; expiresAt: number }>();
  readonly subscribers = new Map<
    string,
    Set<{ replicaId: string; listener: (message: string, from: string) => void }>
  >();
}

/** Shared state of one process: a map with expiry and local fan-out. Always up. */
export function createMemorySharedState(options: MemorySharedStateOptions): SharedState {
  const hub = options.hub ?? new MemoryHub();
  const live = (key: string): string | undefined => {
    const entry = hub.values.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      hub.values.delete(key);
      return undefined;
    }
    return entry.value;
  };
  const expiry = (ttlMs: number | undefined): number =>
    ttlMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + ttlMs;
  return {
    kind: 'memory',
    replicaId: options.replicaId,
    up: true,
    onAvailability: () => () => {},
    async get(key) {
      return live(key);
    },
    async set(key, value, ttlMs) {
      hub.values.set(key, { value, expiresAt: expiry(ttlMs) });
    },
    async delete(key) {
      hub.values.delete(key);
    },
    async increment(key, by, ttlMs) {
      const next = Number(live(key) ?? 0) + by;
      const current = hub.values.get(key);
      hub.values.set(key, {
        value: String(next),
        expiresAt: current && current.expiresAt > Date.now() ? current.expiresAt : expiry(ttlMs),
      });
      return next;
    },
    async publish(channel, message) {
      for (const subscriber of hub.subscribers.get(channel) ?? []) {
        if (subscriber.replicaId !== options.replicaId)
          queueMicrotask(() => subscriber.listener(message, options.replicaId));
      }
    },
    subscribe(channel, listener) {
      let set = hub.subscribers.get(channel);
      if (set === undefined) {
        set = new Set();
        hub.subscribers.set(channel, set);
      }
      const entry = { replicaId: options.replicaId, listener };
      set.add(entry);
      return () => set.delete(entry);
    },
    async close() {
      for (const set of hub.subscribers.values())
        for (const entry of set) if (entry.replicaId === options.replicaId) set.delete(entry);
    },
  };
}
