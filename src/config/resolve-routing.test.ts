import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/config-error.js';
import { embeddedConfigFile, parseConfigText } from './load-config.js';
import { resolveConfig } from './resolve-config.js';

function problems(routingYaml: string): string[] {
  try {
    const parsed = parseConfigText(routingYaml, 'test.yaml');
    resolveConfig({ ...embeddedConfigFile(), ...parsed }, 'test.yaml', {});
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('routing config validation', () => {
  it('accepts the built-in policies and lists them', () => {
    const config = resolveConfig(embeddedConfigFile(), 'embedded', {});
    expect([...config.routing.policies.keys()]).toEqual([
      'auto',
      'auto:cheap',
      'auto:fast',
      'auto:best',
    ]);
    expect(config.routing.builtinPolicies).toBe(true);
  });

  it('lets default_model pin auto to one model', () => {
    const config = resolveConfig(
      { ...embeddedConfigFile(), routing: { default_model: 'gpt-4o-mini' } },
      'test',
      {},
    );
    expect(config.routing.policies.has('auto')).toBe(false);
    expect(config.aliases.get('auto')).toBe('gpt-4o-mini');
    expect(config.routing.policies.has('auto:cheap')).toBe(true);
  });

  it('names unknown models, deployments and tiers, all at once', () => {
    const found = problems(`
routing:
  policies:
    auto:
      type: tiers
      tiers: { small: [no-such-model], big: [sim-nowhere/deepseek-chat, deepseek-chat] }
      rules: [{ when: { task: naming }, tier: tiny }]
      default_tier: huge
    ab:
      type: weighted
      arms: [{ deployments: [ghost], weight: 1 }]
    deepseek-chat: { type: cost-optimal }
  quality: { phantom: { python: 80 } }
`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'routing.policies.auto.tiers.small[0]: no model or provider/model deployment named "no-such-model"',
        ),
        expect.stringContaining(
          'routing.policies.auto.tiers.big[0]: no model or provider/model deployment named "sim-nowhere/deepseek-chat"',
        ),
        expect.stringContaining(
          'routing.policies.auto.rules[0].tier: no tier named "tiny" (tiers: small, big)',
        ),
        expect.stringContaining('routing.policies.auto.default_tier: no tier named "huge"'),
        expect.stringContaining(
          'routing.policies.ab.arms[0].deployments[0]: no model or provider/model deployment named "ghost"',
        ),
        expect.stringContaining(
          'routing.policies.deepseek-chat: "deepseek-chat" is already a model name',
        ),
        expect.stringContaining('routing.quality.phantom: no configured model named "phantom"'),
      ]),
    );
  });

  it('rejects an unknown policy type, an unknown feature and a bad range with the path named', () => {
    expect(problems('routing: { policies: { auto: { type: smartest } } }').join('\n')).toContain(
      'routing.policies.auto.type',
    );
    expect(
      problems(
        'routing: { policies: { auto: { type: tiers, tiers: { a: [deepseek-chat] }, rules: [{ when: { mood: happy }, tier: a }] } } }',
      ).join('\n'),
    ).toMatch(/routing\.policies\.auto\.rules\.0\.when.*mood/);
    expect(
      problems(
        'routing: { policies: { auto: { type: tiers, tiers: { a: [deepseek-chat] }, rules: [{ when: { prompt_tokens: {} }, tier: a }] } } }',
      ).join('\n'),
    ).toContain('a range needs at least one of');
    expect(
      problems('routing: { policies: { auto: { type: weighted, arms: [] } } }').join('\n'),
    ).toContain('at least one arm');
  });

  it('rejects a policy name that is also an alias', () => {
    expect(
      problems(
        'routing: { aliases: { fast: deepseek-chat }, policies: { fast: { type: cost-optimal } } }',
      ).join('\n'),
    ).toContain('"fast" is also an alias in routing.aliases');
  });
});

describe('routing.aliases patterns', () => {
  it('accepts glob aliases pointing at models and policies, and reports every bad one at once', () => {
    const reported = problems(
      'routing: { aliases: { "claude-*": auto, "gpt-5*": nope, "*": auto, "x-[ab]": deepseek-chat, "deepseek-chat": auto } }',
    );
    expect(reported.join('\n')).toContain(
      'routing.aliases.gpt-5*: no model or routing policy named "nope"',
    );
    expect(reported.join('\n')).toContain(
      'routing.aliases.*: "*": a pattern needs at least one literal character',
    );
    expect(reported.join('\n')).toContain(
      'routing.aliases.x-[ab]: "x-[ab]": only * and ? are pattern characters',
    );
    expect(reported.join('\n')).toContain(
      'routing.aliases.deepseek-chat: "deepseek-chat" is already a model name',
    );
    expect(reported.join('\n')).not.toContain('claude-*');
  });

  it("embeds the agent CLIs' default model names as patterns routed by auto", () => {
    const config = resolveConfig(embeddedConfigFile(), 'embedded', {});
    const patterns = config.aliasPatterns.map((pattern) => pattern.pattern);
    expect(patterns).toEqual(
      expect.arrayContaining(['claude-opus-*', 'claude-sonnet-*', 'claude-haiku-*', 'gpt-5*']),
    );
    expect(config.aliasPatterns.every((pattern) => pattern.target === 'auto')).toBe(true);
  });

  it('lets a pattern point at auto when default_model replaces the auto policy', () => {
    const config = resolveConfig(
      {
        ...embeddedConfigFile(),
        routing: { default_model: 'gpt-4o-mini', aliases: { 'claude-*': 'auto' } },
      },
      'test',
      {},
    );
    expect(config.aliasPatterns[0]).toMatchObject({ pattern: 'claude-*', target: 'auto' });
  });
});

describe('routing.cache_affinity', () => {
  it('is on for 5 minutes by default; enabled and ttl_ms are read and checked', () => {
    const defaults = resolveConfig(embeddedConfigFile(), 'embedded', {});
    expect(defaults.routing.cacheAffinity).toEqual({ enabled: true, ttlMs: 300_000 });
    const parsed = parseConfigText(
      'routing:\n  cache_affinity: { enabled: false, ttl_ms: 60000 }\n',
      'test.yaml',
    );
    const off = resolveConfig({ ...embeddedConfigFile(), ...parsed }, 'test.yaml', {});
    expect(off.routing.cacheAffinity).toEqual({ enabled: false, ttlMs: 60_000 });
    expect(problems('routing:\n  cache_affinity: { ttl_ms: 10 }\n').join('\n')).toMatch(
      /cache_affinity\.ttl_ms/,
    );
    expect(problems('routing:\n  cache_affinity: { sticky: true }\n').join('\n')).toMatch(
      /cache_affinity/,
    );
  });
});
