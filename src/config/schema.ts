import { z } from 'zod';
import { registryConfigSchema } from '../registry/registry-config-schema.js';
import { routingExtrasSchema } from '../router/policies/routing-schema.js';
import { resilienceConfigSchema } from '../execution/resilience-config.js';
import { batchingConfigSchema, cacheConfigSchema } from '../cache/cache-config.js';
import { loggingConfigSchema } from '../telemetry/logging-config.js';
import { sharedStateConfigSchema } from '../state/shared-state-config.js';

/**
 * The config file schema (YAML or JSON). Field names are snake_case as written by operators;
 * `resolveConfig` turns the parsed file into the runtime `GatewayConfig`.
 */

const providerId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'provider ids are lowercase letters, digits, ".", "_" or "-" (max 64)',
  );

const headerMap = z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'invalid header name'), z.string());

const quirks = z
  .object({
    stream_usage: z.boolean(),
    max_completion_tokens: z.boolean(),
    no_multiple_choices: z.boolean(),
    completions: z.boolean(),
    no_seed: z.boolean(),
    cache_control: z.boolean(),
    top_k: z.boolean(),
    no_logprobs: z.boolean(),
    no_logit_bias: z.boolean(),
    service_tier: z.boolean(),
    verbosity: z.boolean(),
    prompt_cache_key: z.boolean(),
    thinking_param: z.boolean(),
    json_word_required: z.boolean(),
    structured_outputs: z.boolean(),
    anthropic_betas: z.array(z.string().regex(/^(\*|[A-Za-z0-9._-]+)$/, 'a beta name or *')),
  })
  .partial()
  .strict();

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** Fields every upstream provider entry may carry. */
const providerCommon = {
  /** Name of the environment variable holding the key (preferred: keeps secrets out of files). */
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional(),
  /** A literal key. Allowed, but prefer api_key_env. Always redacted when config is printed. */
  api_key: z.string().min(1).optional(),
  headers: headerMap.optional(),
  /** Header names whose values are secret (redacted whenever printed), beyond the built-in list (authorization, x-api-key, *key*, *token*, *secret*, *session*…). */
  secret_headers: z.array(z.string().regex(/^[A-Za-z0-9-]+$/, 'invalid header name')).optional(),
  quirks: quirks.optional(),
  /** Max pooled connections to this provider. */
  connections: z.number().int().min(1).max(4096).optional(),
};

const presetProvider = z
  .object({
    preset: z.string(),
    base_url: httpUrl.optional(),
    anthropic_version: z.string().optional(),
    ...providerCommon,
  })
  .strict();

const customProvider = z
  .object({
    type: z.enum(['openai-compatible', 'openai-responses', 'anthropic']),
    base_url: httpUrl,
    anthropic_version: z.string().optional(),
    ...providerCommon,
  })
  .strict();

/** A provider of the built-in simulator fleet (`switchyard sim`), by its fleet id. */
const simulatedProvider = z
  .object({
    type: z.literal('simulated'),
    /** Fleet provider id; defaults to the entry's own id. */
    fleet_provider: z.string().optional(),
    /** Where an external `switchyard sim` runs; absent = the embedded simulator. */
    base_url: httpUrl.optional(),
    /** `openai-responses`: call a fleet provider that serves the Responses API through it. */
    wire: z.literal('openai-responses').optional(),
    connections: z.number().int().min(1).max(4096).optional(),
  })
  .strict();

const provider = z.union([customProvider, simulatedProvider, presetProvider]);

const deployment = z
  .object({
    provider: providerId,
    /** The upstream's name for the model; defaults to the model's own name. */
    model: z.string().min(1).optional(),
    /** A self-hosted box: how many requests it serves at once and how long one may queue (docs/routing.md). */
    capacity: z
      .object({
        max_concurrency: z.number().int().min(1).max(100_000),
        max_queue_ms: z.number().int().min(0).max(600_000).default(0),
      })
      .strict()
      .optional(),
    /** What the box costs per hour, instead of token prices: its marginal cost per request is then zero. */
    hourly_usd: z.number().min(0).max(100_000).optional(),
  })
  .strict();

const model = z
  .object({
    /** `embedding` for a model served by /v1/embeddings; default: from the built-in catalog, else chat. */
    kind: z.enum(['chat', 'embedding']).optional(),
    deployments: z.array(deployment).min(1, 'a model needs at least one deployment'),
  })
  .strict();

const byteSize = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(
      /^\d+(\.\d+)?\s*(b|kb|mb|gb|kib|mib|gib)?$/i,
      'a size like 4mb, 512kb or a number of bytes',
    ),
]);

