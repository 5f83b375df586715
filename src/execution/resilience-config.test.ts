import { describe, expect, it } from 'vitest';
import { embeddedConfigFile } from '../config/load-config.js';
import { resolveConfig } from '../config/resolve-config.js';
import { configFileSchema } from '../config/schema.js';
import { RESILIENCE_DEFAULTS } from './resilience-config.js';

describe('the resilience config section', () => {
  it('defaults when absent, and resolves per-provider timeouts over the defaults', () => {
    expect(resolveConfig(embeddedConfigFile(), 'test', {}).resilience).toEqual(RESILIENCE_DEFAULTS);
    const file = configFileSchema.parse({
      ...embeddedConfigFile(),
      resilience: {
        timeouts: { idle_ms: 5000 },
        provider_timeouts: { 'sim-qwen': { first_token_ms: 2000 } },
        hedging: { mode: 'p95', models: ['x'] },
        structured_output: { mode: 'off' },
      },
    });
    const resilience = resolveConfig(file, 'test', {}).resilience;
    expect(resilience.providerTimeouts.get('sim-qwen')).toEqual({
      ...RESILIENCE_DEFAULTS.timeouts,
      idleMs: 5000,
      firstTokenMs: 2000,
    });
    expect(resilience.hedging).toMatchObject({ mode: 'p95', minSamples: 20 });
    expect(resilience.structuredOutput).toEqual({ mode: 'off' });
  });

  it('refuses unknown providers, unknown fields and inconsistent bounds with clear messages', () => {
    const file = configFileSchema.parse({
      ...embeddedConfigFile(),
      resilience: {
        provider_timeouts: { nope: { total_ms: 10 } },
        header_bounds: { min_ms: 500, max_ms: 100 },
      },
    });
    expect(() => resolveConfig(file, 'test', {})).toThrow(
      /resilience\.provider_timeouts\.nope: no provider named "nope"[\s\S]*header_bounds/,
    );
    expect(
      configFileSchema.safeParse({ resilience: { retries: { max_retries: 3 } } }).success,
    ).toBe(false);
    expect(
      configFileSchema.safeParse({ resilience: { hedging: { mode: 'always' } } }).success,
    ).toBe(false);
  });
});
