import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ConfigFile } from '../../src/config/schema.js';
import { startTestGateway, type TestGateway } from './test-gateway.js';

/** The shared services the replica tests run on; both are required under CI=true. */
export const REPLICA_REDIS_URL = process.env.REDIS_URL;
export const REPLICA_DATABASE_URL = process.env.DATABASE_URL;
export const replicaServicesMissing = !REPLICA_REDIS_URL || !REPLICA_DATABASE_URL;
if (replicaServicesMissing && process.env.CI === 'true')
  throw new Error(
    'REDIS_URL and DATABASE_URL are required under CI=true: the replica tests cannot run without them.',
  );

export const REPLICA_ADMIN_TOKEN = 'admin-token-0123456789abcdef';

export interface ReplicaSet {
  replicas: TestGateway[];
  /** The PostgreSQL URL of this set's own schema. */
  databaseUrl: string;
  /** The Redis key prefix of this set. */
  prefix: string;
  /** Starts one more replica of the same gateway (closed with the others). */
  add(): Promise<TestGateway>;
  close(): Promise<void>;
}

/**
 * `count` replicas of one gateway on the real Redis and PostgreSQL, with a schema and a key prefix
 * of their own (dropped and deleted on close), virtual keys required, an admin token, and
 * `replica-<n>` as replica ids. `overrides` merge over that config.
 */
export async function startReplicaSet(
  count: number,
  overrides: Partial<ConfigFile> = {},
  /** Another Redis than the shared one (a test that stops it runs its own). */
  redisUrl = REPLICA_REDIS_URL!,
): Promise<ReplicaSet> {
  const baseUrl = REPLICA_DATABASE_URL!;
  const schema = `sy_replicas_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const prefix = `switchyard-test:${randomUUID()}:`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const databaseUrl = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const replicas: TestGateway[] = [];
  const startOne = (index: number) =>
    startTestGateway(
      {
        auth: { require_keys: true },
        admin: { token_env: 'TEST_ADMIN_TOKEN' },
        ledger: { database_url_env: 'TEST_DATABASE_URL', flush_interval_ms: 20 },
        cache: { enabled: false },
        ...overrides,
        // No periodic reload (key changes must arrive over pub/sub); a loaded machine must not
        // push a replica into local enforcement (2 s per command).
        shared_state: {
          key_prefix: prefix,
          key_refresh_ms: 0,
          timeout_ms: 2000,
          ...overrides.shared_state,
        },
      },
      {
        TEST_ADMIN_TOKEN: REPLICA_ADMIN_TOKEN,
        TEST_DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        SWITCHYARD_REPLICA_ID: `replica-${index}`,
      },
    );
  for (let index = 0; index < count; index += 1) replicas.push(await startOne(index));
  return {
    replicas,
    databaseUrl,
    prefix,
    async add() {
      const replica = await startOne(replicas.length);
      replicas.push(replica);
      return replica;
    },
    async close() {
      await Promise.all(replicas.map((replica) => replica.close()));
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await cleanup.end();
      const { Redis } = await import('ioredis');
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null });
      redis.on('error', () => {});
      const keys = await redis.keys(`${prefix}*`).catch(() => [] as string[]);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

export async function adminCall(
  replica: TestGateway,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${replica.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${REPLICA_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** Polls `check` every 10 ms; resolves with the milliseconds it took, rejects after `timeoutMs`. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 3000,
): Promise<number> {
  const startedAt = performance.now();
  while (!(await check())) {
    if (performance.now() - startedAt > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - startedAt;
}
