import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.js';
import { LatencyStats } from './latency-stats.js';
import { createPolicyRouter } from '../app/create-policy-router.js';
import type { PolicyRouter } from './policy-router.js';
import { chatRequest, fleetConfig, offlineAdapters } from '../../test/helpers/router-fixture.js';
import type { ConfigFile } from '../config/schema.js';

function router(
  routing?: ConfigFile['routing'],
  options: ConstructorParameters<typeof PolicyRouter>[2] = {},
  timeScale = 1,
): PolicyRouter {
  const config = fleetConfig(routing, timeScale);
  return createPolicyRouter(config, offlineAdapters(config), options);
}

/** The seed's example, exactly as docs/routing.md writes it. */
const SEED_YAML = `
routing:
  policies:
    auto:
      type: tiers
      tiers:
        small: [qwen2.5-coder-7b-instruct]
        medium: [deepseek-chat]
        large:
          deployments: [claude-3-5-haiku-20241022]
          latency_budget_ms: 20000
      rules:
        - when: { any: [{ prompt_tokens: { above: 2000 } }, { task: system-level }] }
          tier: large
        - when: { prompt_tokens: { below: 500 }, imports: none }
          tier: small
        - when: { prompt_tokens: { at_least: 500, at_most: 2000 }, imports: standard-library }
          tier: medium
      default_tier: medium
`;

