import { Redis } from 'ioredis';
import type { CachedAnswer, CacheStore } from './cache-store.js';

export interface RedisCacheStoreOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /** Prepended to every key, so several gateways (or test runs) can share one Redis. */
  keyPrefix: string;
  /** Longest wait for one command; past it the command counts as a miss. */
  timeoutMs: number;
  /** Called once when Redis becomes unreachable and once when it is back (not per request). */
  onStateChange?: (up: boolean, error?: Error) => void;
}

/**
 * Cache entries in Redis, shared by every replica: `SET key json PX ttl`, `GET key`. Redis
 * expires entries itself. Commands are not queued while disconnected and are bounded by
 * `timeoutMs`, so Redis down or slow is a miss (and a dropped write), never a failed or hung
 * request. The client reconnects in the background with a capped backoff.
 */
export interface RedisCacheStore extends CacheStore {
  /** Resolves true once connected, false when `waitMs` passed first (the store works either way). */
  ready(waitMs: number): Promise<boolean>;
}

export function createRedisCacheStore(options: RedisCacheStoreOptions): RedisCacheStore {
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.timeoutMs,
    connectTimeout: Math.max(options.timeoutMs, 1000),
    retryStrategy: (times) => Math.min(times * 200, 5000),
    lazyConnect: false,
  });
  let up = true;
  redis.on('error', (error: Error) => {
    if (up) {
      up = false;
      options.onStateChange?.(false, error);
    }
  });
  redis.on('ready', () => {
    if (!up) {
      up = true;
      options.onStateChange?.(true);
    }
  });

  /** The command's result, or undefined when it failed or took longer than the bound. */
  function bounded<T>(command: () => Promise<T>): Promise<T | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), options.timeoutMs);
      command().then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        () => {
          clearTimeout(timer);
          resolve(undefined);
        },
      );
    });
  }

  return {
    kind: 'redis',
    ready(waitMs) {
      if (redis.status === 'ready') return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          redis.removeListener('ready', onReady);
          resolve(false);
        }, waitMs);
        const onReady = (): void => {
          clearTimeout(timer);
          resolve(true);
        };
        redis.once('ready', onReady);
      });
    },
    async get(key) {
      const text = await bounded(() => redis.get(key));
      if (typeof text !== 'string') return undefined;
      try {
        return JSON.parse(text) as CachedAnswer;
      } catch {
        return undefined;
      }
    },
    async set(key, answer, ttlMs) {
      if (ttlMs <= 0) return;
      await bounded(() => redis.set(key, JSON.stringify(answer), 'PX', Math.ceil(ttlMs)));
    },
    async delete(key) {
      await bounded(() => redis.del(key));
    },
    async close() {
      try {
        await bounded(() => redis.quit());
      } finally {
        redis.disconnect();
      }
    },
  };
}
