import { hostname } from 'node:os';

/**
 * State shared by the replicas of one gateway (budgets and rate counters, key changes, breakers,
 * live latency, and whatever later capabilities need: learned quality, escalation rungs). One
 * interface, two implementations: in process (one replica, or tests) and Redis (several).
 *
 * Values are strings (callers encode JSON); keys are relative to the state's prefix. Messages go
 * to every *other* replica subscribed to the channel: a replica never receives its own.
 * Nothing here throws to a request for a backend that is down: reads answer undefined, writes
 * and publications are dropped, and `up` (with `onAvailability`) says so.
 */
export interface SharedState {
  readonly kind: 'memory' | 'redis';
  /** This replica's id (`SWITCHYARD_REPLICA_ID`, default `hostname:pid`): ledger rows and messages carry it. */
  readonly replicaId: string;
  /** True while the shared backend answers (always for memory). */
  readonly up: boolean;
  /** Called on every change of `up`; returns the unsubscribe function. */
  onAvailability(listener: (up: boolean) => void): () => void;
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlMs` (absent = no expiry). */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Adds `by` to an integer counter and returns the new value (undefined when the backend is down). */
  increment(key: string, by: number, ttlMs?: number): Promise<number | undefined>;
  publish(channel: string, message: string): Promise<void>;
  /** Messages of other replicas on `channel`; returns the unsubscribe function. */
  subscribe(channel: string, listener: (message: string, from: string) => void): () => void;
  close(): Promise<void>;
}

/** The replica id: `SWITCHYARD_REPLICA_ID` when set, else `hostname:pid`. */
export function replicaIdFrom(
  environment: Record<string, string | undefined> = process.env,
): string {
  const configured = environment.SWITCHYARD_REPLICA_ID?.trim();
  return configured ? configured.slice(0, 128) : `${hostname()}:${process.pid}`;
}

/** A message on the wire: who sent it and what. */
export function encodeMessage(from: string, body: string): string {
  return JSON.stringify({ from, body });
}

export function decodeMessage(text: string): { from: string; body: string } | undefined {
  try {
    const value = JSON.parse(text) as { from?: unknown; body?: unknown };
    return typeof value.from === 'string' && typeof value.body === 'string'
      ? { from: value.from, body: value.body }
      : undefined;
  } catch {
    return undefined;
  }
}
