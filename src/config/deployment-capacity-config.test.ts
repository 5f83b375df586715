import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../core/config-error.js';
import { parseConfigText } from './load-config.js';
import { resolveConfig } from './resolve-config.js';

const resolve = (models: string) =>
  resolveConfig(
    parseConfigText(
      `simulator: { enabled: true }\nproviders: { box: { type: simulated, fleet_provider: sim-qwen }, sim-qwen: { type: simulated } }\nmodels:\n${models}`,
      'x.yaml',
    ),
    'x.yaml',
    {},
  );

describe('a self-hosted deployment in config', () => {
  it('carries its capacity and hourly cost, with a zero per-token price', () => {
    const config = resolve(
      '  qwen2.5-coder-7b-instruct: { deployments: [{ provider: box, capacity: { max_concurrency: 4, max_queue_ms: 250 }, hourly_usd: 1.332 }, { provider: sim-qwen }] }\n',
    );
    const [box, api] = config.models.get('qwen2.5-coder-7b-instruct')!.deployments;
    expect(box).toMatchObject({
      capacity: { maxConcurrency: 4, maxQueueMs: 250 },
      hourlyUsd: 1.332,
      price: { inputPerMillion: 0, outputPerMillion: 0 },
    });
    expect(box!.price!.source).toContain('hourly_usd 1.332');
    expect(api!.price!.outputPerMillion).toBeGreaterThan(0);
    expect(api!.capacity).toBeUndefined();
  });

  it('refuses an hourly cost without a capacity, and a capacity of zero, by name', () => {
    let problems: string[] = [];
    try {
      resolve('  qwen2.5-coder-7b-instruct: { deployments: [{ provider: box, hourly_usd: 2 }] }\n');
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems.join('\n')).toContain(
      'models.qwen2.5-coder-7b-instruct.deployments[0].hourly_usd: an hourly cost needs a capacity',
    );
    expect(() =>
      resolve(
        '  qwen2.5-coder-7b-instruct: { deployments: [{ provider: box, capacity: { max_concurrency: 0 } }] }\n',
      ),
    ).toThrow(/max_concurrency/);
  });
});
