import type { GatewayConfig } from '../config/gateway-config.js';

/**
 * What a reload may change. Everything is re-read and re-applied (providers and their upstream
 * pools, models, routing, auth, admin token, server limits and timeouts, shutdown grace,
 * logging, resilience, cache, batching, embeddings, catalog), except the settings below, which
 * belong to the listening socket or to a store opened once: a reload that changes one of them is
 * refused by name and the running config stays.
 */
const NOT_RELOADABLE: Array<[string, (config: GatewayConfig) => unknown]> = [
  ['server.host', (config) => config.server.host],
  ['server.port', (config) => config.server.port],
  ['data_dir', (config) => config.dataDir],
  ['ledger.enabled', (config) => config.ledger.enabled],
  ['ledger.database_url_env', (config) => config.ledger.databaseUrl],
  ['ledger.batch_size', (config) => config.ledger.batchSize],
  ['ledger.flush_interval_ms', (config) => config.ledger.flushIntervalMs],
  ['simulator.enabled', (config) => config.simulator.enabled],
  ['simulator.port', (config) => config.simulator.port],
  ['simulator.time_scale', (config) => config.simulator.timeScale],
  ['responses', (config) => config.responses],
  ['routing.cache_affinity', (config) => config.routing.cacheAffinity],
  ['shared_state', (config) => config.sharedState],
];

/** The names of the settings a reload cannot apply that differ between the two configs. */
export function nonReloadableChanges(running: GatewayConfig, next: GatewayConfig): string[] {
  return NOT_RELOADABLE.filter(([, read]) => !sameValue(read(running), read(next))).map(
    ([name]) => name,
  );
}

/** Top-level sections that differ (for the reload's log line). */
export function changedSections(running: GatewayConfig, next: GatewayConfig): string[] {
  const sections: Array<[string, (config: GatewayConfig) => unknown]> = [
    ['server', (config) => config.server],
    ['logging', (config) => config.logging],
    ['auth', (config) => config.auth],
    ['admin', (config) => config.admin.token],
    ['providers', (config) => config.providers],
    ['models', (config) => [config.models, config.embeddingModels]],
    ['routing', (config) => [config.routing, config.aliases, config.aliasPatterns]],
    ['cache', (config) => config.cache],
    ['batching', (config) => config.batching],
    ['resilience', (config) => config.resilience],
  ];
  return sections.filter(([, read]) => !sameValue(read(running), read(next))).map(([name]) => name);
}

export function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(left, plain) === JSON.stringify(right, plain);
}

function plain(_key: string, value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}
