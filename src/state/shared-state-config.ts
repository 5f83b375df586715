import { z } from 'zod';

/** The `shared_state:` config section (schema and resolution); src/config plugs it in. */
export const sharedStateConfigSchema = z
  .object({
    /** Default: on when the Redis URL variable is set. `false` keeps every replica on its own state. */
    enabled: z.boolean(),
    /** Environment variable holding the redis:// URL (default REDIS_URL). */
    url_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
    /** Prepended to every Redis key and channel (default `switchyard:`): one per gateway sharing a Redis. */
    key_prefix: z.string().min(1).max(200),
    /** Longest wait for one Redis command (default 200 ms); past it the replica enforces alone. */
    timeout_ms: z.number().int().min(1).max(10_000),
    /** Redis down: `fail_open` (default) enforces budgets per replica; `fail_closed` refuses budgeted keys with 503. */
    budgets_when_down: z.enum(['fail_open', 'fail_closed']),
    /** Safety-net reload of the key store (ms; default 5000; 0 = never). Key changes propagate at once over pub/sub. */
    key_refresh_ms: z.number().int().min(0).max(3_600_000),
    /** How often each replica sends its latency summaries to the others (ms; default 1000). */
    latency_interval_ms: z.number().int().min(50).max(60_000),
    /** Longest wait for the replica leading an identical request before going upstream (ms; default 5000). */
    flight_wait_ms: z.number().int().min(100).max(600_000),
  })
  .partial()
  .strict();

export type SharedStateConfigFile = z.infer<typeof sharedStateConfigSchema>;

export interface SharedStateSettings {
  /** This replica's id (SWITCHYARD_REPLICA_ID, default hostname:pid). */
  replicaId: string;
  /** Periodic key reload (ms; 0 = never). */
  keyRefreshMs: number;
  /** Latency summaries exchange interval (ms). */
  latencyIntervalMs: number;
  /** Longest silence from the replica leading an identical request before going upstream (ms). */
  flightWaitMs: number;
  /** Absent: state is per process. Never printed (the URL may carry a password). */
  redis?: { url: string; keyPrefix: string; timeoutMs: number; budgetsWhenDown: 'open' | 'closed' };
}

export function resolveSharedStateSettings(
  file: SharedStateConfigFile | undefined,
  environment: Record<string, string | undefined>,
  replicaId: string,
  problems: string[],
): SharedStateSettings {
  const urlEnv = file?.url_env ?? 'REDIS_URL';
  const url = environment[urlEnv] || '';
  const enabled = file?.enabled ?? url !== '';
  const keyRefreshMs = file?.key_refresh_ms ?? 5000;
  const latencyIntervalMs = file?.latency_interval_ms ?? 1000;
  const flightWaitMs = file?.flight_wait_ms ?? 5000;
  if (!enabled) return { replicaId, keyRefreshMs, latencyIntervalMs, flightWaitMs };
  if (url === '') {
    problems.push(
      `shared_state.url_env: environment variable ${urlEnv} (the Redis URL) is not set`,
    );
    return { replicaId, keyRefreshMs, latencyIntervalMs, flightWaitMs };
  }
  return {
    replicaId,
    keyRefreshMs,
    latencyIntervalMs,
    flightWaitMs,
    redis: {
      url,
      keyPrefix: file?.key_prefix ?? 'switchyard:',
      timeoutMs: file?.timeout_ms ?? 200,
      budgetsWhenDown: file?.budgets_when_down === 'fail_closed' ? 'closed' : 'open',
    },
  };
}
