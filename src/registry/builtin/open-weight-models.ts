import type { CatalogModel } from '../catalog-types.js';
import { PRICE_SOURCES } from './price-sources.js';
import { QWEN_CODER_32B_PRIORS, QWEN_CODER_7B_PRIORS } from './quality-priors.js';

const unknownOnTogether =
  'Together lists this model (context from docs.together.ai) but no price was found.';

/**
 * Qwen coder models (Alibaba Model Studio and open-weight hosts) and Llama on Together, Fireworks
 * and Groq. Model Studio prices for Qwen2.5-Coder and Together prices were not found: left unknown.
 */
export const OPEN_WEIGHT_MODELS: readonly CatalogModel[] = [
  {
    name: 'qwen2.5-coder-7b-instruct',
    vendor: 'qwen',
    tier: 1,
    contextWindow: 131_072,
    capabilities: { fim: true, streaming: true, reasoning: false },
    qualityPriors: QWEN_CODER_7B_PRIORS,
    openRouterId: 'qwen/qwen2.5-coder-7b-instruct',
    notes: 'Context: model card (131,072 with YaRN); output 8,192 is the Model Studio limit.',
    deployments: [
      {
        provider: 'qwen',
        upstreamModel: 'qwen2.5-coder-7b-instruct',
        maxOutputTokens: 8_192,
        capabilities: { fim: false },
      },
      {
        provider: 'fireworks',
        upstreamModel: 'accounts/fireworks/models/qwen2p5-coder-7b-instruct',
        price: { inputPerMillion: 0.2, outputPerMillion: 0.2, ...PRICE_SOURCES.fireworks },
        contextWindow: 32_768,
      },
      {
        provider: 'sim-qwen',
        upstreamModel: 'qwen2.5-coder-7b-instruct',
        priceAs: { provider: 'fireworks' },
        maxOutputTokens: 8_192,
        simulated: true,
        notes: 'Priced as Fireworks: no Model Studio price was found.',
      },
    ],
  },
  {
    name: 'qwen2.5-coder-32b-instruct',
    vendor: 'qwen',
    tier: 2,
    contextWindow: 131_072,
    capabilities: { fim: true, streaming: true, reasoning: false },
    qualityPriors: QWEN_CODER_32B_PRIORS,
    openRouterId: 'qwen/qwen-2.5-coder-32b-instruct',
    deployments: [
      {
        provider: 'qwen',
        upstreamModel: 'qwen2.5-coder-32b-instruct',
        capabilities: { fim: false },
      },
      {
        provider: 'fireworks',
        upstreamModel: 'accounts/fireworks/models/qwen2p5-coder-32b-instruct',
        price: { inputPerMillion: 0.9, outputPerMillion: 0.9, ...PRICE_SOURCES.fireworks },
      },
    ],
  },
  {
    name: 'qwen3-coder-plus',
    vendor: 'qwen',
    tier: 3,
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    capabilities: { tools: true, fim: false, streaming: true, reasoning: false },
    qualityPriors: [],
    openRouterId: 'qwen/qwen3-coder-plus',
    notes:
      'Qwen3-Coder on Model Studio; prices step up with prompt size (0-32K, 32-128K, 128-256K, 256K-1M).',
    deployments: [
      {
        provider: 'qwen',
        upstreamModel: 'qwen3-coder-plus',
        price: {
          inputPerMillion: 1,
          cachedInputPerMillion: 0.1,
          outputPerMillion: 5,
          tiers: [
            {
              aboveInputTokens: 32_000,
              inputPerMillion: 1.8,
              cachedInputPerMillion: 0.18,
              outputPerMillion: 9,
            },
            {
              aboveInputTokens: 128_000,
              inputPerMillion: 3,
              cachedInputPerMillion: 0.3,
              outputPerMillion: 15,
            },
            {
              aboveInputTokens: 256_000,
              inputPerMillion: 6,
              cachedInputPerMillion: 0.6,
              outputPerMillion: 60,
            },
          ],
          ...PRICE_SOURCES.qwenModelStudio,
        },
      },
      {
        provider: 'sim-qwen',
        upstreamModel: 'qwen3-coder-plus',
        priceAs: { provider: 'qwen' },
        simulated: true,
      },
    ],
  },
  {
    name: 'llama-3.3-70b-instruct',
    vendor: 'meta',
    tier: 2,
    contextWindow: 131_072,
    capabilities: { tools: true, fim: false, streaming: true, reasoning: false },
    qualityPriors: [],
    openRouterId: 'meta-llama/llama-3.3-70b-instruct',
    deployments: [
      {
        provider: 'groq',
        upstreamModel: 'llama-3.3-70b-versatile',
        price: { inputPerMillion: 0.59, outputPerMillion: 0.79, ...PRICE_SOURCES.groq },
        contextWindow: 128_000,
        maxOutputTokens: 32_768,
      },
      {
        provider: 'fireworks',
        upstreamModel: 'accounts/fireworks/models/llama-v3p3-70b-instruct',
        price: { inputPerMillion: 0.9, outputPerMillion: 0.9, ...PRICE_SOURCES.fireworks },
      },
      {
        provider: 'together',
        upstreamModel: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
        notes: unknownOnTogether,
      },
    ],
  },
  {
    name: 'llama-3.1-8b-instruct',
    vendor: 'meta',
    tier: 1,
    contextWindow: 128_000,
    capabilities: { tools: true, fim: false, streaming: true, reasoning: false },
    qualityPriors: [],
    openRouterId: 'meta-llama/llama-3.1-8b-instruct',
    deployments: [
      {
        provider: 'groq',
        upstreamModel: 'llama-3.1-8b-instant',
        price: { inputPerMillion: 0.05, outputPerMillion: 0.08, ...PRICE_SOURCES.groq },
        maxOutputTokens: 8_192,
      },
    ],
  },
];
