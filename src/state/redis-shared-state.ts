import { Redis } from 'ioredis';
import { decodeMessage, encodeMessage, type SharedState } from './shared-state.js';

export interface RedisSharedStateOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /** Prepended to every key and channel, so several gateways (or test runs) can share one Redis. */
  keyPrefix: string;
  replicaId: string;
  /** Longest wait for one command; past it the command counts as failed (default 200 ms). */
  timeoutMs?: number;
  /** Alert sink for outages and recoveries (default: stderr). */
  log?: (message: string) => void;
}

/** The Redis state, with what server-side scripts need: the client and full key names. */
export interface RedisSharedState extends SharedState {
  readonly kind: 'redis';
  /** The command connection (never in subscriber mode). Commands fail fast while disconnected. */
  readonly redis: Redis;
  /** The full Redis key of a state key (prefix + key). */
  key(name: string): string;
  /** Times Redis became unreachable since start. */
  readonly outages: number;
  /** Resolves true once connected, false when `waitMs` passed first (the state works either way). */
  ready(waitMs: number): Promise<boolean>;
}

/**
 * Shared state in Redis: one command connection and one subscriber connection. Commands are not
 * queued while disconnected and are bounded by `timeoutMs`; the clients reconnect in the
 * background with a capped backoff, and the subscriber re-subscribes by itself. Outages and
 * recoveries are logged once each (not per request) and counted.
 */
export function createRedisSharedState(options: RedisSharedStateOptions): RedisSharedState {
  const timeoutMs = options.timeoutMs ?? 200;
  const log =
    options.log ?? ((message: string) => process.stderr.write(`[shared-state] ${message}\n`));
  const connection = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(timeoutMs, 1000),
    retryStrategy: (times: number) => Math.min(times * 100, 2000),
  };
  const redis = new Redis(options.url, connection);
  // The subscriber queues its SUBSCRIBE commands until connected (they are replayed on reconnect).
  const subscriber = new Redis(options.url, {
    ...connection,
    enableOfflineQueue: true,
    commandTimeout: undefined,
  });
  const listeners = new Set<(up: boolean) => void>();
  const channels = new Map<string, Set<(message: string, from: string) => void>>();
  let up = false;
  let everUp = false;
  let outages = 0;
  let closed = false;

  const change = (next: boolean, reason?: string): void => {
    if (next === up || closed) return;
    up = next;
    if (next) {
      if (everUp)
        log(`Redis is reachable again: shared state resumes (budgets reconcile from the ledger)`);
      everUp = true;
    } else {
      outages += 1;
      log(
        `ALERT: Redis unreachable (${reason ?? 'connection lost'}): budgets, limits, breakers and key changes fall back to this replica alone`,
      );
    }
    for (const listener of listeners) listener(next);
  };
  redis.on('ready', () => change(true));
  redis.on('error', (error: Error) => change(false, error.message));
  redis.on('close', () => change(false));
  redis.on('end', () => change(false));
  subscriber.on('error', () => {}); // reported through the command connection
  subscriber.on('message', (fullChannel: string, text: string) => {
    const handlers = channels.get(fullChannel);
    const message = handlers && decodeMessage(text);
    if (!message || message.from === options.replicaId) return;
    for (const handler of handlers) handler(message.body, message.from);
  });

  const key = (name: string): string => options.keyPrefix + name;
  const quietly = async <T>(command: () => Promise<T>): Promise<T | undefined> => {
    if (!up) return undefined;
    try {
      return await command();
    } catch {
      return undefined;
    }
  };

  return {
    kind: 'redis',
    replicaId: options.replicaId,
    redis,
    key,
    get up() {
      return up;
    },
    get outages() {
      return outages;
    },
    onAvailability(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ready(waitMs) {
      // Both connections: a message published before this replica subscribed would be lost to it.
      const connected = (client: Redis): Promise<void> =>
        client.status === 'ready'
          ? Promise.resolve()
          : new Promise((resolve) => client.once('ready', () => resolve()));
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), waitMs);
        void Promise.all([connected(redis), connected(subscriber)]).then(() => {
          clearTimeout(timer);
          resolve(up);
        });
      });
    },
    async get(name) {
      const value = await quietly(() => redis.get(key(name)));
      return typeof value === 'string' ? value : undefined;
    },
    async set(name, value, ttlMs) {
      await quietly(() =>
        ttlMs === undefined
          ? redis.set(key(name), value)
          : redis.set(key(name), value, 'PX', Math.max(1, Math.ceil(ttlMs))),
      );
    },
    async delete(name) {
      await quietly(() => redis.del(key(name)));
    },
    async increment(name, by, ttlMs) {
      return quietly(async () => {
        const value = await redis.incrby(key(name), by);
        if (ttlMs !== undefined && value === by)
          await redis.pexpire(key(name), Math.max(1, Math.ceil(ttlMs)));
        return value;
      });
    },
    async publish(channel, message) {
      await quietly(() => redis.publish(key(channel), encodeMessage(options.replicaId, message)));
    },
    subscribe(channel, listener) {
      const fullChannel = key(channel);
      let handlers = channels.get(fullChannel);
      if (handlers === undefined) {
        handlers = new Set();
        channels.set(fullChannel, handlers);
        subscriber.subscribe(fullChannel).catch(() => {});
      }
      handlers.add(listener);
      return () => {
        handlers.delete(listener);
        if (handlers.size === 0) {
          channels.delete(fullChannel);
          subscriber.unsubscribe(fullChannel).catch(() => {});
        }
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([redis.quit(), subscriber.quit()]);
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}
