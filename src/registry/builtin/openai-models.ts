import type { CatalogModel, Capabilities } from '../catalog-types.js';
import { PRICE_SOURCES } from './price-sources.js';
import { GPT_4O_MINI_PRIORS, GPT_4O_PRIORS } from './quality-priors.js';

const chatCapabilities: Capabilities = {
  tools: true,
  jsonMode: true,
  fim: false,
  streaming: true,
  reasoning: false,
};
const reasoningCapabilities: Capabilities = { ...chatCapabilities, reasoning: true };

/**
 * OpenAI models. Context windows and output limits: OpenAI model pages (also in gpt-tokenizer 4's
 * model specs and LiteLLM); GPT-5 accepts 272K input tokens inside its 400K window.
 */
export const OPENAI_MODELS: readonly CatalogModel[] = [
  {
    name: 'gpt-4o-mini',
    vendor: 'openai',
    tier: 1,
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    capabilities: chatCapabilities,
    qualityPriors: GPT_4O_MINI_PRIORS,
    openRouterId: 'openai/gpt-4o-mini',
    deployments: [
      {
        provider: 'openai',
        upstreamModel: 'gpt-4o-mini',
        price: {
          inputPerMillion: 0.15,
          cachedInputPerMillion: 0.075,
          outputPerMillion: 0.6,
          ...PRICE_SOURCES.openaiGpt41,
        },
      },
      {
        provider: 'sim-openai',
        upstreamModel: 'gpt-4o-mini',
        priceAs: { provider: 'openai' },
        simulated: true,
      },
    ],
  },
  {
    name: 'gpt-4o',
    vendor: 'openai',
    tier: 2,
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    capabilities: chatCapabilities,
    qualityPriors: GPT_4O_PRIORS,
    openRouterId: 'openai/gpt-4o',
    deployments: [
      {
        provider: 'openai',
        upstreamModel: 'gpt-4o',
        price: {
          inputPerMillion: 2.5,
          cachedInputPerMillion: 1.25,
          outputPerMillion: 10,
          ...PRICE_SOURCES.openaiGpt4o,
        },
      },
    ],
  },
  {
    name: 'gpt-4.1-mini',
    vendor: 'openai',
    tier: 2,
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    capabilities: chatCapabilities,
    qualityPriors: [],
    openRouterId: 'openai/gpt-4.1-mini',
    deployments: [
      {
        provider: 'openai',
        upstreamModel: 'gpt-4.1-mini',
        price: {
          inputPerMillion: 0.4,
          cachedInputPerMillion: 0.1,
          outputPerMillion: 1.6,
          ...PRICE_SOURCES.openaiGpt41,
        },
      },
    ],
  },
  {
    name: 'gpt-4.1',
    vendor: 'openai',
    tier: 3,
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    capabilities: chatCapabilities,
    qualityPriors: [],
    openRouterId: 'openai/gpt-4.1',
    deployments: [
      {
        provider: 'openai',
        upstreamModel: 'gpt-4.1',
        price: {
          inputPerMillion: 2,
          cachedInputPerMillion: 0.5,
          outputPerMillion: 8,
          ...PRICE_SOURCES.openaiGpt41,
        },
      },
      {
        provider: 'sim-openai',
        upstreamModel: 'gpt-4.1',
        priceAs: { provider: 'openai' },
        simulated: true,
      },
    ],
  },
  {
    name: 'gpt-5-mini',
    vendor: 'openai',
    tier: 3,
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    capabilities: reasoningCapabilities,
    qualityPriors: [],
    openRouterId: 'openai/gpt-5-mini',
    deployments: [
      {
        provider: 'openai',
        upstreamModel: 'gpt-5-mini',
        price: {
          inputPerMillion: 0.25,
          cachedInputPerMillion: 0.025,
          outputPerMillion: 2,
          ...PRICE_SOURCES.openaiGpt5Mini,
        },
      },
    ],
  },
  {
    name: 'gpt-5',
    vendor: 'openai',
    tier: 4,
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    capabilities: reasoningCapabilities,
    qualityPriors: [],
    openRouterId: 'openai/gpt-5',
    deployments: [
      {
        provider: 'openai',
        upstreamModel: 'gpt-5',
        price: {
          inputPerMillion: 1.25,
          cachedInputPerMillion: 0.125,
          outputPerMillion: 10,
          ...PRICE_SOURCES.openaiGpt5,
        },
      },
    ],
  },
];