export const configFileSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(0).max(65535),
        /** Largest accepted request body. */
        body_limit: byteSize,
        /** Time allowed to receive a whole request (headers and body); past it: 408 and the connection closed. */
        request_timeout_ms: z.number().int().min(1000),
        /** Time allowed to receive the request line and headers (at most request_timeout_ms). */
        headers_timeout_ms: z.number().int().min(100),
        /** Open client connections served at once; more get 503 `overloaded` with Retry-After. */
        max_connections: z.number().int().min(1).max(1_000_000),
        /** Request body bytes held in memory at once across all requests; past it: 503 `overloaded`. */
        max_buffered_body: byteSize,
        /** Deepest accepted JSON nesting of a request body (the body itself is level 1). */
        max_json_depth: z.number().int().min(8).max(512),
        /** On SIGTERM/SIGINT, how long in-flight requests and streams may take to finish before connections are closed. */
        shutdown_grace_ms: z.number().int().min(0).max(600_000),
        /** Older switch for the per-request log line; `logging.requests` wins when both are given. */
        access_log: z.boolean(),
      })
      .partial()
      .strict()
      .optional(),
    auth: z
      .object({
        /** Names of environment variables, each holding one accepted client API key. */
        api_keys_env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).optional(),
        /** Literal client API keys (prefer api_keys_env). */
        api_keys: z
          .array(z.string().min(8, 'client API keys must be at least 8 characters'))
          .optional(),
        /** Allow serving without keys on a non-loopback address. */
        allow_open: z.boolean().optional(),
        /** Refuse requests without a valid key (virtual or static), even on loopback. */
        require_keys: z.boolean().optional(),
        /** A keyed request without max_tokens reserves budget for the deployment's max output, capped at this many tokens (default 32768). */
        reserve_output_tokens: z.number().int().min(1).max(10_000_000).optional(),
      })
      .strict()
      .optional(),
    admin: z
      .object({
        /** Environment variable holding the admin token for /admin (keys). Unset = admin API off. */
        token_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      })
      .strict()
      .optional(),
    /** Log format, level, per-request lines and body logging (docs/observability.md). */
    logging: loggingConfigSchema.optional(),
    /** Where the SQLite ledger and other local state live (env SWITCHYARD_DATA_DIR; default ./data). */
    data_dir: z.string().min(1).optional(),
    ledger: z
      .object({
        /** Record every request in the usage ledger (default true). */
        enabled: z.boolean(),
        /** Name of the environment variable holding a postgres:// URL (default DATABASE_URL); unset = SQLite in data_dir. */
        database_url_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
        /** Write a batch when this many entries are queued. */
        batch_size: z.number().int().min(1).max(100_000),
        /**
         * Write whatever is queued at most this long after the first entry (ms, default 250): with
         * `durability: batch`, what a SIGKILL can lose is at most this long's answered requests.
         */
        flush_ms: z.number().int().min(1).max(60_000),
        /** The older name of `flush_ms`. */
        flush_interval_ms: z.number().int().min(1).max(60_000),
        /**
         * `batch` (default): entries wait in memory for their batch. `journal`: each answered
         * request is appended to a local group-committed journal before its response ends and
         * replayed at start, so a SIGKILL loses no answered request (docs/ledger.md).
         */
        durability: z.enum(['batch', 'journal']),
      })
      .partial()
      .strict()
      .refine((ledger) => ledger.flush_ms === undefined || ledger.flush_interval_ms === undefined, {
        message: 'set flush_ms or its older name flush_interval_ms, not both',
      })
      .optional(),
    simulator: z
      .object({
        /** Start the built-in simulator fleet inside the gateway process. */
        enabled: z.boolean(),
        /** Multiplies simulated latencies; 0 answers instantly. */
        time_scale: z.number().min(0).max(100),
        /** Port of the embedded simulator; 0 picks a free one. */
        port: z.number().int().min(0).max(65535),
      })
      .partial()
      .strict()
      .optional(),
    providers: z.record(providerId, provider).optional(),
    models: z.record(z.string().min(1), model).optional(),
    /** Model catalog overrides and additions: prices, limits, capabilities, priors (docs/registry.md). */
    catalog: registryConfigSchema.optional(),
    /** Retries, breakers, timeouts, hedging, structured-output checks (docs/resilience.md). */
    resilience: resilienceConfigSchema.optional(),
    /** Exact response cache and single-flight (docs/cache.md). */
    cache: cacheConfigSchema.optional(),
    /** Micro-batching of small /v1/completions per deployment (docs/cache.md). */
    batching: batchingConfigSchema.optional(),
    /** State shared by replicas through Redis: budgets, limits, key changes (docs/operations.md). */
    shared_state: sharedStateConfigSchema.optional(),
    /** Stored Responses API responses, in the ledger's database (docs/compatibility.md#stored-responses). */
    responses: z
      .object({
        /** Store responses that ask for it (`store`, default true); needs the ledger. Default true. */
        store: z.boolean(),
        /** How long a stored response lives (default 30 days). */
        ttl_seconds: z
          .number()
          .int()
          .min(1)
          .max(366 * 86_400),
        /** A response whose stored JSON (with its conversation items) is larger is not stored (default 4mb). */
        max_bytes: byteSize,
        /** At most this many stored responses; the oldest go first (default 100000). */
        max_entries: z.number().int().min(1).max(100_000_000),
      })
      .partial()
      .strict()
      .optional(),
    routing: z
      .object({
        /** The fallback model; when set and `policies` is absent, `auto` means this model. */
        default_model: z.string().min(1),
        /** Extra names for models: alias → model. */
        aliases: z.record(z.string().min(1), z.string().min(1)),
        /** Policies, quality overrides and latency-stat settings (docs/routing.md). */
        ...routingExtrasSchema,
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;
export type ProviderEntry = z.infer<typeof provider>;
