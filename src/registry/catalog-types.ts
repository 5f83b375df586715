/**
 * Types of the model catalog: models, their deployments (one model served by several providers),
 * prices, capabilities, tiers and quality priors. Built-in data and config overrides both produce
 * these; `ModelRegistry` serves the merged, resolved result.
 */

import type { Price } from '../core/deployment.js';

export type { Price, PriceTier } from '../core/deployment.js';

/** What a model (or one deployment of it) accepts. A missing flag means unknown. */
export interface Capabilities {
  tools?: boolean;
  /** `response_format` json_object / json_schema. */
  jsonMode?: boolean;
  /** Fill-in-the-middle completions (`suffix`) through this gateway. */
  fim?: boolean;
  streaming?: boolean;
  /** Hidden or visible reasoning tokens. */
  reasoning?: boolean;
}

export const CAPABILITY_NAMES = [
  'tools',
  'jsonMode',
  'fim',
  'streaming',
  'reasoning',
] as const satisfies ReadonlyArray<keyof Capabilities>;

/**
 * Coarse strength class used by tier rules: 1 small/fast, 2 mid, 3 strong, 4 frontier/reasoning.
 * A judgment documented per model in docs/registry.md, not a published figure.
 */
export type ModelTier = 1 | 2 | 3 | 4;

export const TIER_NAMES: Readonly<Record<ModelTier, string>> = {
  1: 'small',
  2: 'medium',
  3: 'strong',
  4: 'frontier',
};

export type ProgrammingLanguage =
  | 'python'
  | 'java'
  | 'cpp'
  | 'typescript'
  | 'javascript'
  | 'go'
  | 'rust';

/** One published pass@1 figure (percent). `language` absent = an aggregate over languages. */
export interface QualityPrior {
  benchmark: string;
  language?: ProgrammingLanguage;
  passAt1: number;
  /** The exact model version measured (may be an earlier version of the catalog model). */
  subject: string;
  source: string;
}

/** Take the price of another deployment (a simulated one priced as the real list price). */
export interface PriceReference {
  /** Defaults to the same model. */
  model?: string;
  provider: string;
}

/** A deployment as written in built-in data or config, before price references are resolved. */
export interface CatalogDeployment {
  provider: string;
  upstreamModel: string;
  price?: Price;
  priceAs?: PriceReference;
  contextWindow?: number;
  maxOutputTokens?: number;
  /** Overrides of the model's capabilities for this deployment. */
  capabilities?: Capabilities;
  /** Served by the built-in simulator fleet. */
  simulated?: boolean;
  notes?: string;
}

/** What a model is for: generating text (the default), or embedding it (`POST /v1/embeddings`). */
export type ModelKind = 'chat' | 'embedding';

/** A model as written in built-in data or config. */
export interface CatalogModel {
  name: string;
  vendor: string;
  /** Absent = chat. Embedding models are served only by `/v1/embeddings` and never routed to. */
  kind?: ModelKind;
  /** Embedding models: the length of a full vector. */
  dimensions?: number;
  tier: ModelTier;
  contextWindow?: number;
  maxOutputTokens?: number;
  capabilities: Capabilities;
  qualityPriors: readonly QualityPrior[];
  /** OpenRouter `data[].id` of the same model, used by the price import. */
  openRouterId?: string;
  notes?: string;
  deployments: readonly CatalogDeployment[];
}

/** A resolved deployment: everything the router and the cost accounting need. */
export interface ModelDeployment {
  model: string;
  provider: string;
  upstreamModel: string;
  /** Always present; numeric fields are absent when unknown (`source` then says so). */
  price: Price;
  /** Set when the price was taken from another deployment (`priceAs`). */
  pricedAs?: { model: string; provider: string };
  contextWindow?: number;
  maxOutputTokens?: number;
  capabilities: Capabilities;
  tier: ModelTier;
  qualityPriors: readonly QualityPrior[];
  simulated: boolean;
  notes?: string;
}

/** A resolved model with its deployments. */
export interface ModelInfo {
  name: string;
  vendor: string;
  kind?: ModelKind;
  dimensions?: number;
  tier: ModelTier;
  contextWindow?: number;
  maxOutputTokens?: number;
  capabilities: Capabilities;
  qualityPriors: readonly QualityPrior[];
  openRouterId?: string;
  notes?: string;
  deployments: readonly ModelDeployment[];
}

export const UNKNOWN_PRICE_SOURCE = 'unknown: no published price found';
