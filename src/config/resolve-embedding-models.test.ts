import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/config-error.js';
import { parseConfigText } from './load-config.js';
import { resolveConfig } from './resolve-config.js';

const ENV = { OPENAI_API_KEY: 'sk-o', ANTHROPIC_API_KEY: 'sk-a', MISTRAL_API_KEY: 'sk-m' };

function resolveYaml(text: string) {
  return resolveConfig(parseConfigText(text, 'test.yaml'), 'test.yaml', ENV);
}

function problemsOf(text: string): string[] {
  try {
    resolveYaml(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('embedding models in config', () => {
  it('recognises catalog embedding models (by name or upstream name) and explicit kind, keeps them out of chat models and aliases, and prices them', () => {
    const config = resolveYaml(`
providers:
  openai: { preset: openai }
  mistral: { preset: mistral }
  local: { type: openai-compatible, base_url: http://127.0.0.1:9000/v1 }
models:
  gpt-4.1-mini: { deployments: [{ provider: openai }] }
  text-embedding-3-small: { deployments: [{ provider: openai }] }
  embed-fr: { deployments: [{ provider: mistral, model: mistral-embed }] }
  house-embedder: { kind: embedding, deployments: [{ provider: local, model: my-embedder }] }
routing:
  aliases: { small-embed: text-embedding-3-small, chat: gpt-4.1-mini }
`);
    expect([...config.models.keys()]).toEqual(['gpt-4.1-mini']);
    expect([...config.embeddingModels.keys()]).toEqual([
      'text-embedding-3-small',
      'embed-fr',
      'house-embedder',
    ]);
    expect(Object.fromEntries(config.embeddingAliases)).toEqual({
      'small-embed': 'text-embedding-3-small',
    });
    expect(config.aliases.get('chat')).toBe('gpt-4.1-mini');
    expect(config.aliases.has('small-embed')).toBe(false);
    expect(
      config.embeddingModels.get('text-embedding-3-small')!.deployments[0]!.price,
    ).toMatchObject({ inputPerMillion: 0.02, outputPerMillion: 0 });
    expect(config.embeddingModels.get('embed-fr')!.deployments[0]!.price).toMatchObject({
      inputPerMillion: 0.1,
    });
    expect(config.catalogWarnings.join('\n')).toContain('house-embedder');
  });

  it('reports an embedding model on an Anthropic provider and an embedding default model', () => {
    const problems = problemsOf(`
providers:
  anthropic: { preset: anthropic }
  openai: { preset: openai }
models:
  gpt-4.1-mini: { deployments: [{ provider: openai }] }
  claude-embed: { kind: embedding, deployments: [{ provider: anthropic }] }
routing:
  default_model: claude-embed
`);
    expect(problems.join('\n')).toContain(
      'models.claude-embed.deployments[0].provider: "anthropic" speaks anthropic, which has no embeddings',
    );
    expect(problems.join('\n')).toContain(
      'routing.default_model: "claude-embed" is an embedding model',
    );
  });

  it('serves the simulated embedding models in the embedded defaults, never as chat', () => {
    const config = resolveConfig(
      {
        simulator: { enabled: true },
        providers: { 'sim-openai': { type: 'simulated' } },
        models: {
          'gpt-4o-mini': { deployments: [{ provider: 'sim-openai' }] },
          'text-embedding-3-small': { deployments: [{ provider: 'sim-openai' }] },
        },
      },
      'test',
      {},
    );
    expect(config.embeddingModels.has('text-embedding-3-small')).toBe(true);
    expect(config.models.has('text-embedding-3-small')).toBe(false);
  });
});
