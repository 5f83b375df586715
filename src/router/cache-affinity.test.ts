import { describe, expect, it } from 'vitest';
import type { ChatRequest, Message } from '../core/request.js';
import type { ConfigFile } from '../config/schema.js';
import { createPolicyRouter } from '../app/create-policy-router.js';
import { fleetConfig, offlineAdapters } from '../../test/helpers/router-fixture.js';
import { CacheAffinity, memoryAffinityStore, sessionOf } from './cache-affinity.js';

const SYSTEM = 'You are a coding agent working in a TypeScript repository. '.repeat(2_000); // ~30k tokens

/** An agent turn: the same system prompt and first question, then `turns` exchanges of history. */
function agentTurn(turns: number, model = 'agent'): ChatRequest {
  const messages: Message[] = [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: [{ type: 'text', text: 'Fix the failing test in parser.ts' }] },
  ];
  for (let turn = 0; turn < turns; turn++) {
    messages.push({ role: 'assistant', content: `Looking at step ${turn}.` });
    messages.push({ role: 'user', content: [{ type: 'text', text: `Result ${turn}` }] });
  }
  return { kind: 'chat', model, stream: false, maxTokens: 1_000, messages };
}

describe('sessionOf', () => {
  it('keeps the session and store key of earlier versions (replicas and Redis entries agree)', async () => {
    // Values from the version that hashed with createHash().update() per part: a rolling
    // upgrade keeps every session's memory and cascade rung.
    const request: ChatRequest = {
      kind: 'chat',
      model: 'agent',
      user: 'u-1',
      stream: false,
      tools: [
        { name: 'read_file', parameters: {} },
        { name: 'run_tests', parameters: {} },
      ],
      messages: [
        { role: 'system', content: `Règles: ${'é'.repeat(5_000)}` },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Fix the 🐛 in parser.ts' },
            { type: 'image', url: 'data:image/png;base64,AAAA' },
          ],
        },
        { role: 'assistant', content: 'Looking.' },
        { role: 'user', content: [{ type: 'text', text: 'x'.repeat(9_000) }] },
      ],
    };
    const session = sessionOf(request, undefined, 'key-a');
    expect(session).toBe('key-a\np\nNlPVm-4tXgUTq4J3_1swMOz52lpZpLd53UO9UZBRUFQ');
    const keys: string[] = [];
    const affinity = new CacheAffinity({
      get: async (key) => void keys.push(key),
      set: async (key) => void keys.push(key),
    });
    await affinity.lookup(session!);
    await affinity.remember('key\nh\nsession-1', 'p/m', 1);
    expect(keys).toEqual([
      'affinity:rxiph8hLF-_vXJ8hvHNGY_2xszvQnRdSeeA4nyHdFCg',
      'affinity:XZ4PmAyJEu1LyFyCg_l7-e3LZCOaMhsRrtEV8SgDJ1Q',
    ]);
  });

  it('is the same for every turn of a conversation, and differs by key and by prefix', () => {
    const first = sessionOf(agentTurn(0), undefined, 'key-a');
    expect(sessionOf(agentTurn(3), undefined, 'key-a')).toBe(first);
    expect(sessionOf(agentTurn(3), undefined, 'key-b')).not.toBe(first);
    const other = agentTurn(3);
    other.messages[1] = { role: 'user', content: [{ type: 'text', text: 'Another task' }] };
    expect(sessionOf(other, undefined, 'key-a')).not.toBe(first);
  });

  it('takes the x-switchyard-session header over the prefix; completions have no session', () => {
    const other = agentTurn(1);
    other.messages[1] = { role: 'user', content: [{ type: 'text', text: 'Another task' }] };
    expect(sessionOf(agentTurn(0), 'session-1', null)).toBe(sessionOf(other, 'session-1', null));
    expect(sessionOf(agentTurn(0), 'session-1', null)).not.toBe(
      sessionOf(agentTurn(0), 's2', null),
    );
    expect(
      sessionOf({ kind: 'completion', model: 'm', prompt: ['x'], stream: false }, 'h', null),
    ).toBeUndefined();
  });
});

