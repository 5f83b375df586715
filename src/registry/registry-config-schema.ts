import { z } from 'zod';

/**
 * The `catalog:` section of the config file: overrides of built-in models, new models with their
 * deployments and prices, and the reference model for savings. Snake_case like the rest of the
 * file. Merge it into `configFileSchema` as `catalog: registryConfigSchema.optional()`.
 */

const providerId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'provider ids are lowercase letters, digits, ".", "_" or "-" (max 64)',
  );

const usdPerMillion = z
  .number()
  .finite()
  .min(0, 'prices are USD per million tokens, never negative');
const tokenCount = z.number().int().positive();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-11-28');

const priceRates = {
  /** USD per million prompt tokens not read from the provider's cache. */
  input: usdPerMillion.optional(),
  /** USD per million prompt tokens read from the provider's cache; defaults to `input`. */
  cached_input: usdPerMillion.optional(),
  /** USD per million prompt tokens written to the provider's cache (Anthropic: 5-minute writes); defaults to `input`. */
  cache_write: usdPerMillion.optional(),
  /** USD per million prompt tokens written with the 1-hour TTL (Anthropic); defaults to `cache_write`. */
  cache_write_1h: usdPerMillion.optional(),
  /** USD per million output tokens, reasoning included. */
  output: usdPerMillion.optional(),
};

const priceTier = z.object({ above_input_tokens: tokenCount, ...priceRates }).strict();

const price = z
  .object({
    ...priceRates,
    tiers: z.array(priceTier).optional(),
    /** Where the figures come from; defaults to "operator config". */
    source: z.string().min(1).optional(),
    as_of: isoDate.optional(),
  })
  .strict();

const capabilities = z
  .object({
    tools: z.boolean(),
    json_mode: z.boolean(),
    fim: z.boolean(),
    streaming: z.boolean(),
    reasoning: z.boolean(),
  })
  .partial()
  .strict();

const deployment = z
  .object({
    /** The provider's name for the model; defaults to the model's name. */
    upstream_model: z.string().min(1).optional(),
    price: price.optional(),
    /** Take the price of another deployment: `{ provider }` (same model) or `{ model, provider }`. */
    price_as: z
      .object({ model: z.string().min(1).optional(), provider: providerId })
      .strict()
      .optional(),
    context_window: tokenCount.optional(),
    max_output_tokens: tokenCount.optional(),
    capabilities: capabilities.optional(),
  })
  .strict()
  .refine((value) => value.price === undefined || value.price_as === undefined, {
    message: 'give either price or price_as, not both',
  });

const qualityPrior = z
  .object({
    benchmark: z.string().min(1),
    language: z
      .enum(['python', 'java', 'cpp', 'typescript', 'javascript', 'go', 'rust'])
      .optional(),
    pass_at_1: z.number().min(0).max(100),
    /** The model version measured; defaults to the model's name. */
    subject: z.string().min(1).optional(),
    source: z.string().min(1),
  })
  .strict();

const model = z
  .object({
    /** 1 small, 2 medium, 3 strong, 4 frontier. Required for a model that is not built in. */
    tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
    vendor: z.string().min(1).optional(),
    context_window: tokenCount.optional(),
    max_output_tokens: tokenCount.optional(),
    capabilities: capabilities.optional(),
    /** Replaces the built-in quality priors of the model. */
    quality_priors: z.array(qualityPrior).optional(),
    /** OpenRouter model id used by the price import. */
    openrouter_id: z.string().min(1).optional(),
    notes: z.string().optional(),
    /** Keyed by provider id: overrides a built-in deployment or adds one. */
    deployments: z.record(providerId, deployment).optional(),
  })
  .strict();

export const registryConfigSchema = z
  .object({
    /** Savings are computed against this model's cheapest priced deployment. */
    reference_model: z.string().min(1).optional(),
    models: z.record(z.string().min(1), model).optional(),
  })
  .strict();

export type RegistryConfig = z.infer<typeof registryConfigSchema>;
export type RegistryConfigModel = z.infer<typeof model>;
export type RegistryConfigDeployment = z.infer<typeof deployment>;
export type RegistryConfigPrice = z.infer<typeof price>;
export type RegistryConfigCapabilities = z.infer<typeof capabilities>;
