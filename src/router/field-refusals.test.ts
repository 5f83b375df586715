import { describe, expect, it } from 'vitest';
import { createPolicyRouter } from '../app/create-policy-router.js';
import type { ChatRequest } from '../core/request.js';
import type { RoutePlan } from '../core/route.js';
import { upstreamRefusals } from '../dialects/field-policy.js';
import { CHAT_FIELD_POLICY } from '../dialects/openai/chat-field-policy.js';
import { chatRequest, fleetConfig, offlineAdapters } from '../../test/helpers/router-fixture.js';
import { explainPlan } from './explain-plan.js';

const config = fleetConfig();
const router = createPolicyRouter(config, offlineAdapters(config));

/** Planned as the route stage plans it: with the chat field policy's refusals per adapter. */
function plan(request: ChatRequest, explain = true): RoutePlan {
  const refusals = upstreamRefusals(CHAT_FIELD_POLICY, request);
  return router.plan(request, { explain, ...(refusals ? { refusedFields: refusals } : {}) });
}

const PROMPT = 'Write a Python function that parses ISO dates and explain the edge cases';

describe('routing around fields a wire refuses', () => {
  it('ranks the deployments whose wire refuses a field of the request after every one that takes it, and says which field', () => {
    // Only the simulated OpenAI takes `verbosity`; without it, auto's cheapest pick is another model.
    expect(
      router.plan(chatRequest(PROMPT), { explain: true }).attempts[0]!.deployment.provider,
    ).not.toBe('sim-openai');
    const planned = plan(chatRequest(PROMPT, 'auto', { verbosity: 'low' }));
    const providers = planned.attempts.map((target) => target.deployment.provider);
    const firstRefusing = providers.findIndex((provider) => provider !== 'sim-openai');
    expect(firstRefusing).toBeGreaterThan(0);
    expect(providers.slice(firstRefusing).every((provider) => provider !== 'sim-openai')).toBe(
      true,
    );
    for (const candidate of planned.candidates) {
      if (candidate.provider === 'sim-openai') expect(candidate.refusedFields).toBeUndefined();
      else {
        expect(candidate.refusedFields).toEqual(['verbosity']);
        expect(candidate.reason).toContain(
          'its wire refuses `verbosity`: ranked after the deployments that take the request',
        );
      }
    }
    const explained = explainPlan(planned).candidates;
    expect(
      explained.find((candidate) => candidate.provider === 'sim-anthropic')!.refused_fields,
    ).toEqual(['verbosity']);
    expect(explained[0]!.refused_fields).toBeUndefined();
  });

  it('names every refused field, by wire and quirk', () => {
    const planned = plan(
      chatRequest(PROMPT, 'auto', { presencePenalty: 0.5, logprobs: true, verbosity: 'low' }),
    );
    const of = (provider: string) =>
      planned.candidates.find((candidate) => candidate.provider === provider)!.refusedFields;
    expect(of('sim-anthropic')).toEqual(['presence_penalty', 'logprobs', 'verbosity']);
    expect(of('sim-deepseek')).toEqual(['verbosity']);
    expect(of('sim-openai')).toBeUndefined();
  });

  it('keeps the refusing deployments as the last attempts, so a request no wire takes gets the 400 naming the field', () => {
    const planned = plan(chatRequest(PROMPT, 'claude-sonnet-4-20250514', { presencePenalty: 1 }));
    expect(planned.attempts.map((target) => target.key)).toEqual([
      'sim-anthropic/claude-sonnet-4-20250514',
    ]);
    expect(planned.candidates[0]!.refusedFields).toEqual(['presence_penalty']);
  });

  it('judges the quality margin among the deployments that take the request', () => {
    // Claude Sonnet scores best but refuses presence_penalty: the margin is the best of the others'.
    const tuned = fleetConfig({
      quality: { 'claude-sonnet-4-20250514': { default: 99, hard: 99 } },
    });
    const tunedRouter = createPolicyRouter(tuned, offlineAdapters(tuned));
    const request = chatRequest(PROMPT, 'auto', { presencePenalty: 0.5 });
    const planned = tunedRouter.plan(request, {
      explain: true,
      refusedFields: upstreamRefusals(CHAT_FIELD_POLICY, request)!,
    });
    const taking = planned.candidates.filter(
      (candidate) =>
        candidate.refusedFields === undefined && !candidate.reason.includes('held back'),
    );
    const best = Math.max(...taking.map((candidate) => candidate.score!));
    const sonnet = planned.candidates.find(
      (candidate) => candidate.model === 'claude-sonnet-4-20250514',
    )!;
    expect(sonnet.score!).toBeGreaterThan(best + 10);
    expect(planned.candidates[0]!.reason).toContain(`best posterior (${best.toFixed(1)})`);
  });

  it('does no per-deployment work for a request that sets no field any wire refuses', () => {
    expect(
      upstreamRefusals(CHAT_FIELD_POLICY, chatRequest(PROMPT, 'auto', { temperature: 0.2 })),
    ).toBe(undefined);
    const planned = plan(chatRequest(PROMPT));
    expect(planned.candidates.every((candidate) => candidate.refusedFields === undefined)).toBe(
      true,
    );
  });
});
