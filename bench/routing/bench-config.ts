import type { z } from 'zod';
import type { configFileSchema } from '../../src/config/schema.js';
import { BENCH_MODELS, PREMIUM_MODEL } from './bench-fleet.js';

/** A config file as written (before schema defaults), which is what the bench builds. */
export type ConfigFile = z.input<typeof configFileSchema>;
/** The `routing:` section as written: default model, aliases, policies, quality overrides. */
export type RoutingSection = NonNullable<ConfigFile['routing']>;

/**
 * The gateway config of the benchmark: the three simulated providers at `baseUrlFor(id)`, one
 * model per RouterBench model with its single deployment, catalog entries with list prices,
 * limits and strength tiers, no ledger, loopback only. `routing` is merged over
 * `{ default_model: gpt-4-1106-preview }` — that is where a policy under test goes; `'shipped'`
 * leaves the routing section out (the built-in `auto`, nothing overridden).
 */
export function benchConfigFile(
  baseUrlFor: (providerId: string) => string,
  routing: Partial<RoutingSection> | 'shipped' = {},
  extra: Partial<ConfigFile> = {},
): ConfigFile {
  const providers: NonNullable<ConfigFile['providers']> = {};
  const models: NonNullable<ConfigFile['models']> = {};
  const catalogModels: NonNullable<NonNullable<ConfigFile['catalog']>['models']> = {};
  for (const model of BENCH_MODELS) {
    providers[model.provider] ??= {
      type: 'simulated',
      fleet_provider: model.provider,
      base_url: baseUrlFor(model.provider),
      connections: 64,
    };
    models[model.name] = { deployments: [{ provider: model.provider }] };
    catalogModels[model.name] = {
      tier: model.tier,
      vendor: model.provider.slice(3),
      context_window: model.contextWindow,
      max_output_tokens: 4096,
      capabilities: {
        streaming: true,
        tools: false,
        json_mode: false,
        fim: false,
        reasoning: false,
      },
      deployments: {
        [model.provider]: {
          context_window: model.contextWindow,
          max_output_tokens: 4096,
          price: {
            input: model.inputPerMillion,
            output: model.outputPerMillion,
            source: 'RouterBench list prices (checked against its recorded costs)',
            as_of: '2024-03-01',
          },
        },
      },
    };
  }
  return {
    server: { host: '127.0.0.1', port: 0, access_log: false },
    ledger: { enabled: false },
    simulator: { enabled: false },
    providers,
    models,
    catalog: { reference_model: PREMIUM_MODEL, models: catalogModels },
    // 'shipped': no routing section at all (built-in policies, `auto` as it ships).
    ...(routing === 'shipped' ? {} : { routing: { default_model: PREMIUM_MODEL, ...routing } }),
    ...extra,
  };
}
