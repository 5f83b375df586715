import { resolve as resolvePath } from 'node:path';
import { PROVIDER_PRESETS, resolveQuirks } from '../providers/presets.js';
import { DEFAULT_FLEET } from '../sim/default-fleet.js';
import type { SimFleet, SimProviderSpec } from '../sim/sim-types.js';
import type { ProviderQuirks, ProviderSettings } from '../core/provider.js';
import { checkCatalogCoverage } from '../registry/match-config-provider.js';
import { buildModelRegistry } from '../registry/model-registry.js';
import { resolveRouting } from './resolve-routing.js';
import {
  compileAliasPattern,
  isAliasPattern,
  orderAliasPatterns,
  type AliasPattern,
} from '../router/model-aliases.js';
import { ConfigError } from '../core/config-error.js';
import { splitEmbeddingModels } from './resolve-embedding-models.js';
import { resolveResilience } from '../execution/resilience-config.js';
import { resolveBatchingSettings, resolveCacheSettings } from '../cache/cache-config.js';
import { replicaIdFrom } from '../state/shared-state.js';
import { resolveSharedStateSettings } from '../state/shared-state-config.js';
import { DEFAULTS } from './gateway-config.js';
import { resolveLoggingSettings } from '../telemetry/logging-config.js';
import type { GatewayConfig, ResolvedProvider } from './gateway-config.js';
import type { ModelEntry } from '../core/deployment.js';
import type { ConfigFile, ProviderEntry } from './schema.js';

type Environment = Record<string, string | undefined>;

/**
 * Turns a schema-valid config file into the runtime config: applies presets and defaults, reads
 * keys from the environment, and checks cross-references (every deployment names a provider,
 * every alias a model). All problems are reported together.
 */
