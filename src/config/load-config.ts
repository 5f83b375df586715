import { redactHeaders, redactUrl } from '../core/redact.js';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_FLEET } from '../sim/default-fleet.js';
import type { SimFleet } from '../sim/sim-types.js';
import { ConfigError } from '../core/config-error.js';
import type { GatewayConfig } from './gateway-config.js';
import { resolveConfig } from './resolve-config.js';
import { AGENT_MODEL_ALIASES } from './agent-model-aliases.js';
import { configFileSchema } from './schema.js';
import { describePolicy } from '../router/policies/routing-settings.js';
import type { ConfigFile } from './schema.js';

export const EMBEDDED_SOURCE = 'embedded defaults (simulated providers)';
export const DEFAULT_CONFIG_FILES = ['switchyard.yaml', 'switchyard.yml', 'switchyard.json'];

export interface LoadConfigOptions {
  /** `--config` flag value. */
  path?: string;
  /** Environment for SWITCHYARD_CONFIG, PORT, HOST and key references. */
  environment?: Record<string, string | undefined>;
  /** Directory searched for `switchyard.yaml`. */
  cwd?: string;
  /** `--port` / `--host` flags; they beat env vars, which beat the file. */
  overrides?: { port?: number; host?: string };
}

/**
 * Finds and loads the config: `--config`, else `SWITCHYARD_CONFIG`, else `./switchyard.yaml`,
 * else the embedded defaults (the simulator fleet). Throws ConfigError with every problem.
 */
export function loadConfig(options: LoadConfigOptions = {}): GatewayConfig {
  const environment = options.environment ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.path ?? (environment.SWITCHYARD_CONFIG || undefined);
  let file: ConfigFile;
  let source: string;
  if (explicit !== undefined) {
    source = resolve(cwd, explicit);
    if (!existsSync(source)) throw new ConfigError(source, ['the config file does not exist']);
    file = parseConfigText(readFileSync(source, 'utf8'), source);
  } else {
    const found = DEFAULT_CONFIG_FILES.map((name) => resolve(cwd, name)).find((candidate) =>
      existsSync(candidate),
    );
    if (found) {
      source = found;
      file = parseConfigText(readFileSync(found, 'utf8'), found);
    } else {
      source = EMBEDDED_SOURCE;
      file = embeddedConfigFile();
    }
  }
  const config = resolveConfig(file, source, environment);
  applyListenOverrides(config, environment, options.overrides ?? {});
  return config;
}

/** Parses YAML (a superset of JSON) and validates it against the schema. */
export function parseConfigText(text: string, source: string): ConfigFile {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(source, [`not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  const result = configFileSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      source,
      result.error.issues.map(
        (issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`,
      ),
    );
  }
  return result.data;
}

/**
 * The no-config setup: every simulator fleet provider and model, routed by the built-in policies
 * (`auto`, `auto:cheap`, `auto:fast`, `auto:best`; docs/routing.md). deepseek-chat is the fallback model.
 * The model names coding agents send by default (`claude-sonnet-*`, `gpt-5*`…) are routed by `auto`.
 */
export function embeddedConfigFile(fleet: SimFleet = DEFAULT_FLEET): ConfigFile {
  const providers: NonNullable<ConfigFile['providers']> = {};
  const models: NonNullable<ConfigFile['models']> = {};
  for (const provider of fleet.providers) {
    providers[provider.id] = { type: 'simulated' };
    for (const model of provider.models) {
      models[model.name] ??= { deployments: [] };
      models[model.name]!.deployments.push({ provider: provider.id, model: model.name });
    }
    for (const model of provider.embeddingModels ?? []) {
      models[model.name] ??= { kind: 'embedding', deployments: [] };
      models[model.name]!.deployments.push({ provider: provider.id, model: model.name });
    }
  }
  return {
    simulator: { enabled: true },
    providers,
    models,
    routing: { aliases: { ...AGENT_MODEL_ALIASES } },
  };
}

function applyListenOverrides(
  config: GatewayConfig,
  environment: Record<string, string | undefined>,
  overrides: { port?: number; host?: string },
): void {
  const envPort = environment.PORT;
  if (overrides.port !== undefined) config.server.port = overrides.port;
  else if (envPort) {
    const port = Number(envPort);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new ConfigError('PORT', [`PORT must be an integer 0-65535, got "${envPort}"`]);
    config.server.port = port;
  }
  const host = overrides.host ?? (environment.HOST || undefined);
  if (host !== undefined) config.server.host = host;
}

/** The config as JSON for `config check`, with every secret replaced by "***". */
export function redactedConfig(config: GatewayConfig): Record<string, unknown> {
  return {
    source: config.source,
    server: config.server,
    logging: config.logging,
    auth: {
      apiKeys: config.auth.apiKeys.map(() => '***'),
      allowOpen: config.auth.allowOpen,
      requireKeys: config.auth.requireKeys,
    },
    admin: {
      enabled: config.admin.token !== undefined,
      token: config.admin.token === undefined ? undefined : '***',
    },
    simulator: config.simulator,
    dataDir: config.dataDir,
    ledger: {
      ...config.ledger,
      databaseUrl:
        config.ledger.databaseUrl === undefined ? undefined : redactUrl(config.ledger.databaseUrl),
    },
    providers: Object.fromEntries(
      [...config.providers].map(([id, provider]) => [
        id,
        {
          ...provider.settings,
          baseUrl: redactUrl(provider.settings.baseUrl),
          apiKey: provider.settings.apiKey === undefined ? undefined : '***',
          headers: redactHeaders(provider.settings.headers, provider.secretHeaders),
          secretHeaders: provider.secretHeaders ? [...provider.secretHeaders] : undefined,
          simulated: provider.simulated,
        },
      ]),
    ),
    models: Object.fromEntries(
      [...config.models].map(([name, model]) => [name, model.deployments]),
    ),
    aliases: Object.fromEntries(config.aliases),
    embeddingModels: Object.fromEntries(
      [...config.embeddingModels].map(([name, model]) => [name, model.deployments]),
    ),
    embeddingAliases: Object.fromEntries(config.embeddingAliases),
    aliasPatterns: Object.fromEntries(
      config.aliasPatterns.map((pattern) => [pattern.pattern, pattern.target]),
    ),
    defaultModel: config.defaultModel,
    routing: {
      builtinPolicies: config.routing.builtinPolicies,
      policies: Object.fromEntries(
        [...config.routing.policies].map(([name, policy]) => [name, describePolicy(policy)]),
      ),
      quality: Object.fromEntries(config.routing.quality),
      latency: config.routing.latency,
    },
    cache: {
      ...config.cache,
      store:
        config.cache.store.type === 'redis'
          ? { ...config.cache.store, url: redactUrl(config.cache.store.url) }
          : config.cache.store,
      models: Object.fromEntries(config.cache.models),
      keys: Object.fromEntries(config.cache.keys),
    },
    batching: Object.fromEntries(config.batching.deployments),
    sharedState: {
      ...config.sharedState,
      ...(config.sharedState.redis
        ? {
            redis: {
              ...config.sharedState.redis,
              url: config.sharedState.redis.url.replace(/\/\/[^@/]*@/, '//***@'),
            },
          }
        : {}),
    },
  };
}
