import { describe, expect, it } from 'vitest';
import { embeddedConfigFile } from '../config/load-config.js';
import { resolveConfig } from '../config/resolve-config.js';
import { DEFAULT_FLEET } from '../sim/default-fleet.js';
import { BUILTIN_CATALOG } from './builtin/builtin-catalog.js';
import { CatalogError } from './catalog-error.js';
import { UNKNOWN_PRICE_SOURCE } from './catalog-types.js';
import { checkCatalogCoverage } from './match-config-provider.js';
import { buildModelRegistry } from './model-registry.js';

describe('built-in catalog', () => {
  const registry = buildModelRegistry();

  it('resolves without problems', () => {
    expect(registry.list().length).toBe(BUILTIN_CATALOG.length);
    expect(registry.referenceModel).toBe('gpt-4.1');
  });

  it('carries a source and a date on every known price', () => {
    for (const deployment of registry.allDeployments()) {
      const { price } = deployment;
      const known = price.inputPerMillion !== undefined || price.outputPerMillion !== undefined;
      if (!known) {
        expect(price.source, `${deployment.model}@${deployment.provider}`).toContain('unknown');
        continue;
      }
      expect(price.source.length, `${deployment.model}@${deployment.provider}`).toBeGreaterThan(10);
      expect(price.asOf, `${deployment.model}@${deployment.provider}`).toMatch(
        /^20\d\d-\d\d-\d\d$/,
      );
    }
  });

  it('prices every model of the simulator fleet on its simulated provider at the real list price', () => {
    for (const provider of DEFAULT_FLEET.providers) {
      for (const model of provider.models) {
        const deployment = registry.deployment(model.name, provider.id);
        expect(deployment, `${model.name}@${provider.id}`).toBeDefined();
        expect(deployment!.simulated).toBe(true);
        expect(deployment!.price.inputPerMillion, `${model.name}@${provider.id}`).toBeGreaterThan(
          0,
        );
        expect(deployment!.price.outputPerMillion, `${model.name}@${provider.id}`).toBeGreaterThan(
          0,
        );
        expect(deployment!.pricedAs).toBeDefined();
      }
    }
    const simulated = registry.deployment('deepseek-chat', 'sim-deepseek')!;
    const real = registry.deployment('deepseek-chat', 'deepseek')!;
    expect(simulated.price.inputPerMillion).toBe(real.price.inputPerMillion);
    expect(simulated.price.source).toContain('as deepseek-chat on deepseek');
    expect(simulated.price.asOf).toBe(real.price.asOf);
  });

  it('agrees with the simulator fleet on published limits', () => {
    for (const provider of DEFAULT_FLEET.providers) {
      for (const model of provider.models) {
        const deployment = registry.deployment(model.name, provider.id)!;
        expect(deployment.contextWindow ?? model.contextWindow, `${model.name} context`).toBe(
          model.contextWindow,
        );
        // Codestral's max output is unpublished (the fleet's value is marked "plausible"): unknown here.
        if (deployment.maxOutputTokens !== undefined)
          expect(deployment.maxOutputTokens, `${model.name} max output`).toBe(
            model.maxOutputTokens,
          );
      }
    }
  });

  it('covers the no-config demo: every embedded deployment has a complete price', () => {
    const config = resolveConfig(embeddedConfigFile(), 'embedded', {});
    const coverage = checkCatalogCoverage(registry, config);
    expect(coverage.warnings).toEqual([]);
    expect(coverage.deployments.length).toBe(9);
  });

  it('lists several providers for one model, each with its own upstream name', () => {
    const names = registry
      .deployments('llama-3.3-70b-instruct')
      .map((deployment) => `${deployment.provider}:${deployment.upstreamModel}`);
    expect(names).toEqual([
      'groq:llama-3.3-70b-versatile',
      'fireworks:accounts/fireworks/models/llama-v3p3-70b-instruct',
      'together:meta-llama/Llama-3.3-70B-Instruct-Turbo',
    ]);
    expect(registry.deployment('llama-3.3-70b-instruct', 'together')!.price).toEqual({
      source: UNKNOWN_PRICE_SOURCE,
    });
  });

  it('lets deployments override model limits and capabilities', () => {
    expect(registry.deployment('deepseek-chat', 'deepseek')!.capabilities.fim).toBe(false);
    expect(registry.deployment('deepseek-chat', 'deepseek-beta')!.capabilities.fim).toBe(true);
    expect(registry.deployment('qwen2.5-coder-7b-instruct', 'fireworks')!.contextWindow).toBe(
      32_768,
    );
    expect(registry.deployment('qwen2.5-coder-7b-instruct', 'qwen')!.contextWindow).toBe(131_072);
  });

  it('keeps quality priors with their benchmark and source', () => {
    const priors = registry.model('qwen2.5-coder-7b-instruct')!.qualityPriors;
    expect(priors.find((prior) => prior.language === 'python')).toMatchObject({
      passAt1: 87.8,
      source: expect.stringContaining('Qwen2.5-Coder Technical Report'),
    });
  });

  it('finds a configured deployment by upstream name when the config names the model differently', () => {
    const found = registry.find({
      model: 'fast',
      providers: ['ds', 'deepseek'],
      upstreamModel: 'deepseek-chat',
    });
    expect(found?.model).toBe('deepseek-chat');
  });

  it('picks the cheapest real priced deployment of the reference model', () => {
    expect(registry.referenceDeployment()).toMatchObject({ model: 'gpt-4.1', provider: 'openai' });
  });
});

