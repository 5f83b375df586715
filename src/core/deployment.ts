/**
 * Deployments: one way to reach a model (a provider and that provider's name for it) and what it
 * costs. The router plans over them, the executor calls them, the cache and accounting price
 * them; config and the catalog produce them.
 */

import type { ProviderSettings } from './provider.js';

/** Prices apply to prompts larger than `aboveInputTokens` (the whole prompt, cached part included). */
export interface PriceTier {
  aboveInputTokens: number;
  inputPerMillion?: number;
  cachedInputPerMillion?: number;
  cacheWritePerMillion?: number;
  cacheWrite1hPerMillion?: number;
  outputPerMillion?: number;
}

/**
 * USD per million tokens. A missing figure means unknown (never zero): costs computed without it
 * are flagged. `tiers` hold prompt-size price steps (Qwen3-Coder-Plus, long-context Claude); the
 * top-level figures are the base step.
 */
export interface Price {
  inputPerMillion?: number;
  /** Prompt tokens read from the provider's cache. Falls back to the input price when absent. */
  cachedInputPerMillion?: number;
  /** Prompt tokens written to the provider's cache (Anthropic 5-minute writes). Falls back to input. */
  cacheWritePerMillion?: number;
  /** Prompt tokens written with the 1-hour TTL (Anthropic: 2x input). Falls back to the cache-write price. */
  cacheWrite1hPerMillion?: number;
  /** Output tokens, reasoning tokens included. */
  outputPerMillion?: number;
  tiers?: readonly PriceTier[];
  /** Where the figures come from: a URL or document name, with cross-checks. */
  source: string;
  /** YYYY-MM-DD: the source's own date, or the day the source was read when it carries none. */
  asOf?: string;
}

/** One way to reach a model: a provider and that provider's name for it. */
export interface Deployment {
  provider: string;
  upstreamModel: string;
  /** The catalog price of this deployment, when the catalog knows it. */
  price?: Price;
  /** The catalog's largest answer of this deployment (output tokens), when known. */
  maxOutputTokens?: number;
  /** A self-hosted box: concurrent requests it serves and the longest a request may queue for one. */
  capacity?: { maxConcurrency: number; maxQueueMs: number };
  /** What a self-hosted box costs per hour, paid busy or idle (its per-token price is then zero). */
  hourlyUsd?: number;
}

export interface ModelEntry {
  name: string;
  deployments: Deployment[];
}

/** What the gateway knows of a configured provider besides its adapter (pricing and priors match on it). */
export interface ConfiguredProvider {
  settings: ProviderSettings;
  /** Served by the built-in simulator fleet (never a real provider). */
  simulated: boolean;
  /** The simulator fleet's provider id, for simulated providers. */
  fleetProvider?: string;
}
