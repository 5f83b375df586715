import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configFileSchema } from '../config/schema.js';
import { combineCatalogSections } from './combine-catalog-sections.js';
import { buildModelRegistry } from './model-registry.js';
import { registryConfigSchema } from './registry-config-schema.js';

/** The example of docs/registry.md ("Overriding and extending"). */
const EXAMPLE = `
catalog:
  reference_model: claude-sonnet-4-20250514
  models:
    deepseek-chat:
      deployments:
        deepseek:
          price: { input: 0.28, cached_input: 0.028, output: 0.42, source: "DeepSeek invoice", as_of: "2026-11-01" }
        my-vllm:
          upstream_model: deepseek-ai/DeepSeek-V3.2
          price_as: { provider: deepseek }
    qwen2.5-coder-7b-instruct:
      deployments:
        qwen:
          price: { input: 0.1, output: 0.3, source: "Model Studio console", as_of: "2026-11-20" }
    local-coder:
      tier: 1
      vendor: qwen
      context_window: 32768
      capabilities: { fim: true, streaming: true }
      quality_priors:
        - { benchmark: "MultiPL-E HumanEval (instruct)", language: python, pass_at_1: 87.8, source: "Qwen2.5-Coder Technical Report, Table 17" }
      deployments:
        ollama:
          upstream_model: "qwen2.5-coder:7b"
          price: { input: 0, output: 0, source: "self-hosted" }
`;

describe('registryConfigSchema', () => {
  it('plugs into the config file schema as `catalog:` and builds the documented example', () => {
    const fileSchema = configFileSchema.extend({ catalog: registryConfigSchema.optional() });
    const file = fileSchema.parse(parse(EXAMPLE));
    const registry = buildModelRegistry(file.catalog);
    expect(registry.referenceModel).toBe('claude-sonnet-4-20250514');
    expect(registry.deployment('deepseek-chat', 'my-vllm')!.price).toMatchObject({
      inputPerMillion: 0.28,
      asOf: '2026-11-01',
    });
    expect(registry.deployment('qwen2.5-coder-7b-instruct', 'qwen')!.price.inputPerMillion).toBe(
      0.1,
    );
    // The simulated deployment still borrows the Fireworks price it names.
    expect(registry.deployment('qwen2.5-coder-7b-instruct', 'sim-qwen')!.pricedAs).toEqual({
      model: 'qwen2.5-coder-7b-instruct',
      provider: 'fireworks',
    });
    expect(registry.model('local-coder')).toMatchObject({
      tier: 1,
      vendor: 'qwen',
      capabilities: { fim: true, streaming: true },
    });
    expect(registry.model('local-coder')!.qualityPriors[0]).toMatchObject({
      subject: 'local-coder',
      passAt1: 87.8,
    });
  });
});

describe('cache write prices by TTL', () => {
  it("takes a 1-hour cache-write price per deployment and per tier (`cache_write_1h`), and has Anthropic's built in", () => {
    const catalog = registryConfigSchema.parse({
      models: {
        'claude-sonnet-4-20250514': {
          deployments: {
            bedrock: {
              price: {
                input: 3,
                cache_write: 3.75,
                cache_write_1h: 6,
                output: 15,
                tiers: [{ above_input_tokens: 200_000, input: 6, cache_write_1h: 12 }],
              },
            },
          },
        },
      },
    });
    const registry = buildModelRegistry(catalog);
    expect(registry.deployment('claude-sonnet-4-20250514', 'bedrock')!.price).toMatchObject({
      cacheWritePerMillion: 3.75,
      cacheWrite1hPerMillion: 6,
      tiers: [{ aboveInputTokens: 200_000, cacheWrite1hPerMillion: 12 }],
    });
    // Built in: 2x input for every Claude model (the pricing page's 1-hour write multiplier).
    for (const model of ['claude-3-5-haiku-20241022', 'claude-sonnet-4-20250514']) {
      const price = registry.deployment(model, 'anthropic')!.price;
      expect(price.cacheWrite1hPerMillion).toBe(price.inputPerMillion! * 2);
    }
    expect(() =>
      registryConfigSchema.parse({
        models: { x: { deployments: { p: { price: { cache_write_1h: -1 } } } } },
      }),
    ).toThrow();
  });
});

describe('combineCatalogSections', () => {
  it('lets later sections win per field and per deployment', () => {
    const combined = combineCatalogSections(
      {
        reference_model: 'gpt-4o',
        models: {
          'gpt-4o': {
            tier: 2,
            deployments: {
              openai: { price_as: { provider: 'x' } },
              azure: { upstream_model: 'a' },
            },
          },
        },
      },
      { models: { 'gpt-4o': { deployments: { openai: { price: { input: 1 } } } } } },
    );
    expect(combined).toEqual({
      reference_model: 'gpt-4o',
      models: {
        'gpt-4o': {
          tier: 2,
          deployments: { openai: { price: { input: 1 } }, azure: { upstream_model: 'a' } },
        },
      },
    });
  });
});
