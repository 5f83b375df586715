import { z } from 'zod';

/**
 * The `cache:` and `batching:` config sections (schema and resolution), kept next to the code
 * they configure; src/config/schema.ts and resolve-config.ts plug them in.
 */

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
const byteSize = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(
      /^\d+(\.\d+)?\s*(b|kb|mb|gb|kib|mib|gib)?$/i,
      'a size like 64mb, 512kb or a number of bytes',
    ),
]);
const ONE_WEEK_SECONDS = 7 * 24 * 3600;

/** When a request may be cached: always, or only when it asks for greedy decoding. */
const cacheWhen = z.enum(['always', 'temperature_zero']);

const cachePolicySchema = z
  .object({
    enabled: z.boolean(),
    ttl_seconds: z.number().int().min(1).max(ONE_WEEK_SECONDS),
    when: cacheWhen,
  })
  .partial()
  .strict();

const cacheStoreSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('memory'),
      max_entries: z.number().int().min(1).max(10_000_000).optional(),
      max_bytes: byteSize.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('redis'),
      /** Environment variable holding the redis:// URL (default REDIS_URL). */
      url_env: envName.optional(),
      key_prefix: z.string().max(200).optional(),
      /** Longest wait for Redis per command; past it the lookup is a miss. */
      timeout_ms: z.number().int().min(1).max(10_000).optional(),
    })
    .strict(),
]);

export const cacheConfigSchema = z
  .object({
    ...cachePolicySchema.shape,
    /** Upper bound for the `x-switchyard-cache-ttl` request header. */
    max_ttl_seconds: z.number().int().min(1).max(ONE_WEEK_SECONDS).optional(),
    /** `shared`: one entry serves every client; `key`: entries are private to each API key. */
    scope: z.enum(['shared', 'key']).optional(),
    /** Concurrent identical requests share one upstream call. */
    single_flight: z.boolean().optional(),
    store: cacheStoreSchema.optional(),
    /** Per model or alias asked for (`auto`, `deepseek-chat`…). */
    models: z.record(z.string().min(1), cachePolicySchema).optional(),
    /** Per API key id (virtual key `key_…`, static key `static-…`). */
    keys: z.record(z.string().min(1), cachePolicySchema).optional(),
  })
  .strict();

export const batchingConfigSchema = z
  .object({
    /** Per deployment, `provider/model` (the model's name in this config). */
    deployments: z.record(
      z.string().regex(/^[^/]+\/.+$/, 'deployments are named provider/model'),
      z
        .object({
          /** How long the first request of a batch waits for others. */
          window_ms: z.number().min(0).max(1000).optional(),
          /** Most prompts in one upstream call. */
          max_prompts: z.number().int().min(2).max(256).optional(),
        })
        .strict(),
    ),
  })
  .strict();

export type CacheConfigFile = z.infer<typeof cacheConfigSchema>;
export type BatchingConfigFile = z.infer<typeof batchingConfigSchema>;

export interface CachePolicy {
  enabled: boolean;
  ttlMs: number;
  when: 'always' | 'temperature_zero';
}

export type CacheStoreSettings =
  | { type: 'memory'; maxEntries: number; maxBytes: number }
  | { type: 'redis'; url: string; keyPrefix: string; timeoutMs: number };

export interface CacheSettings {
  /** The policy for requests no model or key override names. */
  policy: CachePolicy;
  maxTtlMs: number;
  scope: 'shared' | 'key';
  singleFlight: boolean;
  store: CacheStoreSettings;
  models: Map<string, Partial<CachePolicy>>;
  keys: Map<string, Partial<CachePolicy>>;
}

export interface BatchingSettings {
  /** deployment key (`provider/model`) → its batching window. */
  deployments: Map<string, { windowMs: number; maxPrompts: number }>;
}

export const CACHE_DEFAULTS = {
  ttlSeconds: 300,
  maxTtlSeconds: 24 * 3600,
  maxEntries: 10_000,
  maxBytes: 64 * 1024 * 1024,
  redisPrefix: 'switchyard:cache:',
  redisTimeoutMs: 50,
  batchWindowMs: 5,
  batchMaxPrompts: 16,
} as const;

function policyOverride(file: z.infer<typeof cachePolicySchema>): Partial<CachePolicy> {
  const policy: Partial<CachePolicy> = {};
  if (file.enabled !== undefined) policy.enabled = file.enabled;
  if (file.ttl_seconds !== undefined) policy.ttlMs = file.ttl_seconds * 1000;
  if (file.when !== undefined) policy.when = file.when;
  return policy;
}

export function resolveCacheSettings(
  file: CacheConfigFile | undefined,
  environment: Record<string, string | undefined>,
  problems: string[],
  parseByteSize: (value: number | string) => number,
): CacheSettings {
  const storeFile = file?.store ?? { type: 'memory' as const };
  let store: CacheStoreSettings;
  if (storeFile.type === 'redis') {
    const urlEnv = storeFile.url_env ?? 'REDIS_URL';
    const url = environment[urlEnv] || '';
    if (url === '')
      problems.push(
        `cache.store.url_env: environment variable ${urlEnv} (the Redis URL) is not set`,
      );
    store = {
      type: 'redis',
      url,
      keyPrefix: storeFile.key_prefix ?? CACHE_DEFAULTS.redisPrefix,
      timeoutMs: storeFile.timeout_ms ?? CACHE_DEFAULTS.redisTimeoutMs,
    };
  } else {
    store = {
      type: 'memory',
      maxEntries: storeFile.max_entries ?? CACHE_DEFAULTS.maxEntries,
      maxBytes: parseByteSize(storeFile.max_bytes ?? CACHE_DEFAULTS.maxBytes),
    };
  }
  return {
    policy: {
      enabled: file?.enabled ?? true,
      ttlMs: (file?.ttl_seconds ?? CACHE_DEFAULTS.ttlSeconds) * 1000,
      when: file?.when ?? 'always',
    },
    maxTtlMs: (file?.max_ttl_seconds ?? CACHE_DEFAULTS.maxTtlSeconds) * 1000,
    scope: file?.scope ?? 'shared',
    singleFlight: file?.single_flight ?? true,
    store,
    models: new Map(
      Object.entries(file?.models ?? {}).map(([name, policy]) => [name, policyOverride(policy)]),
    ),
    keys: new Map(
      Object.entries(file?.keys ?? {}).map(([id, policy]) => [id, policyOverride(policy)]),
    ),
  };
}

export function resolveBatchingSettings(
  file: BatchingConfigFile | undefined,
  deploymentKeys: Set<string>,
  problems: string[],
): BatchingSettings {
  const deployments = new Map<string, { windowMs: number; maxPrompts: number }>();
  for (const [key, entry] of Object.entries(file?.deployments ?? {})) {
    if (!deploymentKeys.has(key))
      problems.push(
        `batching.deployments.${key}: no deployment "${key}" (deployments are provider/model, e.g. ${[...deploymentKeys][0] ?? 'sim-qwen/qwen-coder'})`,
      );
    deployments.set(key, {
      windowMs: entry.window_ms ?? CACHE_DEFAULTS.batchWindowMs,
      maxPrompts: entry.max_prompts ?? CACHE_DEFAULTS.batchMaxPrompts,
    });
  }
  return { deployments };
}
