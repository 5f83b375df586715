import type { CatalogModel } from '../catalog-types.js';
import { PRICE_SOURCES } from './price-sources.js';
import { CODESTRAL_PRIORS } from './quality-priors.js';

/**
 * Mistral coding models. Max output tokens are not published (LiteLLM repeats the context size),
 * so they are left unknown. FIM exists at Mistral's /v1/fim/completions, which the OpenAI-compatible
 * adapter does not speak, hence `fim: false` on the `mistral` deployments.
 */
export const MISTRAL_MODELS: readonly CatalogModel[] = [
  {
    name: 'codestral-latest',
    vendor: 'mistral',
    tier: 2,
    contextWindow: 256_000,
    capabilities: { tools: true, jsonMode: true, fim: true, streaming: true, reasoning: false },
    qualityPriors: CODESTRAL_PRIORS,
    openRouterId: 'mistralai/codestral-2508',
    notes: 'Alias of Codestral 25.08; priors were measured on Codestral-22B and 25.01.',
    deployments: [
      {
        provider: 'mistral',
        upstreamModel: 'codestral-latest',
        price: { inputPerMillion: 0.3, outputPerMillion: 0.9, ...PRICE_SOURCES.mistralCodestral },
        capabilities: { fim: false },
      },
      {
        provider: 'sim-mistral',
        upstreamModel: 'codestral-latest',
        priceAs: { provider: 'mistral' },
        simulated: true,
      },
    ],
  },
  {
    name: 'devstral-small-2507',
    vendor: 'mistral',
    tier: 2,
    contextWindow: 128_000,
    capabilities: { tools: true, jsonMode: true, fim: false, streaming: true, reasoning: false },
    qualityPriors: [],
    openRouterId: 'mistralai/devstral-small',
    deployments: [
      {
        provider: 'mistral',
        upstreamModel: 'devstral-small-2507',
        price: { inputPerMillion: 0.1, outputPerMillion: 0.3, ...PRICE_SOURCES.mistralDevstral },
      },
    ],
  },
  {
    name: 'devstral-medium-2507',
    vendor: 'mistral',
    tier: 3,
    contextWindow: 128_000,
    capabilities: { tools: true, jsonMode: true, fim: false, streaming: true, reasoning: false },
    qualityPriors: [],
    openRouterId: 'mistralai/devstral-medium',
    deployments: [
      {
        provider: 'mistral',
        upstreamModel: 'devstral-medium-2507',
        price: { inputPerMillion: 0.4, outputPerMillion: 2, ...PRICE_SOURCES.mistralDevstral },
      },
    ],
  },
];
