import type { CatalogModel } from '../catalog-types.js';
import { PRICE_SOURCES } from './price-sources.js';
import { DEEPSEEK_V3_PRIORS } from './quality-priors.js';

const deepseekListPrice = {
  inputPerMillion: 0.28,
  cachedInputPerMillion: 0.028,
  outputPerMillion: 0.42,
  ...PRICE_SOURCES.deepseek,
};

/**
 * DeepSeek API aliases (V3.2: non-thinking and thinking mode share one price). Context "128K" and
 * max output 8K / 64K from the DeepSeek Models & Pricing page (set on DeepSeek's own deployments;
 * other hosts have their own limits); FIM only on the /beta endpoint.
 */
export const DEEPSEEK_MODELS: readonly CatalogModel[] = [
  {
    name: 'deepseek-chat',
    vendor: 'deepseek',
    tier: 3,
    contextWindow: 128_000,
    capabilities: { tools: true, jsonMode: true, fim: true, streaming: true, reasoning: false },
    qualityPriors: DEEPSEEK_V3_PRIORS,
    openRouterId: 'deepseek/deepseek-chat',
    notes: 'Alias of the current DeepSeek V3.x chat model; priors were measured on DeepSeek-V3.',
    deployments: [
      {
        provider: 'deepseek',
        upstreamModel: 'deepseek-chat',
        price: deepseekListPrice,
        maxOutputTokens: 8_192,
        capabilities: { fim: false },
      },
      {
        provider: 'deepseek-beta',
        upstreamModel: 'deepseek-chat',
        price: deepseekListPrice,
        maxOutputTokens: 8_192,
        notes: 'FIM Completion (Beta) endpoint, max 4K tokens per completion.',
      },
      {
        provider: 'fireworks',
        upstreamModel: 'accounts/fireworks/models/deepseek-v3p2',
        price: {
          inputPerMillion: 0.56,
          cachedInputPerMillion: 0.28,
          outputPerMillion: 1.68,
          ...PRICE_SOURCES.fireworksDeepseek,
        },
        contextWindow: 163_840,
        capabilities: { fim: false },
        notes: 'Same open weights (DeepSeek-V3.2) served by Fireworks; context from LiteLLM.',
      },
      {
        provider: 'sim-deepseek',
        upstreamModel: 'deepseek-chat',
        priceAs: { provider: 'deepseek' },
        maxOutputTokens: 8_192,
        simulated: true,
      },
    ],
  },
  {
    name: 'deepseek-reasoner',
    vendor: 'deepseek',
    tier: 4,
    contextWindow: 128_000,
    capabilities: { tools: true, jsonMode: true, fim: false, streaming: true, reasoning: true },
    qualityPriors: [],
    notes:
      'Thinking mode of the same model; output includes the chain of thought, priced as output.',
    deployments: [
      {
        provider: 'deepseek',
        upstreamModel: 'deepseek-reasoner',
        price: deepseekListPrice,
        maxOutputTokens: 65_536,
      },
      {
        provider: 'sim-deepseek',
        upstreamModel: 'deepseek-reasoner',
        priceAs: { provider: 'deepseek' },
        maxOutputTokens: 65_536,
        simulated: true,
      },
    ],
  },
];
