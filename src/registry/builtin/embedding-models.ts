import type { Capabilities, CatalogModel } from '../catalog-types.js';
import { PRICE_SOURCES } from './price-sources.js';

/** Embedding models generate nothing: none of the chat capabilities apply. */
const embeddingCapabilities: Capabilities = {
  tools: false,
  jsonMode: false,
  fim: false,
  streaming: false,
  reasoning: false,
};

const SELF_HOSTED =
  'Self-hosted: no per-token price (the cost is the machine); set one in catalog: to account for it.';

/**
 * Embedding models (`kind: 'embedding'`), served by `POST /v1/embeddings` on OpenAI-compatible
 * providers. Output tokens do not exist for them: output prices are 0, not unknown. Tier 1 is
 * nominal (tiers rank chat models; embedding models are never routed to). Dimensions: OpenAI
 * embeddings guide, Mistral docs, the BAAI and Nomic model cards.
 */
export const EMBEDDING_MODELS: readonly CatalogModel[] = [
  {
    name: 'text-embedding-3-small',
    vendor: 'openai',
    kind: 'embedding',
    dimensions: 1536,
    tier: 1,
    contextWindow: 8_191,
    capabilities: embeddingCapabilities,
    qualityPriors: [],
    deployments: [
      {
        provider: 'openai',
        upstreamModel: 'text-embedding-3-small',
        price: { inputPerMillion: 0.02, outputPerMillion: 0, ...PRICE_SOURCES.openaiEmbeddings },
      },
      {
        provider: 'sim-openai',
        upstreamModel: 'text-embedding-3-small',
        priceAs: { provider: 'openai' },
        simulated: true,
      },
    ],
  },
  {
    name: 'text-embedding-3-large',
    vendor: 'openai',
    kind: 'embedding',
    dimensions: 3072,
    tier: 1,
    contextWindow: 8_191,
    capabilities: embeddingCapabilities,
    qualityPriors: [],
    deployments: [
      {
        provider: 'openai',
        upstreamModel: 'text-embedding-3-large',
        price: { inputPerMillion: 0.13, outputPerMillion: 0, ...PRICE_SOURCES.openaiEmbeddings },
      },
      {
        provider: 'sim-openai',
        upstreamModel: 'text-embedding-3-large',
        priceAs: { provider: 'openai' },
        simulated: true,
      },
    ],
  },
  {
    name: 'text-embedding-ada-002',
    vendor: 'openai',
    kind: 'embedding',
    dimensions: 1536,
    tier: 1,
    contextWindow: 8_191,
    capabilities: embeddingCapabilities,
    qualityPriors: [],
    deployments: [
      {
        provider: 'openai',
        upstreamModel: 'text-embedding-ada-002',
        price: { inputPerMillion: 0.1, outputPerMillion: 0, ...PRICE_SOURCES.openaiEmbeddings },
      },
    ],
  },
  {
    name: 'mistral-embed',
    vendor: 'mistral',
    kind: 'embedding',
    dimensions: 1024,
    tier: 1,
    contextWindow: 8_192,
    capabilities: embeddingCapabilities,
    qualityPriors: [],
    deployments: [
      {
        provider: 'mistral',
        upstreamModel: 'mistral-embed',
        price: { inputPerMillion: 0.1, outputPerMillion: 0, ...PRICE_SOURCES.mistralEmbed },
      },
      {
        provider: 'sim-mistral',
        upstreamModel: 'mistral-embed',
        priceAs: { provider: 'mistral' },
        simulated: true,
      },
    ],
  },
  {
    name: 'bge-large-en-v1.5',
    vendor: 'baai',
    kind: 'embedding',
    dimensions: 1024,
    tier: 1,
    contextWindow: 512,
    capabilities: embeddingCapabilities,
    qualityPriors: [],
    notes: "335M parameters: Together's 151M-350M embedding price step.",
    deployments: [
      {
        provider: 'together',
        upstreamModel: 'BAAI/bge-large-en-v1.5',
        price: { inputPerMillion: 0.016, outputPerMillion: 0, ...PRICE_SOURCES.togetherEmbeddings },
      },
      { provider: 'vllm', upstreamModel: 'BAAI/bge-large-en-v1.5', notes: SELF_HOSTED },
    ],
  },
  {
    name: 'bge-base-en-v1.5',
    vendor: 'baai',
    kind: 'embedding',
    dimensions: 768,
    tier: 1,
    contextWindow: 512,
    capabilities: embeddingCapabilities,
    qualityPriors: [],
    notes: "109M parameters: Together's up-to-150M embedding price step.",
    deployments: [
      {
        provider: 'together',
        upstreamModel: 'BAAI/bge-base-en-v1.5',
        price: { inputPerMillion: 0.008, outputPerMillion: 0, ...PRICE_SOURCES.togetherEmbeddings },
      },
      { provider: 'vllm', upstreamModel: 'BAAI/bge-base-en-v1.5', notes: SELF_HOSTED },
    ],
  },
  {
    name: 'nomic-embed-text',
    vendor: 'nomic',
    kind: 'embedding',
    dimensions: 768,
    tier: 1,
    contextWindow: 8_192,
    capabilities: embeddingCapabilities,
    qualityPriors: [],
    deployments: [{ provider: 'ollama', upstreamModel: 'nomic-embed-text', notes: SELF_HOSTED }],
  },
];
