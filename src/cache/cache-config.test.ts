import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/config-error.js';
import { embeddedConfigFile, parseConfigText, redactedConfig } from '../config/load-config.js';
import { resolveConfig } from '../config/resolve-config.js';

function resolveWith(yaml: string, environment: Record<string, string> = {}) {
  const file = { ...embeddedConfigFile(), ...parseConfigText(yaml, 'test.yaml') };
  return resolveConfig(file, 'test.yaml', environment);
}

describe('cache and batching config', () => {
  it('defaults to an in-memory cache, on, 5 minutes, any temperature, shared, single-flight; no batching', () => {
    const config = resolveWith('{}');
    expect(config.cache).toMatchObject({
      policy: { enabled: true, ttlMs: 300_000, when: 'always' },
      scope: 'shared',
      singleFlight: true,
      store: { type: 'memory', maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 },
    });
    expect(config.batching.deployments.size).toBe(0);
  });

  it('reads the Redis URL from the environment and redacts its password when printed', () => {
    const config = resolveWith('cache: { store: { type: redis, key_prefix: "sy:" } }', {
      REDIS_URL: 'redis://:hunter2@cache.internal:6379',
    });
    expect(config.cache.store).toMatchObject({
      type: 'redis',
      url: 'redis://:hunter2@cache.internal:6379',
      keyPrefix: 'sy:',
      timeoutMs: 50,
    });
    expect(JSON.stringify(redactedConfig(config))).not.toContain('hunter2');
  });

  it('reports a missing Redis URL, an unknown batching deployment and bad values', () => {
    expect(() => resolveWith('cache: { store: { type: redis } }')).toThrow(/REDIS_URL/);
    expect(() =>
      resolveWith('batching: { deployments: { nowhere/model: { window_ms: 5 } } }'),
    ).toThrow(ConfigError);
    expect(() => parseConfigText('cache: { ttl_seconds: 0 }', 't')).toThrow(/ttl_seconds/);
    expect(() => parseConfigText('cache: { when: sometimes }', 't')).toThrow(/when/);
    expect(() => parseConfigText('cache: { store: { type: disk } }', 't')).toThrow(/store/);
  });

  it('resolves per-model and per-key overrides and batching windows', () => {
    const config = resolveWith(
      'cache: { models: { auto: { when: temperature_zero } }, keys: { key_a: { ttl_seconds: 60 } } }\nbatching: { deployments: { sim-qwen/qwen2.5-coder-7b-instruct: { max_prompts: 4 } } }',
    );
    expect(config.cache.models.get('auto')).toEqual({ when: 'temperature_zero' });
    expect(config.cache.keys.get('key_a')).toEqual({ ttlMs: 60_000 });
    expect(config.batching.deployments.get('sim-qwen/qwen2.5-coder-7b-instruct')).toEqual({
      windowMs: 5,
      maxPrompts: 4,
    });
  });
});
