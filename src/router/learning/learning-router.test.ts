import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/load-config.js';
import { createPolicyRouter } from '../../app/create-policy-router.js';
import type { z } from 'zod';
import type { ConfigFile, configFileSchema } from '../../config/schema.js';
import { createSeededRandom } from '../../sim/hash-text.js';
import { chatRequest, fleetConfig, offlineAdapters } from '../../../test/helpers/router-fixture.js';
import type { PolicyRouter } from '../policy-router.js';
import { QualityModel } from './quality-model.js';

function router(
  routing?: ConfigInput['routing'],
  options: ConstructorParameters<typeof PolicyRouter>[2] = {},
): PolicyRouter {
  // Written as a config file is: parsed with the schema's defaults.
  const parsed =
    routing === undefined
      ? undefined
      : (parseConfigText(JSON.stringify({ routing }), 'test').routing as ConfigFile['routing']);
  const config = fleetConfig(parsed);
  return createPolicyRouter(config, offlineAdapters(config), options);
}

type ConfigInput = z.input<typeof configFileSchema>;

const CASCADE: ConfigInput['routing'] = {
  policies: {
    cascade: {
      type: 'cascade',
      rungs: [['qwen2.5-coder-7b-instruct'], ['deepseek-chat'], ['gpt-4.1']],
    },
  },
};

describe('auto on the learned quality model', () => {
  it('sends no trivial prompt to a reasoning model, whatever its keywords', () => {
    const auto = router();
    for (const prompt of [
      'Write a Python hello world',
      'Write a python function to identify non-prime numbers.',
      'Sort this list in Python',
    ]) {
      for (const name of ['auto', 'auto:cheap', 'auto:fast', 'auto:best']) {
        const plan = auto.plan(chatRequest(prompt, name));
        expect(plan.attempts[0]!.model.name, `${name}: ${prompt}`).not.toBe('deepseek-reasoner');
      }
    }
  });

  it('moves away from a model that keeps failing in the bucket, and explain shows the evidence', () => {
    const quality = new QualityModel();
    const auto = router(undefined, { quality, random: () => 0.5 });
    const prompt = 'Write a Python hello world';
    const before = auto.plan(chatRequest(prompt), { explain: true });
    const first = before.attempts[0]!.key;
    expect(before.bucket).toBe('python/general/s');
    for (let index = 0; index < 30; index++) quality.add(first, 'python/general/s', 0);
    const after = auto.plan(chatRequest(prompt), { explain: true });
    expect(after.attempts[0]!.key).not.toBe(first);
    const loser = after.candidates.find((candidate) => candidate.key === first)!;
    expect(loser.posterior!.evidence).toBe(30);
    expect(loser.posterior!.mean).toBeLessThan(0.2);
    expect(loser.reason).toContain('below the best');
    // A success record lifts a cheaper model into the margin of the best.
    const winner = after.candidates.find((candidate) => candidate.rank === 0)!;
    expect(winner.posterior!.evidence).toBe(0);
    expect(winner.posterior!.prior).toBeGreaterThan(0.5);
  });

  it('the floor is relative to the best candidate: all candidates weak means the best of them still qualifies', () => {
    const quality = new QualityModel();
    const auto = router(
      {
        policies: {
          auto: {
            type: 'cost-optimal',
            candidates: ['deepseek-chat', 'gpt-4.1'],
            quality_margin: 5,
          },
        },
      },
      { quality },
    );
    for (let index = 0; index < 50; index++) {
      quality.add('sim-deepseek/deepseek-chat', 'python/general/s', index < 10 ? 1 : 0);
      quality.add('sim-openai/gpt-4.1', 'python/general/s', index < 15 ? 1 : 0);
    }
    const plan = auto.plan(chatRequest('Write a Python hello world'), { explain: true });
    // 30% vs 20%: both far under any absolute floor; gpt-4.1 is the best, deepseek 10 points under it.
    expect(plan.attempts[0]!.model.name).toBe('gpt-4.1');
    expect(plan.candidates[0]!.reason).toContain('within 5 points of the best posterior');
  });

  it('calibrates the priors to the measured level: an untried model keeps its rank, not a figure from another scale', () => {
    const quality = new QualityModel();
    const candidates = ['qwen2.5-coder-7b-instruct', 'deepseek-chat', 'gpt-4.1'];
    const auto = router(
      { policies: { auto: { type: 'cost-optimal', candidates, quality_margin: 10 } } },
      { quality },
    );
    const request = chatRequest('Write a Python hello world');
    const before = auto.plan(request, { explain: true });
    const prior = (plan: typeof before, name: string) =>
      plan.candidates.find((candidate) => candidate.model === name)!.posterior!;
    // Two models measured 25 points under their registry figures, 400 outcomes each.
    for (const name of ['qwen2.5-coder-7b-instruct', 'deepseek-chat']) {
      const key = before.candidates.find((candidate) => candidate.model === name)!.key;
      const rate = prior(before, name).prior - 0.25;
      for (let index = 0; index < 400; index++)
        quality.add(key, 'python/general/s', index < rate * 400 ? 1 : 0);
    }
    const after = auto.plan(request, { explain: true });
    const untried = prior(after, 'gpt-4.1');
    expect(untried.evidence).toBe(0);
    expect(untried.priorOffset).toBeCloseTo(-0.25, 1);
    expect(untried.prior).toBeCloseTo(prior(before, 'gpt-4.1').prior - 0.25, 1);
    // Measured models are not calibrated by their own outcomes (only one other is measured).
    expect(prior(after, 'deepseek-chat').priorOffset).toBe(0);
    // The untried model still ranks above the measured ones, as its registry figure did.
    expect(untried.mean).toBeGreaterThan(prior(after, 'deepseek-chat').mean);
  });

  it('a cheaper candidate qualifies on its credible quality, not on a few lucky outcomes', () => {
    const quality = new QualityModel({ ...new QualityModel().settings, explorationShare: 0 });
    const auto = router(
      {
        policies: {
          auto: {
            type: 'cost-optimal',
            candidates: ['deepseek-chat', 'gpt-4.1'],
            quality_margin: 10,
          },
        },
      },
      { quality },
    );
    const request = chatRequest('Write a Python hello world');
    for (let index = 0; index < 200; index++)
      quality.add('sim-openai/gpt-4.1', 'python/general/s', index < 160 ? 1 : 0);
    // Two of three: its mean is within 10 points of gpt-4.1's 80, its credible quality is not.
    for (const score of [1, 1, 0])
      quality.add('sim-deepseek/deepseek-chat', 'python/general/s', score);
    const thin = auto.plan(request, { explain: true });
    const cheap = thin.candidates.find((candidate) => candidate.model === 'deepseek-chat')!;
    expect(cheap.posterior!.mean * 100).toBeGreaterThan(70);
    expect(thin.attempts[0]!.model.name).toBe('gpt-4.1');
    // Proven over 200 outcomes at 76%: now it qualifies, and it is cheaper.
    for (let index = 0; index < 200; index++)
      quality.add('sim-deepseek/deepseek-chat', 'python/general/s', index < 152 ? 1 : 0);
    expect(auto.plan(request).attempts[0]!.model.name).toBe('deepseek-chat');
  });

  it('explores thin candidates by Thompson draws, within the cost cap', () => {
    const quality = new QualityModel({
      ...new QualityModel().settings,
      explorationCostShare: 0.02,
    });
    const random = createSeededRandom(11).next;
    const auto = router(undefined, { quality, random });
    quality.add('sim-qwen/qwen2.5-coder-7b-instruct', 'python/general/s', 1);
    const leaders = new Set<string>();
    let explored = 0;
    for (let index = 0; index < 300; index++) {
      const plan = auto.plan(chatRequest('Write a Python hello world'));
      leaders.add(plan.attempts[0]!.key);
      if (plan.candidates[0]!.reason.startsWith('exploring')) explored++;
    }
    expect(explored).toBeGreaterThan(0);
    expect(leaders.size).toBeGreaterThan(1);
    const spend = quality.spend();
    expect(spend.explorationUsd).toBeLessThanOrEqual(0.02 * spend.plannedUsd + 1e-12);
  });
});

