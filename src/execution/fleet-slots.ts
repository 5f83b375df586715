import type { SharedState } from '../state/shared-state.js';
import type { RedisSharedState } from '../state/redis-shared-state.js';
import type { DeploymentCapacity } from './deployment-capacity.js';

/**
 * The slots of self-hosted boxes counted across replicas (docs/operations.md, "Self-hosted
 * capacity across replicas"; ADR 0022). One Redis sorted set per box: a member per slot held
 * anywhere in the fleet, scored by its lease's expiry. Taking a slot is one script — drop
 * expired leases, count, add when under `max_concurrency` — so two replicas can never both take
 * the last slot. A replica renews the leases of its slots every `leaseMs / 3` and removes a slot
 * when its attempt ends; a replica that dies stops renewing, and its slots count for at most
 * `leaseMs` more. Times are Redis's own clock (`TIME`), so replica clocks do not matter.
 */
export interface FleetSlots {
  /**
   * One of the box's `max` fleet-wide slots: its token; `full` (with the fleet's count) when all
   * are held; undefined when the shared backend does not answer (the caller counts locally).
   */
  take(key: string, max: number): Promise<{ token: string } | { full: number } | undefined>;
  /** Gives a slot back (and tells the other replicas a slot is free). */
  give(key: string, token: string): void;
  /** The fleet's in-flight count of the box as last seen (taken, renewed or told); undefined before any. */
  seen(key: string): number | undefined;
  /** Called when another replica (or this one) freed a slot of the box. */
  onFreed(listener: (key: string) => void): () => void;
  close(): void;
}

export const DEFAULT_LEASE_MS = 3000;
const FREED_CHANNEL = 'capacity-freed';

const TAKE_SCRIPT = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms)
local held = redis.call('ZCARD', KEYS[1])
if held >= tonumber(ARGV[1]) then return {0, held} end
redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return {1, held + 1}`;

// Renews (or re-adds, after a stall longer than the lease) this replica's slots; returns the count.
const RENEW_SCRIPT = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms)
for index = 2, #ARGV do redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[1]), ARGV[index]) end
if #ARGV > 1 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2) end
return redis.call('ZCARD', KEYS[1])`;

const GIVE_SCRIPT = `
redis.call('ZREM', KEYS[1], ARGV[1])
return redis.call('ZCARD', KEYS[1])`;

export function createRedisFleetSlots(
  state: RedisSharedState,
  options: { leaseMs?: number } = {},
): FleetSlots {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const held = new Map<string, Set<string>>();
  const counts = new Map<string, number>();
  const listeners = new Set<(key: string) => void>();
  let sequence = 0;
  const slotsKey = (key: string) => state.key(`capacity:${key}`);
  const freed = (key: string) => {
    for (const listener of listeners) listener(key);
  };
  const unsubscribe = state.subscribe(FREED_CHANNEL, (message) => {
    const parsed = parseFreed(message);
    if (!parsed) return;
    counts.set(parsed.key, parsed.held);
    freed(parsed.key);
  });
  const renew = async () => {
    if (!state.up) return;
    for (const [key, tokens] of held) {
      try {
        const count = await state.redis.eval(
          RENEW_SCRIPT,
          1,
          slotsKey(key),
          String(leaseMs),
          ...tokens,
        );
        counts.set(key, Number(count));
        if (tokens.size === 0) held.delete(key);
      } catch {
        // Redis is away: the next renewal tries again; meanwhile the leases run down.
      }
    }
  };
  const timer = setInterval(() => void renew(), Math.max(50, Math.floor(leaseMs / 3)));
  timer.unref();
  return {
    async take(key, max) {
      if (!state.up) return undefined;
      const token = `${state.replicaId}#${++sequence}`;
      try {
        const [granted, count] = (await state.redis.eval(
          TAKE_SCRIPT,
          1,
          slotsKey(key),
          String(max),
          String(leaseMs),
          token,
        )) as [number, number];
        counts.set(key, Number(count));
        if (Number(granted) !== 1) return { full: Number(count) };
        let tokens = held.get(key);
        if (!tokens) {
          tokens = new Set();
          held.set(key, tokens);
        }
        tokens.add(token);
        return { token };
      } catch {
        return undefined;
      }
    },
    give(key, token) {
      held.get(key)?.delete(token);
      void state.redis
        .eval(GIVE_SCRIPT, 1, slotsKey(key), token)
        .then((count) => {
          counts.set(key, Number(count));
          void state.publish(FREED_CHANNEL, JSON.stringify({ key, held: Number(count) }));
        })
        .catch(() => {
          // Not removed: the lease runs out by itself (it is no longer renewed).
        })
        .finally(() => freed(key));
    },
    seen: (key) => counts.get(key),
    onFreed(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      clearInterval(timer);
      unsubscribe();
      listeners.clear();
    },
  };
}

function parseFreed(message: string): { key: string; held: number } | undefined {
  try {
    const value = JSON.parse(message) as { key?: unknown; held?: unknown };
    return typeof value.key === 'string' && typeof value.held === 'number'
      ? { key: value.key, held: value.held }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * With Redis, the boxes' slots are counted across the replicas; with in-process state (one
 * replica) nothing changes. Returns the function that stops sharing.
 */
export function shareCapacity(
  state: SharedState,
  capacity: DeploymentCapacity | undefined,
): () => void {
  if (!capacity || state.kind !== 'redis') return () => {};
  const fleet = createRedisFleetSlots(state as RedisSharedState);
  capacity.shareSlots(fleet);
  return () => {
    capacity.shareSlots(undefined);
    fleet.close();
  };
}
