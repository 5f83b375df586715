import type { AliasPattern } from '../router/model-aliases.js';
import type { ModelRegistry } from '../registry/model-registry.js';
import type { ConfiguredProvider, ModelEntry } from '../core/deployment.js';
export type { Deployment, ModelEntry } from '../core/deployment.js';
import type { RoutingSettings } from '../router/policies/routing-settings.js';
import type { ResilienceConfig } from '../execution/resilience-config.js';
import type { BatchingSettings, CacheSettings } from '../cache/cache-config.js';
import type { LoggingSettings } from '../telemetry/logging-config.js';
import type { SharedStateSettings } from '../state/shared-state-config.js';

export interface ResolvedProvider extends ConfiguredProvider {
  /** Base URL still to be filled in with the embedded simulator's address. */
  embeddedSimulator: boolean;
  connections: number;
  /** Lower-cased header names marked secret in config (`secret_headers`), redacted when printed. */
  secretHeaders?: ReadonlySet<string>;
}

/** The validated, cross-checked runtime configuration. */
export interface GatewayConfig {
  /** Where it came from: a file path, or 'embedded defaults'. */
  source: string;
  server: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    requestTimeoutMs: number;
    headersTimeoutMs: number;
    maxConnections: number;
    maxBufferedBodyBytes: number;
    maxJsonDepth: number;
    shutdownGraceMs: number;
    accessLog: boolean;
  };
  /** Log format and level, per-request lines, body logging (`logging:`). */
  logging: LoggingSettings;
  auth: {
    apiKeys: string[];
    allowOpen: boolean;
    /** Refuse requests without a valid key. */
    requireKeys: boolean;
    /** Output tokens a keyed request without max_tokens reserves budget for, at most (`auth.reserve_output_tokens`). */
    reserveOutputTokens: number;
  };
  admin: {
    /** The admin token; undefined = admin API disabled. Never printed. */
    token?: string;
  };
  simulator: {
    enabled: boolean;
    timeScale: number;
    port: number;
  };
  providers: Map<string, ResolvedProvider>;
  models: Map<string, ModelEntry>;
  /** Exact alias → model or routing policy name; always contains `auto`. */
  aliases: Map<string, string>;
  /** Embedding models (`/v1/embeddings` only; never in `models`, never routed to). */
  embeddingModels: Map<string, ModelEntry>;
  /** alias → embedding model name. */
  embeddingAliases: Map<string, string>;
  /** Glob aliases (`claude-*: auto`), the winning one first; exact names beat every pattern. */
  aliasPatterns: AliasPattern[];
  defaultModel: string;
  /** Routing policies (`auto`, `auto:cheap`…), quality overrides, latency-stat settings. */
  routing: RoutingSettings;
  /** Local state directory (SQLite ledger file). */
  dataDir: string;
  ledger: {
    enabled: boolean;
    /** postgres:// URL; undefined = SQLite in dataDir. Never printed. */
    databaseUrl?: string;
    batchSize?: number;
    /** `ledger.flush_ms`: the longest an entry waits in memory for its batch. */
    flushIntervalMs?: number;
    /** `batch`: entries wait in memory; `journal`: answered requests are journaled before their response ends. */
    durability: 'batch' | 'journal';
  };
  /** Exact response cache and single-flight (`cache:`). */
  cache: CacheSettings;
  /** Stored Responses API responses (`responses:`); stored only when the ledger is enabled too. */
  responses: {
    store: boolean;
    ttlMs: number;
    maxBytes: number;
    maxEntries: number;
  };
  /** Micro-batching per deployment (`batching:`); empty = off. */
  batching: BatchingSettings;
  /** Replica id and the Redis shared by replicas (`shared_state:`, or REDIS_URL alone). */
  sharedState: SharedStateSettings;
  /** The model catalog (built-ins + `catalog:` overrides). */
  registry: ModelRegistry;
  /** Retries, breakers, timeouts, hedging, structured output (the `resilience:` section). */
  resilience: ResilienceConfig;
  /** Configured deployments the catalog cannot price (their cost is reported as unknown). */
  catalogWarnings: string[];
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 4000,
  bodyLimitBytes: 4 * 1024 * 1024,
  requestTimeoutMs: 60_000,
  headersTimeoutMs: 20_000,
  maxConnections: 4096,
  maxBufferedBodyBytes: 256 * 1024 * 1024,
  maxJsonDepth: 64,
  shutdownGraceMs: 10_000,
  reserveOutputTokens: 32_768,
  connections: 128,
} as const;