describe('PolicyRouter: tiers', () => {
  const seeded = router(parseConfigText(SEED_YAML, 'seed').routing);
  const first = (text: string): string => seeded.plan(chatRequest(text)).attempts[0]!.key;

  it('routes the seed example as written', () => {
    expect(first('Rename this variable: x = 1')).toBe('sim-qwen/qwen2.5-coder-7b-instruct');
    const standardLibrary = `import os\nimport json\n${'x = os.path.join("a", "b")\n'.repeat(80)}Explain this.`;
    expect(first(standardLibrary)).toBe('sim-deepseek/deepseek-chat');
    expect(first(`Summarise:\n${'word '.repeat(2500)}`)).toBe(
      'sim-anthropic/claude-3-5-haiku-20241022',
    );
    expect(first('Resolve the dependency conflict in package.json')).toBe(
      'sim-anthropic/claude-3-5-haiku-20241022',
    );
  });

  it('explains the rule that picked the tier, falls back to stronger tiers, and applies the tier budget', () => {
    const plan = seeded.plan(chatRequest('Rename this variable: x = 1'));
    expect(plan).toMatchObject({ policy: 'tiers', tier: 'small' });
    expect(plan.attempts.map((target) => target.model.name)).toEqual([
      'qwen2.5-coder-7b-instruct',
      'deepseek-chat',
      'claude-3-5-haiku-20241022',
    ]);
    expect(plan.candidates[0]!.reason).toContain('rule 2: prompt_tokens below 500, imports none');
    expect(plan.candidates[1]!.reason).toContain('fallback tier medium');
    expect(plan.summary).toMatch(
      /^auto tiers tier small -> sim-qwen\/qwen2\.5-coder-7b-instruct \[/,
    );
    expect(seeded.plan(chatRequest('Fix the deadlock in this threaded code')).latencyBudgetMs).toBe(
      20_000,
    );
  });
});

describe('PolicyRouter: cost-optimal', () => {
  const builtin = router();

  it('picks the cheapest deployment that meets the floor: a 7B coder for naming, a stronger model for hard work', () => {
    const easy = builtin.plan(chatRequest('Suggest a better name for this variable'));
    expect(easy.attempts[0]!.key).toBe('sim-qwen/qwen2.5-coder-7b-instruct');
    const hard = builtin.plan(
      chatRequest(
        'Fix the race condition in this concurrent Go code: package main\nimport "github.com/x/y"\nfunc main() { go func() {}() }',
      ),
    );
    expect(hard.attempts[0]!.model.name).not.toBe('qwen2.5-coder-7b-instruct');
    const winner = hard.candidates.find((candidate) => candidate.rank === 0)!;
    const best = Math.max(...hard.candidates.map((candidate) => candidate.score ?? 0));
    expect(winner.score).toBeGreaterThanOrEqual(best - 10);
    const cheaperLosers = hard.candidates.filter(
      (candidate) => (candidate.predictedCostUsd ?? 1) < winner.predictedCostUsd!,
    );
    expect(cheaperLosers.length).toBeGreaterThan(0);
    for (const loser of cheaperLosers)
      expect(loser.reason).toMatch(/more than 10 points below the best|held back/);
  });

  it('honours quality overrides from config', () => {
    const overridden = router({
      quality: { 'qwen2.5-coder-7b-instruct': { default: 99, hard: 99 } },
    });
    expect(
      overridden.plan(chatRequest('Fix the race condition in this concurrent code')).attempts[0]!
        .model.name,
    ).toBe('qwen2.5-coder-7b-instruct');
  });

  it('prices the cacheable prefix of a conversation at the cached-input price where there is one', () => {
    const long = 'y'.repeat(40_000);
    const conversation = chatRequest('and now?', 'deepseek-chat');
    conversation.messages = [
      { role: 'user', content: [{ type: 'text', text: long }] },
      { role: 'assistant', content: 'ok' },
      ...conversation.messages,
    ];
    const cached = builtin.plan(conversation, { explain: true }).candidates[0]!.predictedCostUsd!;
    const fresh = builtin.plan(chatRequest(`${long}ok and now?`, 'deepseek-chat'), {
      explain: true,
    }).candidates[0]!.predictedCostUsd!;
    expect(cached).toBeLessThan(fresh / 2);
  });

  it('plans a single-deployment model without evaluating it, unless asked to explain', () => {
    const quick = builtin.plan(chatRequest('Write a docstring', 'deepseek-chat'));
    expect(quick.attempts.map((target) => target.key)).toEqual(['sim-deepseek/deepseek-chat']);
    expect(quick.features).toBeUndefined();
    expect(quick.candidates[0]!.reason).toBe('won: the only deployment');
    const explained = builtin.plan(chatRequest('Write a docstring', 'deepseek-chat'), {
      explain: true,
    });
    expect(explained.attempts).toEqual(quick.attempts);
    expect(explained.features).toBeDefined();
    expect(explained.candidates[0]!.predictedCostUsd).toBeGreaterThan(0);
  });

  it('ranks by latency for auto:fast and by quality for auto:best', () => {
    const fast = builtin.plan(chatRequest('Write a docstring'), {});
    expect(fast.attempts[0]).toBeDefined();
    const quick = builtin.plan(chatRequest('Write a docstring', 'auto:fast'));
    const qualifying = quick.candidates.filter((candidate) =>
      candidate.reason.includes('within 10'),
    );
    const fastest = Math.min(...qualifying.map((candidate) => candidate.predictedLatencyMs!));
    expect(quick.candidates[0]!.predictedLatencyMs).toBe(fastest);
    expect(qualifying.length).toBeGreaterThan(1);
    // Easy work: the reasoning model is held back even for auto:best; hard work goes to it.
    const easyBest = builtin.plan(chatRequest('Write a docstring', 'auto:best'));
    expect(easyBest.attempts[0]!.key).not.toBe('sim-deepseek/deepseek-reasoner');
    expect(
      easyBest.candidates.find((candidate) => candidate.model === 'deepseek-reasoner')!.reason,
    ).toContain('reasoning model held back');
    const hardBest = builtin.plan(
      chatRequest(
        'Fix the race condition and the deadlock in this distributed lock manager with third-party imports: import requests',
        'auto:best',
      ),
    );
    expect(hardBest.attempts[0]!.key).toBe('sim-deepseek/deepseek-reasoner');
  });

  it('drops deployments that cannot serve the request and says why', () => {
    const plan = builtin.plan({
      kind: 'completion',
      model: 'auto',
      stream: false,
      prompt: ['def f(x):\n    '],
      suffix: '\n    return y',
    });
    const mini = plan.candidates.find((candidate) => candidate.model === 'gpt-4o-mini')!;
    expect(mini.rank ?? 'none').toBe('none');
    expect(mini.reason).toBe('dropped: no fill-in-the-middle');
    expect(plan.attempts.some((target) => target.model.name === 'gpt-4o-mini')).toBe(false);
    const contextless = builtin.plan(chatRequest('z'.repeat(600_000)));
    expect(
      contextless.candidates.find((candidate) => candidate.model === 'deepseek-chat')!.reason,
    ).toContain('context window');
    expect(contextless.attempts.every((target) => target.model.name !== 'deepseek-chat')).toBe(
      true,
    );
  });
});

describe('PolicyRouter: weighted', () => {
  const routing: ConfigFile['routing'] = {
    policies: {
      ab: {
        type: 'weighted',
        split: 'request-id',
        latency_budget_mode: 'demote',
        arms: [
          { deployments: ['deepseek-chat'], weight: 3, label: 'control' },
          { deployments: ['gpt-4o-mini'], weight: 1, label: 'candidate' },
        ],
      },
    },
  };

  it('splits by request id deterministically and in proportion to the weights', () => {
    const split = router(routing);
    const arm = (id: string): string =>
      split.plan(chatRequest('hi', 'ab'), { requestId: id }).tier!;
    expect(arm('request-42')).toBe(arm('request-42'));
    let control = 0;
    for (let index = 0; index < 4000; index++) if (arm(`id-${index}`) === 'control') control++;
    expect(control / 4000).toBeGreaterThan(0.7);
    expect(control / 4000).toBeLessThan(0.8);
    const plan = split.plan(chatRequest('hi', 'ab'), { requestId: 'x' });
    expect(plan.attempts).toHaveLength(2);
  });

  it('draws at random with split: random', () => {
    const draws = [0.1, 0.9];
    const arms = [
      { deployments: ['deepseek-chat'], weight: 3, label: 'control' },
      { deployments: ['gpt-4o-mini'], weight: 1, label: 'candidate' },
    ];
    const random = router(
      {
        policies: {
          ab: { type: 'weighted', split: 'random', latency_budget_mode: 'demote', arms },
        },
      },
      { random: () => draws.shift()! },
    );
    expect(random.plan(chatRequest('hi', 'ab')).tier).toBe('control');
    expect(random.plan(chatRequest('hi', 'ab')).tier).toBe('candidate');
  });
});

describe('PolicyRouter: models, health and latency', () => {
  it('routes a model name across its deployments, cheapest first, and an alias the same way', () => {
    const config = fleetConfig({ aliases: { fast: 'deepseek-chat' } });
    config.models.get('deepseek-chat')!.deployments.unshift({
      provider: 'sim-openai',
      upstreamModel: 'deepseek-chat',
      price: { inputPerMillion: 5, outputPerMillion: 5, source: 'test' },
    });
    const direct = createPolicyRouter(config, offlineAdapters(config));
    const plan = direct.plan(chatRequest('hi', 'deepseek-chat'));
    expect(plan.attempts.map((target) => target.key)).toEqual([
      'sim-deepseek/deepseek-chat',
      'sim-openai/deepseek-chat',
    ]);
    expect(plan).toMatchObject({
      policy: 'direct',
      summary: 'sim-deepseek/deepseek-chat (+1 fallback)',
    });
    expect(direct.plan(chatRequest('hi', 'fast')).summary).toBe(
      'alias fast -> sim-deepseek/deepseek-chat (+1 fallback)',
    );
    expect(() => direct.plan(chatRequest('hi', 'nope'))).toThrow(
      expect.objectContaining({ code: 'model_not_found' }),
    );
    // Only a choice between deployments (or a policy) can turn on where a session is warm.
    expect(direct.weighsSession('deepseek-chat')).toBe(true);
    expect(direct.weighsSession('fast')).toBe(true);
    expect(direct.weighsSession('auto')).toBe(true);
    expect(direct.weighsSession('qwen2.5-coder-7b-instruct')).toBe(false);
    expect(direct.weighsSession('nope')).toBe(false);
  });

  it('puts deployments the health check marks unavailable last', () => {
    const unhealthy = router(undefined, {
      health: { available: (key) => key !== 'sim-qwen/qwen2.5-coder-7b-instruct' },
    });
    const plan = unhealthy.plan(chatRequest('Suggest a better name for this variable'));
    expect(plan.attempts[0]!.key).not.toBe('sim-qwen/qwen2.5-coder-7b-instruct');
    expect(plan.attempts.at(-1)!.key).toBe('sim-qwen/qwen2.5-coder-7b-instruct');
    expect(
      plan.candidates.find((candidate) => candidate.key === 'sim-qwen/qwen2.5-coder-7b-instruct')!
        .reason,
    ).toContain('unavailable');
  });

  it('demotes deployments predicted to miss the latency budget, or removes them', () => {
    const stats = new LatencyStats({ explorationShare: 0 });
    const demoting = router(undefined, { stats });
    for (let index = 0; index < 5; index++)
      stats.observe({
        key: 'sim-qwen/qwen2.5-coder-7b-instruct',
        ok: true,
        firstTokenMs: 5_000,
        durationMs: 6_000,
        outputTokens: 100,
      });
    const plan = demoting.plan(chatRequest('Suggest a better name for this variable'), {
      latencyBudgetMs: 2_000,
    });
    expect(plan.attempts[0]!.key).not.toBe('sim-qwen/qwen2.5-coder-7b-instruct');
    const qwen = plan.candidates.find(
      (candidate) => candidate.key === 'sim-qwen/qwen2.5-coder-7b-instruct',
    )!;
    expect(qwen.reason).toMatch(/predicted \d+ ms misses the 2000 ms budget: demoted/);
    expect(plan.latencyBudgetMs).toBe(2_000);
    const removing = router(
      {
        policies: {
          auto: {
            type: 'cost-optimal',
            quality_floor: 70,
            quality_margin: 5,
            rank_by: 'cost',
            latency_budget_ms: 2_000,
            latency_budget_mode: 'remove',
          },
        },
      },
      { stats },
    );
    const removed = removing.plan(chatRequest('Suggest a better name for this variable'));
    expect(
      removed.attempts.some((target) => target.key === 'sim-qwen/qwen2.5-coder-7b-instruct'),
    ).toBe(false);
    expect(
      removed.candidates.find(
        (candidate) => candidate.key === 'sim-qwen/qwen2.5-coder-7b-instruct',
      )!.reason,
    ).toContain('removed');
  });

  it('explores an unmeasured deployment in a bounded share of latency-sensitive plans, one probe at a time', () => {
    const stats = new LatencyStats({ explorationShare: 0.1, minSamples: 3 });
    const exploring = router(undefined, { stats });
    const measured = ['sim-qwen/qwen2.5-coder-7b-instruct'];
    for (const key of measured)
      for (let index = 0; index < 3; index++)
        stats.observe({ key, ok: true, firstTokenMs: 50, durationMs: 300, outputTokens: 50 });
    const leaders: string[] = [];
    for (let index = 0; index < 100; index++)
      leaders.push(
        exploring.plan(chatRequest('Suggest a better name for this variable', 'auto:fast'))
          .attempts[0]!.key,
      );
    const explored = leaders.filter((key) => key !== 'sim-qwen/qwen2.5-coder-7b-instruct');
    expect(explored.length).toBeGreaterThan(0);
    expect(explored.length).toBeLessThanOrEqual(10);
    expect(new Set(explored).size).toBe(explored.length);
    // Without a latency budget or latency ranking, cost decides and nothing is explored.
    for (let index = 0; index < 40; index++)
      expect(
        exploring.plan(chatRequest('Suggest a better name for this variable')).attempts[0]!.key,
      ).toBe('sim-qwen/qwen2.5-coder-7b-instruct');
  });
});

describe('PolicyRouter: alias patterns', () => {
  const embedded = createPolicyRouter(fleetConfig(), offlineAdapters(fleetConfig()));

  it('routes the names Claude Code and Codex CLI send by default through auto', () => {
    for (const name of [
      'claude-opus-4-8',
      'claude-sonnet-5',
      'claude-sonnet-4-5-20250929',
      'claude-haiku-4-5-20251001',
      'gpt-5',
      'gpt-5-codex',
      'gpt-5.1-codex-max',
    ]) {
      const plan = embedded.plan(
        chatRequest('Write a Python function that reverses a string', name),
      );
      expect(plan.policy, name).toBe('cost-optimal');
      expect(plan.summary, name).toMatch(
        new RegExp(`^${name.replace(/\./g, '\\.')} = auto cost-optimal -> `),
      );
    }
  });

  it('serves an exact model name even when a pattern also matches it', () => {
    const plan = embedded.plan(chatRequest('hi', 'claude-sonnet-4-20250514'));
    expect(plan.policy).toBe('direct');
    expect(plan.attempts[0]!.key).toBe('sim-anthropic/claude-sonnet-4-20250514');
  });

  it('routes a pattern pointing at a model as that model, and auto as the default model without an auto policy', () => {
    const config = fleetConfig({
      default_model: 'gpt-4o-mini',
      aliases: { 'claude-*': 'auto', 'my-*': 'deepseek-chat' },
    });
    const pinned = createPolicyRouter(config, offlineAdapters(config));
    expect(pinned.plan(chatRequest('hi', 'claude-opus-4-8')).attempts[0]!.key).toBe(
      'sim-openai/gpt-4o-mini',
    );
    expect(pinned.plan(chatRequest('hi', 'my-model')).attempts[0]!.key).toBe(
      'sim-deepseek/deepseek-chat',
    );
    expect(() => pinned.plan(chatRequest('hi', 'gpt-5'))).toThrow(
      expect.objectContaining({ code: 'model_not_found' }),
    );
  });
});

describe('PolicyRouter: output limits', () => {
  const limited = (maxTokens: number): ReturnType<typeof chatRequest> => ({
    ...chatRequest('Write a Python function that reverses a string'),
    maxTokens,
  });

  it('ranks deployments whose max output is below max_tokens after those that fit, largest limit first, and says so', () => {
    const config = fleetConfig();
    const plan = createPolicyRouter(config, offlineAdapters(config)).plan(limited(32_000), {
      explain: true,
    });
    const firstShort = plan.candidates.findIndex(
      (candidate) => candidate.maxTokensClampedTo !== undefined,
    );
    expect(firstShort).toBeGreaterThan(0);
    expect(
      plan.candidates
        .slice(0, firstShort)
        .every((candidate) => candidate.maxTokensClampedTo === undefined),
    ).toBe(true);
    expect(
      plan.candidates
        .slice(firstShort)
        .filter((candidate) => candidate.rank !== undefined)
        .every((candidate) => candidate.maxTokensClampedTo !== undefined),
    ).toBe(true);
    const short = plan.candidates.find(
      (candidate) => candidate.key === 'sim-deepseek/deepseek-chat',
    )!;
    expect(short.maxTokensClampedTo).toBe(8_192);
    expect(short.reason).toContain('max output 8192 < max_tokens');
    expect(
      plan.attempts.find((target) => target.key === 'sim-deepseek/deepseek-chat')!.clampOutputTo,
    ).toBe(8_192);
  });

  it('with routing.output_limit: strict, drops them instead', () => {
    const config = fleetConfig({ output_limit: 'strict' });
    const plan = createPolicyRouter(config, offlineAdapters(config)).plan(limited(32_000), {
      explain: true,
    });
    expect(plan.attempts.map((target) => target.key)).not.toContain('sim-deepseek/deepseek-chat');
    expect(
      plan.candidates.find((candidate) => candidate.key === 'sim-deepseek/deepseek-chat')!.reason,
    ).toContain('routing.output_limit: strict');
    expect(plan.attempts.every((target) => target.clampOutputTo === undefined)).toBe(true);
  });

  it('leaves the order alone when max_tokens fits everywhere', () => {
    const config = fleetConfig();
    const plan = createPolicyRouter(config, offlineAdapters(config)).plan(limited(1_000), {
      explain: true,
    });
    expect(plan.candidates.every((candidate) => candidate.maxTokensClampedTo === undefined)).toBe(
      true,
    );
  });
});