describe('cascade', () => {
  it('starts on the cheapest rung the quality model accepts and climbs per conversation', () => {
    const quality = new QualityModel();
    const cascade = router(CASCADE, { quality });
    const request = chatRequest('Write a Python hello world', 'cascade');
    const start = cascade.plan(request, { conversation: 'c1', explain: true });
    expect(start.attempts.map((target) => target.model.name)).toEqual([
      'qwen2.5-coder-7b-instruct',
      'deepseek-chat',
      'gpt-4.1',
    ]);
    expect(start.rung).toEqual({ index: 0, count: 3 });
    expect(start.summary).toMatch(/^cascade cascade rung-1 -> /);
    cascade.rungs.raise('c1', 'cascade', 1);
    const raised = cascade.plan(request, { conversation: 'c1', explain: true });
    expect(raised.attempts.map((target) => target.model.name)).toEqual([
      'deepseek-chat',
      'gpt-4.1',
      'qwen2.5-coder-7b-instruct',
    ]);
    expect(raised.candidates[0]!.reason).toContain('raised by a failure signal');
    // Another conversation is not affected; the top rung is the ceiling.
    expect(cascade.plan(request, { conversation: 'c2' }).rung!.index).toBe(0);
    cascade.rungs.raise('c1', 'cascade', 7);
    expect(cascade.plan(request, { conversation: 'c1' }).rung!.index).toBe(2);
  });

  it('skips a rung whose posterior is far below the best rung', () => {
    const quality = new QualityModel();
    const cascade = router(
      {
        policies: {
          cascade: { ...(CASCADE!.policies!.cascade as object), start_margin: 20 } as never,
        },
      },
      { quality },
    );
    for (let index = 0; index < 40; index++)
      quality.add('sim-qwen/qwen2.5-coder-7b-instruct', 'python/general/s', 0);
    const plan = cascade.plan(chatRequest('Write a Python hello world', 'cascade'));
    expect(plan.rung!.index).toBe(1);
  });

  it('forgets a raise after the TTL', () => {
    const cascade = router({ ...CASCADE, learning: { session_ttl_ms: 1_000 } });
    cascade.rungs.raise('c1', 'cascade', 2, 10_000);
    const request = chatRequest('Write a Python hello world', 'cascade');
    expect(cascade.plan(request, { conversation: 'c1', now: 10_500 }).rung!.index).toBe(2);
    expect(cascade.plan(request, { conversation: 'c1', now: 11_500 }).rung!.index).toBe(0);
  });
});