export function resolveConfig(
  file: ConfigFile,
  source: string,
  environment: Environment,
  fleet: SimFleet = DEFAULT_FLEET,
): GatewayConfig {
  const problems: string[] = [];
  const providers = new Map<string, ResolvedProvider>();
  for (const [id, entry] of Object.entries(file.providers ?? {})) {
    const resolved = resolveProvider(id, entry, environment, fleet, problems);
    if (resolved) providers.set(id, resolved);
  }

  const models = new Map<string, ModelEntry>();
  for (const [name, entry] of Object.entries(file.models ?? {})) {
    const deployments = entry.deployments.map((deployment, index) => {
      if (!file.providers?.[deployment.provider]) {
        problems.push(
          `models.${name}.deployments[${index}].provider: no provider named "${deployment.provider}" (known: ${Object.keys(file.providers ?? {}).join(', ') || 'none'})`,
        );
      }
      if (deployment.hourly_usd !== undefined && deployment.capacity === undefined)
        problems.push(
          `models.${name}.deployments[${index}].hourly_usd: an hourly cost needs a capacity (capacity.max_concurrency): the router prefers the box only while it has room`,
        );
      return {
        provider: deployment.provider,
        upstreamModel: deployment.model ?? name,
        ...(deployment.capacity
          ? {
              capacity: {
                maxConcurrency: deployment.capacity.max_concurrency,
                maxQueueMs: deployment.capacity.max_queue_ms,
              },
            }
          : {}),
        ...(deployment.hourly_usd === undefined ? {} : { hourlyUsd: deployment.hourly_usd }),
      };
    });
    models.set(name, { name, deployments });
  }

  const embedding = splitEmbeddingModels(file, models, providers, problems);
  const firstModel = models.keys().next().value;
  const defaultModel = file.routing?.default_model ?? firstModel ?? '';
  if (models.size === 0) problems.push('models: at least one model is required');
  else if (!models.has(defaultModel))
    problems.push(`routing.default_model: no model named "${defaultModel}"`);

  const routing = resolveRouting(file.routing, models, problems);
  const { aliases, aliasPatterns } = resolveAliases(
    file.routing?.aliases ?? {},
    defaultModel,
    models,
    embedding.models,
    routing.policies,
    problems,
  );

  const apiKeys = [...(file.auth?.api_keys ?? [])];
  for (const name of file.auth?.api_keys_env ?? []) {
    const value = environment[name];
    if (!value) problems.push(`auth.api_keys_env: environment variable ${name} is not set`);
    else apiKeys.push(value);
  }

  let adminToken: string | undefined;
  if (file.admin?.token_env !== undefined) {
    adminToken = environment[file.admin.token_env] || undefined;
    if (adminToken === undefined)
      problems.push(`admin.token_env: environment variable ${file.admin.token_env} is not set`);
    else if (adminToken.length < 16)
      problems.push(
        `admin.token_env: the admin token in ${file.admin.token_env} must be at least 16 characters`,
      );
  }

  const resilience = resolveResilience(
    file.resilience,
    new Set(Object.keys(file.providers ?? {})),
    problems,
  );
  const cache = resolveCacheSettings(file.cache, environment, problems, parseByteSize);
  const deploymentKeys = new Set(
    [...models.values()].flatMap((model) =>
      model.deployments.map((deployment) => `${deployment.provider}/${model.name}`),
    ),
  );
  const batching = resolveBatchingSettings(file.batching, deploymentKeys, problems);
  const sharedState = resolveSharedStateSettings(
    file.shared_state,
    environment,
    replicaIdFrom(environment),
    problems,
  );

  const requestTimeoutMs = file.server?.request_timeout_ms ?? DEFAULTS.requestTimeoutMs;
  if (
    file.server?.max_buffered_body !== undefined &&
    file.server.body_limit !== undefined &&
    parseByteSize(file.server.max_buffered_body) < parseByteSize(file.server.body_limit)
  ) {
    problems.push(
      'server.max_buffered_body: must be at least server.body_limit (one largest body must fit)',
    );
  }

  if (problems.length > 0) throw new ConfigError(source, problems);

  const usesEmbedded = [...providers.values()].some((provider) => provider.embeddedSimulator);
  const registry = buildModelRegistry(file.catalog, { source });
  const coverage = checkCatalogCoverage(registry, {
    models: new Map([...models, ...embedding.models]),
    providers,
  });
  for (const priced of coverage.deployments) {
    const deployment = (
      models.get(priced.model) ?? embedding.models.get(priced.model)
    )?.deployments.find(
      (candidate) =>
        candidate.provider === priced.provider && candidate.upstreamModel === priced.upstreamModel,
    );
    if (deployment?.hourlyUsd !== undefined) {
      // Paid by the hour, busy or idle: a request on it costs nothing more (its hourly cost is in docs/breakeven.md's arithmetic).
      deployment.price = {
        inputPerMillion: 0,
        cachedInputPerMillion: 0,
        outputPerMillion: 0,
        source: `self-hosted: hourly_usd ${deployment.hourlyUsd} in config (marginal cost per token 0)`,
      };
      if (priced.catalog?.maxOutputTokens !== undefined)
        deployment.maxOutputTokens = priced.catalog.maxOutputTokens;
    } else if (deployment && priced.catalog) {
      deployment.price = priced.catalog.price;
      if (priced.catalog.maxOutputTokens !== undefined)
        deployment.maxOutputTokens = priced.catalog.maxOutputTokens;
    }
  }
  return {
    source,
    server: {
      host: file.server?.host ?? DEFAULTS.host,
      port: file.server?.port ?? DEFAULTS.port,
      bodyLimitBytes: parseByteSize(file.server?.body_limit ?? DEFAULTS.bodyLimitBytes),
      requestTimeoutMs,
      headersTimeoutMs: Math.min(
        file.server?.headers_timeout_ms ?? DEFAULTS.headersTimeoutMs,
        requestTimeoutMs,
      ),
      maxConnections: file.server?.max_connections ?? DEFAULTS.maxConnections,
      maxBufferedBodyBytes: parseByteSize(
        file.server?.max_buffered_body ?? DEFAULTS.maxBufferedBodyBytes,
      ),
      maxJsonDepth: file.server?.max_json_depth ?? DEFAULTS.maxJsonDepth,
      shutdownGraceMs: file.server?.shutdown_grace_ms ?? DEFAULTS.shutdownGraceMs,
      accessLog: file.server?.access_log ?? false,
    },
    logging: resolveLoggingSettings(file.logging, file.server?.access_log),
    auth: {
      apiKeys,
      allowOpen: file.auth?.allow_open ?? false,
      requireKeys: (file.auth?.require_keys ?? false) || apiKeys.length > 0,
      reserveOutputTokens: file.auth?.reserve_output_tokens ?? DEFAULTS.reserveOutputTokens,
    },
    admin: adminToken === undefined ? {} : { token: adminToken },
    simulator: {
      enabled: file.simulator?.enabled ?? usesEmbedded,
      timeScale: file.simulator?.time_scale ?? 1,
      port: file.simulator?.port ?? 0,
    },
    providers,
    models,
    aliases,
    embeddingModels: embedding.models,
    embeddingAliases: embedding.aliases,
    aliasPatterns,
    defaultModel,
    routing,
    dataDir: resolvePath(environment.SWITCHYARD_DATA_DIR || file.data_dir || 'data'),
    ledger: {
      enabled: file.ledger?.enabled ?? true,
      durability: file.ledger?.durability ?? 'batch',
      ...definedOnly({
        databaseUrl: environment[file.ledger?.database_url_env ?? 'DATABASE_URL'] || undefined,
        batchSize: file.ledger?.batch_size,
        flushIntervalMs: file.ledger?.flush_ms ?? file.ledger?.flush_interval_ms,
      }),
    },
    cache,
    responses: {
      store: file.responses?.store ?? true,
      ttlMs: (file.responses?.ttl_seconds ?? 30 * 86_400) * 1000,
      maxBytes: parseByteSize(file.responses?.max_bytes ?? 4 * 1024 * 1024),
      maxEntries: file.responses?.max_entries ?? 100_000,
    },
    batching,
    sharedState,
    registry,
    resilience,
    catalogWarnings: coverage.warnings,
  };
}