describe('CacheAffinity', () => {
  it('remembers the deployment that served a session, for the TTL', async () => {
    const affinity = new CacheAffinity(memoryAffinityStore(), 50);
    expect(await affinity.lookup('s')).toEqual({});
    await affinity.remember('s', 'sim-anthropic/claude', 31_000);
    expect(await affinity.lookup('s')).toEqual({
      warmKey: 'sim-anthropic/claude',
      warmPromptTokens: 31_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await affinity.lookup('s')).toEqual({});
  });

  it('answers cold when the store fails, and keeps at most maxEntries sessions', async () => {
    const broken = new CacheAffinity({
      get: () => Promise.reject(new Error('down')),
      set: () => Promise.reject(new Error('down')),
    });
    await broken.remember('s', 'k', 1);
    expect(await broken.lookup('s')).toEqual({});
    const small = new CacheAffinity(memoryAffinityStore(2));
    for (const session of ['a', 'b', 'c']) await small.remember(session, session, 1);
    expect(await small.lookup('a')).toEqual({});
    expect((await small.lookup('c')).warmKey).toBe('c');
  });
});

describe('cache affinity in the router', () => {
  // Haiku 0.8 in / 0.08 cached; gpt-4o-mini 0.15 in; Sonnet 3 in / 0.30 cached (per million).
  const routing: ConfigFile['routing'] = {
    policies: {
      agent: {
        type: 'cost-optimal',
        quality_floor: 0,
        quality_margin: 100,
        rank_by: 'cost',
        latency_budget_mode: 'demote',
        candidates: ['claude-3-5-haiku-20241022', 'gpt-4o-mini', 'claude-sonnet-4-20250514'],
      },
    },
  };
  const config = fleetConfig(routing);
  const router = createPolicyRouter(config, offlineAdapters(config));
  const haiku = 'sim-anthropic/claude-3-5-haiku-20241022';
  const sonnet = 'sim-anthropic/claude-sonnet-4-20250514';
  const mini = 'sim-openai/gpt-4o-mini';

  it('stays on the warm deployment when its cached prefix makes it the cheapest', () => {
    const plan = router.plan(agentTurn(2), {
      explain: true,
      session: { warmKey: haiku, warmPromptTokens: 30_000 },
    });
    expect(plan.attempts[0]?.key).toBe(haiku);
    const warm = plan.candidates.find((candidate) => candidate.key === haiku)!;
    expect(warm.warmCacheDiscountUsd).toBeGreaterThan(0.02); // 30k tokens × (0.8 − 0.08) / M
    expect(warm.reason).toMatch(/warm provider cache/);
    expect(
      plan.candidates.find((candidate) => candidate.key === mini)?.warmCacheDiscountUsd,
    ).toBeUndefined();
  });

  it('moves when the warm deployment is dearer even with its cache', () => {
    const plan = router.plan(agentTurn(2), {
      explain: true,
      session: { warmKey: sonnet, warmPromptTokens: 30_000 },
    });
    expect(plan.attempts[0]?.key).toBe(mini);
    expect(
      plan.candidates.find((candidate) => candidate.key === sonnet)?.warmCacheDiscountUsd,
    ).toBeGreaterThan(0);
  });

  it('prices every deployment cold on a session first turn', () => {
    const cold = router.plan(agentTurn(0), { explain: true, session: {} });
    const haikuCold = cold.candidates.find((candidate) => candidate.key === haiku)!;
    const warm = router.plan(agentTurn(0), {
      explain: true,
      session: { warmKey: haiku, warmPromptTokens: 30_000 },
    });
    const haikuWarm = warm.candidates.find((candidate) => candidate.key === haiku)!;
    expect(haikuCold.predictedCostUsd! - haikuWarm.predictedCostUsd!).toBeCloseTo(
      haikuWarm.warmCacheDiscountUsd!,
      10,
    );
    expect(cold.attempts[0]?.key).toBe(mini);
  });
});
