import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildModelRegistry } from '../registry/model-registry.js';
import { PROVIDER_PRESETS, type ProviderPreset } from '../providers/presets.js';

export interface InitOptions {
  /** Where to write (default ./switchyard.yaml). */
  path?: string;
  force?: boolean;
  environment?: Record<string, string | undefined>;
  write?: (text: string) => void;
  writeError?: (text: string) => void;
}

/** One preset per key variable (deepseek, not also deepseek-beta), hosted providers only. */
function keyedPresets(): Array<[string, ProviderPreset]> {
  const seen = new Set<string>();
  return Object.entries(PROVIDER_PRESETS).filter(([, preset]) => {
    if (!preset.apiKeyRequired || seen.has(preset.apiKeyEnv)) return false;
    seen.add(preset.apiKeyEnv);
    return true;
  });
}

/**
 * `switchyard init`: a commented switchyard.yaml for the providers whose key variables are set,
 * with the catalog's chat models on each. Keys stay in the environment (only variable names are
 * written). Refuses to overwrite an existing file without --force.
 */
export function runInit(options: InitOptions = {}): number {
  const environment = options.environment ?? process.env;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const writeError = options.writeError ?? ((text: string) => void process.stderr.write(text));
  const file = path.resolve(options.path ?? 'switchyard.yaml');
  if (existsSync(file) && !options.force) {
    writeError(`switchyard init: ${file} exists; pass --force to overwrite it.\n`);
    return 1;
  }
  const presets = keyedPresets();
  const found = presets.filter(([, preset]) => (environment[preset.apiKeyEnv] ?? '') !== '');
  if (found.length === 0) {
    writeError(
      `switchyard init: none of the provider key variables is set (${presets.map(([, preset]) => preset.apiKeyEnv).join(', ')}).\n` +
        'Set one (for example export DEEPSEEK_API_KEY=…) and run it again, or run `switchyard serve` with no config for the simulated fleet.\n',
    );
    return 1;
  }
  const registry = buildModelRegistry(undefined, { source: 'built-in catalog' });
  const models = new Map<string, string[]>();
  for (const [id] of found) {
    for (const model of registry.list()) {
      if (model.kind === 'embedding') continue;
      if (
        !model.deployments.some((deployment) => deployment.provider === id && !deployment.simulated)
      )
        continue;
      models.set(model.name, [...(models.get(model.name) ?? []), id]);
    }
  }
  const lines = [
    '# Switchyard config, written by `switchyard init` for the provider keys set in this environment.',
    '# Reference: docs/configuration.md. Check it with `switchyard config check`, try every deployment',
    '# with one real 1-token request each with `switchyard doctor`, then run `switchyard serve`.',
    '',
    'server:',
    '  host: 127.0.0.1        # loopback only; to listen further out, require keys (auth.require_keys)',
    '  port: 4000',
    '',
    '# The admin API and the dashboard (/dashboard): export SWITCHYARD_ADMIN_TOKEN (16+ characters).',
    '# admin: { token_env: SWITCHYARD_ADMIN_TOKEN }',
    '',
    '# Usage ledger (SQLite in data_dir; PostgreSQL with DATABASE_URL): costs, keys, the dashboard.',
    'data_dir: ./data',
    '',
    '# Upstream providers. Keys are read from the environment at startup and never written here.',
    'providers:',
  ];
  for (const [id, preset] of found)
    lines.push(
      `${`  ${id}: { preset: ${id} }`.padEnd(40)} # key from $${preset.apiKeyEnv}; ${preset.baseUrl}`,
    );
  lines.push(
    '',
    '# The models clients may name, each with its deployments (cheapest healthy first, the others',
    '# as fallbacks). Prices come from the built-in catalog (`switchyard models` lists them).',
    'models:',
  );
  for (const [name, providers] of models)
    lines.push(
      `  ${name}:\n    deployments: [${providers.map((provider) => `{ provider: ${provider} }`).join(', ')}]`,
    );
  lines.push(
    '',
    '# `auto` routes each request to the cheapest model expected to handle it (docs/routing.md);',
    '# `POST /v1/route/explain` and `switchyard route --explain` say why.',
    '# routing:',
    '#   policies:',
    '#     auto: { type: cost-optimal, quality_floor: 70 }',
    '',
    '# A self-hosted box (vLLM, Ollama) takes the bulk while it has room; see docs/breakeven.md.',
    '#   my-model:',
    '#     deployments:',
    '#       - { provider: my-vllm, capacity: { max_concurrency: 8, max_queue_ms: 500 }, hourly_usd: 1.332 }',
    '',
  );
  writeFileSync(file, lines.join('\n'));
  write(
    `Wrote ${file}: ${found.length} provider(s) (${found.map(([id]) => id).join(', ')}), ${models.size} model(s).\n` +
      'Next: switchyard doctor (one real 1-token request per deployment), then switchyard serve.\n',
  );
  return 0;
}