function resolveProvider(
  id: string,
  entry: ProviderEntry,
  environment: Environment,
  fleet: SimFleet,
  problems: string[],
): ResolvedProvider | undefined {
  const at = `providers.${id}`;
  if ('type' in entry && entry.type === 'simulated') {
    const fleetId = entry.fleet_provider ?? id;
    const spec = fleet.providers.find((candidate) => candidate.id === fleetId);
    if (!spec) {
      problems.push(
        `${at}.fleet_provider: the simulator has no provider "${fleetId}" (known: ${fleet.providers.map((p) => p.id).join(', ')})`,
      );
      return undefined;
    }
    if (entry.wire === 'openai-responses' && spec.responsesApi !== true) {
      problems.push(
        `${at}.wire: the simulated provider "${fleetId}" does not serve the Responses API (those that do: ${
          fleet.providers
            .filter((candidate) => candidate.responsesApi === true)
            .map((candidate) => candidate.id)
            .join(', ') || 'none'
        })`,
      );
      return undefined;
    }
    return simulatedProvider(id, spec, entry.base_url, entry.connections, entry.wire);
  }

  let wire: ProviderSettings['wire'];
  let baseUrl: string;
  let quirks: Partial<ProviderQuirks> = {};
  let headers: Record<string, string> = {};
  let keyEnv: string | undefined;
  let keyRequired = true;
  if ('preset' in entry) {
    const preset = PROVIDER_PRESETS[entry.preset];
    if (!preset) {
      problems.push(
        `${at}.preset: unknown preset "${entry.preset}" (known: ${Object.keys(PROVIDER_PRESETS).join(', ')})`,
      );
      return undefined;
    }
    wire = preset.wire;
    baseUrl = entry.base_url ?? preset.baseUrl;
    quirks = { ...preset.quirks };
    headers = { ...preset.headers };
    keyEnv = preset.apiKeyEnv;
    keyRequired = preset.apiKeyRequired;
  } else {
    wire = entry.type;
    baseUrl = entry.base_url;
    keyRequired = false;
  }
  if (entry.api_key_env) {
    keyEnv = entry.api_key_env;
    keyRequired = true;
  }
  let apiKey = entry.api_key;
  if (apiKey === undefined && keyEnv) {
    apiKey = environment[keyEnv] || undefined;
    if (apiKey === undefined && keyRequired) {
      problems.push(`${at}: environment variable ${keyEnv} (the provider's API key) is not set`);
    }
  }
  const quirkOverrides = entry.quirks ?? {};
  const settings = {
    id,
    wire,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { ...headers, ...entry.headers },
    quirks: resolveQuirks({
      ...quirks,
      ...definedOnly({
        streamUsage: quirkOverrides.stream_usage,
        maxCompletionTokens: quirkOverrides.max_completion_tokens,
        noMultipleChoices: quirkOverrides.no_multiple_choices,
        completions: quirkOverrides.completions,
        noSeed: quirkOverrides.no_seed,
        cacheControl: quirkOverrides.cache_control,
        topK: quirkOverrides.top_k,
        noLogprobs: quirkOverrides.no_logprobs,
        noLogitBias: quirkOverrides.no_logit_bias,
        serviceTier: quirkOverrides.service_tier,
        verbosity: quirkOverrides.verbosity,
        promptCacheKey: quirkOverrides.prompt_cache_key,
        thinkingParam: quirkOverrides.thinking_param,
        jsonWordRequired: quirkOverrides.json_word_required,
        structuredOutputs: quirkOverrides.structured_outputs,
        anthropicBetas: quirkOverrides.anthropic_betas,
      }),
    }),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(entry.anthropic_version === undefined ? {} : { anthropicVersion: entry.anthropic_version }),
  };
  return {
    settings,
    simulated: false,
    embeddedSimulator: false,
    connections: entry.connections ?? DEFAULTS.connections,
    ...(entry.secret_headers
      ? { secretHeaders: new Set(entry.secret_headers.map((name) => name.toLowerCase())) }
      : {}),
  };
}