describe('catalog config', () => {
  it('overrides built-in prices and capabilities and adds deployments and models', () => {
    const registry = buildModelRegistry({
      reference_model: 'claude-sonnet-4-20250514',
      models: {
        'deepseek-chat': {
          tier: 2,
          capabilities: { fim: false },
          deployments: {
            deepseek: { price: { input: 0.3, output: 0.5, as_of: '2026-12-01' } },
            vllm: {
              upstream_model: 'deepseek-ai/DeepSeek-V3.2',
              price_as: { provider: 'deepseek' },
            },
          },
        },
        'my-coder': {
          tier: 1,
          deployments: {
            ollama: { upstream_model: 'qwen2.5-coder:7b', price: { input: 0, output: 0 } },
          },
        },
      },
    });
    const deepseek = registry.deployment('deepseek-chat', 'deepseek')!;
    expect(deepseek.price).toEqual({
      inputPerMillion: 0.3,
      outputPerMillion: 0.5,
      source: 'operator config',
      asOf: '2026-12-01',
    });
    expect(deepseek.tier).toBe(2);
    expect(registry.deployment('deepseek-chat', 'deepseek-beta')!.capabilities.fim).toBe(false);
    expect(registry.deployment('deepseek-chat', 'vllm')!.price.inputPerMillion).toBe(0.3);
    expect(registry.deployment('my-coder', 'ollama')).toMatchObject({
      upstreamModel: 'qwen2.5-coder:7b',
      tier: 1,
      price: { inputPerMillion: 0 },
    });
    expect(registry.referenceModel).toBe('claude-sonnet-4-20250514');
  });

  it('reports every broken reference with its config path', () => {
    const attempt = () =>
      buildModelRegistry(
        {
          reference_model: 'nope',
          models: {
            'new-model': { deployments: { x: { price: { input: 1, output: 1 } } } },
            'deepseek-chat': {
              deployments: { vllm: { price_as: { model: 'missing', provider: 'deepseek' } } },
            },
            'gpt-4o': {
              deployments: {
                a: { price_as: { provider: 'b' } },
                b: { price_as: { provider: 'a' } },
              },
            },
          },
        },
        { source: 'switchyard.yaml' },
      );
    expect(attempt).toThrow(CatalogError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as CatalogError).problems;
      expect((error as CatalogError).code).toBe('catalog_invalid');
      expect(problems).toContain(
        'catalog.models.new-model.tier: "new-model" is not a built-in model, so it needs a tier (1-4)',
      );
      expect(problems).toContain(
        'catalog.models.deepseek-chat.deployments.vllm.price_as: no deployment of "missing" on provider "deepseek"',
      );
      expect(
        problems.some((problem) =>
          problem.startsWith('catalog.models.gpt-4o.deployments.a.price_as: price references loop'),
        ),
      ).toBe(true);
      expect(problems).toContain('catalog.reference_model: no model named "nope"');
      expect((error as Error).message).toContain('switchyard.yaml');
    }
  });

  it('rejects schema violations with paths', () => {
    expect(() => buildModelRegistry({ models: { x: { tier: 7 } } })).toThrow(
      /catalog\.models\.x\.tier/,
    );
    expect(() =>
      buildModelRegistry({
        models: { 'gpt-4o': { deployments: { openai: { price: { input: -1 } } } } },
      }),
    ).toThrow(/never negative/);
    expect(() =>
      buildModelRegistry({
        models: {
          'gpt-4o': {
            deployments: { openai: { price: { input: 1 }, price_as: { provider: 'x' } } },
          },
        },
      }),
    ).toThrow(/either price or price_as/);
    expect(() => buildModelRegistry({ surprise: true })).toThrow(/catalog/);
  });

  it('applies overlays after the main section', () => {
    const registry = buildModelRegistry(
      { models: { 'gpt-4o': { deployments: { openai: { price: { input: 1, output: 2 } } } } } },
      {
        overlays: [
          { models: { 'gpt-4o': { deployments: { openai: { price: { input: 3, output: 4 } } } } } },
        ],
      },
    );
    expect(registry.deployment('gpt-4o', 'openai')!.price).toMatchObject({
      inputPerMillion: 3,
      outputPerMillion: 4,
    });
  });
});
