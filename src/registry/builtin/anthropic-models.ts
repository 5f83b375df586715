import type { CatalogModel, Capabilities, Price } from '../catalog-types.js';
import { PRICE_SOURCES } from './price-sources.js';

const claudeCapabilities: Capabilities = {
  tools: true,
  fim: false,
  streaming: true,
  reasoning: true,
};

/**
 * Anthropic list price: cache hits are 0.1x input, 5-minute cache writes 1.25x input and 1-hour
 * cache writes (`cache_control.ttl: "1h"`) 2x input (the pricing page's prompt-caching table).
 */
function anthropicPrice(input: number, output: number, extra: Partial<Price> = {}): Price {
  return {
    inputPerMillion: input,
    cachedInputPerMillion: Math.round(input * 0.1 * 1000) / 1000,
    cacheWritePerMillion: Math.round(input * 1.25 * 1000) / 1000,
    cacheWrite1hPerMillion: Math.round(input * 2 * 1000) / 1000,
    outputPerMillion: output,
    ...extra,
    ...PRICE_SOURCES.anthropic,
  };
}

function claude(
  name: string,
  tier: CatalogModel['tier'],
  limits: { maxOutputTokens: number; openRouterId: string },
  price: Price,
  extra: { simulated?: boolean; capabilities?: Capabilities; notes?: string } = {},
): CatalogModel {
  return {
    name,
    vendor: 'anthropic',
    tier,
    contextWindow: 200_000,
    maxOutputTokens: limits.maxOutputTokens,
    capabilities: extra.capabilities ?? claudeCapabilities,
    qualityPriors: [],
    openRouterId: limits.openRouterId,
    ...(extra.notes === undefined ? {} : { notes: extra.notes }),
    deployments: [
      { provider: 'anthropic', upstreamModel: name, price },
      ...(extra.simulated
        ? [
            {
              provider: 'sim-anthropic',
              upstreamModel: name,
              priceAs: { provider: 'anthropic' },
              simulated: true,
            },
          ]
        : []),
    ],
  };
}

/**
 * Claude models (Messages API ids). Context 200K; output limits from Anthropic's models overview
 * (cross-checked with LiteLLM). JSON mode is left unknown: Anthropic has no `json_object` mode.
 */
export const ANTHROPIC_MODELS: readonly CatalogModel[] = [
  claude(
    'claude-3-5-haiku-20241022',
    2,
    { maxOutputTokens: 8_192, openRouterId: 'anthropic/claude-3.5-haiku' },
    anthropicPrice(0.8, 4),
    {
      simulated: true,
      capabilities: { ...claudeCapabilities, reasoning: false },
    },
  ),
  claude(
    'claude-haiku-4-5-20251001',
    3,
    { maxOutputTokens: 64_000, openRouterId: 'anthropic/claude-haiku-4.5' },
    anthropicPrice(1, 5),
  ),
  claude(
    'claude-sonnet-4-20250514',
    3,
    { maxOutputTokens: 64_000, openRouterId: 'anthropic/claude-sonnet-4' },
    anthropicPrice(3, 15, {
      // Long-context pricing (prompts over 200K tokens, 1M-context beta), from the same page.
      tiers: [
        {
          aboveInputTokens: 200_000,
          inputPerMillion: 6,
          cachedInputPerMillion: 0.6,
          cacheWritePerMillion: 7.5,
          cacheWrite1hPerMillion: 12,
          outputPerMillion: 22.5,
        },
      ],
    }),
    { simulated: true },
  ),
  claude(
    'claude-sonnet-4-5-20250929',
    4,
    { maxOutputTokens: 64_000, openRouterId: 'anthropic/claude-sonnet-4.5' },
    anthropicPrice(3, 15),
  ),
  claude(
    'claude-opus-4-1-20250805',
    4,
    { maxOutputTokens: 32_000, openRouterId: 'anthropic/claude-opus-4.1' },
    anthropicPrice(15, 75),
    {
      notes:
        'Listed as retired on the Anthropic API (still on Bedrock and Google Cloud) in the latest pricing page.',
    },
  ),
  claude(
    'claude-opus-4-5-20251101',
    4,
    { maxOutputTokens: 64_000, openRouterId: 'anthropic/claude-opus-4.5' },
    anthropicPrice(5, 25),
  ),
];