/** A provider entry served by the simulator fleet; without a base URL it is the embedded one. */
export function simulatedProvider(
  id: string,
  spec: SimProviderSpec,
  baseUrl?: string,
  connections?: number,
  wire?: 'openai-responses',
): ResolvedProvider {
  return {
    settings: {
      id,
      wire: wire ?? spec.wire,
      baseUrl: baseUrl?.replace(/\/+$/, '') ?? '',
      headers: {},
      quirks: resolveQuirks({
        completions:
          spec.wire === 'openai-compatible' &&
          spec.models.some((model) => model.completions === true),
        noMultipleChoices: spec.wire === 'anthropic',
        streamUsage: spec.wire === 'openai-compatible',
        ...simulatedQuirks(spec),
      }),
      ...(spec.apiKey === undefined ? {} : { apiKey: spec.apiKey }),
    },
    simulated: true,
    fleetProvider: spec.id,
    embeddedSimulator: baseUrl === undefined,
    connections: connections ?? DEFAULTS.connections,
  };
}

/**
 * The quirks of a simulated provider, as the simulator models them: every OpenAI-compatible one
 * applies OpenAI's "json" word rule, DeepSeek's flavor takes the thinking parameter, OpenAI's
 * `service_tier`; the Anthropic one takes structured outputs and every beta name.
 */
function simulatedQuirks(spec: SimProviderSpec): Partial<ProviderQuirks> {
  if (spec.wire === 'anthropic') return { structuredOutputs: true, anthropicBetas: ['*'] };
  // The simulated OpenAI takes what OpenAI's chat takes; the simulated DeepSeek what DeepSeek takes.
  const chat = spec.wire === 'openai-compatible';
  if (spec.flavor === 'deepseek') return { thinkingParam: chat, jsonWordRequired: true };
  if (spec.flavor === 'openai')
    return { jsonWordRequired: true, serviceTier: true, verbosity: chat, promptCacheKey: chat };
  return { jsonWordRequired: true };
}

/** `value` without its undefined entries, for spreading optional fields. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}

/** Sizes are binary, as in most servers' configs: `4mb` = 4 MiB. */
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

export function parseByteSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = (match?.[2] || 'b').toLowerCase();
  return Math.floor(Number(match?.[1] ?? 0) * (UNITS[unit] ?? 1));
}

/**
 * `routing.aliases`: exact names and glob patterns (`claude-*: auto`), each pointing at a model or
 * a routing policy. `auto` means the default model when no policy of that name exists.
 */
function resolveAliases(
  file: Record<string, string>,
  defaultModel: string,
  models: Map<string, ModelEntry>,
  embeddingModels: ReadonlyMap<string, unknown>,
  policies: ReadonlyMap<string, unknown>,
  problems: string[],
): { aliases: Map<string, string>; aliasPatterns: AliasPattern[] } {
  const aliases = new Map<string, string>([['auto', defaultModel]]);
  const patterns: AliasPattern[] = [];
  const known = (): string => [...models.keys(), ...policies.keys()].join(', ');
  for (const [alias, target] of Object.entries(file)) {
    const at = `routing.aliases.${alias}`;
    // Aliases of embedding models are the embeddings endpoint's (resolve-embedding-models).
    if (embeddingModels.has(target)) {
      if (models.has(alias) || embeddingModels.has(alias))
        problems.push(`${at}: "${alias}" is already a model name`);
      continue;
    }
    if (target !== 'auto' && !models.has(target) && !policies.has(target))
      problems.push(`${at}: no model or routing policy named "${target}" (known: ${known()})`);
    if (isAliasPattern(alias)) {
      const compiled = compileAliasPattern(alias, target);
      if (typeof compiled === 'string') problems.push(`${at}: ${compiled}`);
      else patterns.push(compiled);
      continue;
    }
    if (models.has(alias) || embeddingModels.has(alias))
      problems.push(`${at}: "${alias}" is already a model name`);
    aliases.set(alias, target);
  }
  return { aliases, aliasPatterns: orderAliasPatterns(patterns) };
}
