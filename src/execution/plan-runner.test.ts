import { describe, expect, it } from 'vitest';
import type { RoutePlan, RouteTarget } from '../core/route.js';
import { GatewayError } from '../core/errors.js';
import type { CallContext, PartStream, ProviderAdapter } from '../core/provider.js';
import type { ChatRequest } from '../core/request.js';
import type { ModelResponse, StreamPart } from '../core/response.js';
import { executeCall, executeStream, type AttemptRecord } from './execute-plan.js';
import { createExecutionPolicy, type PolicyOptions } from './execution-policy.js';
import { RESILIENCE_DEFAULTS, type ResilienceConfig } from './resilience-config.js';

const request: ChatRequest = {
  kind: 'chat',
  model: 'm',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  stream: false,
};
const price = { inputPerMillion: 1, outputPerMillion: 2, source: 'test' };

/** An adapter answering from a script: each call takes the next step (an error, a text, or a wait). */
function scripted(
  provider: string,
  model: string,
  steps: Array<GatewayError | string | { waitMs: number; text: string }>,
  calls: string[],
): RouteTarget {
  let index = 0;
  const next = async (context: CallContext): Promise<string> => {
    calls.push(provider);
    const step = steps[Math.min(index, steps.length - 1)]!;
    index += 1;
    if (step instanceof GatewayError) throw step;
    if (typeof step === 'string') return step;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, step.waitMs);
      context.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(context.signal.reason);
        },
        { once: true },
      );
    });
    return step.text;
  };
  const adapter = {
    id: provider,
    wire: 'openai-compatible',
    chat: async (_request: ChatRequest, context: CallContext): Promise<ModelResponse> => {
      const text = await next(context);
      return {
        id: 'x',
        model,
        created: 1,
        choices: [{ index: 0, text, toolCalls: [], finishReason: 'stop' }],
        usage: { inputTokens: 1000, outputTokens: 1000 },
      };
    },
    streamChat: async (_request: ChatRequest, context: CallContext): Promise<PartStream> => {
      const text = await next(context);
      return (async function* (): AsyncGenerator<StreamPart> {
        yield { type: 'start', id: 'x', model, created: 1 };
        for (const piece of [text.slice(0, 3), text.slice(3)])
          yield { type: 'text-delta', index: 0, text: piece };
        yield { type: 'finish', index: 0, finishReason: 'stop' };
        yield { type: 'usage', usage: { inputTokens: 1000, outputTokens: 1000 } };
      })();
    },
    close: async () => {},
  } as ProviderAdapter;
  return {
    model: { name: model, deployments: [] },
    deployment: { provider, upstreamModel: model, price },
    adapter,
    key: `${provider}/${model}`,
  };
}

const plan = (...attempts: RouteTarget[]): RoutePlan => ({
  modelAsked: 'm',
  policy: 'test',
  attempts,
  candidates: [],
  summary: 'test',
});
const chat = (adapter: ProviderAdapter, r: ChatRequest, c: CallContext) => adapter.chat(r, c);
const stream = (adapter: ProviderAdapter, r: ChatRequest, c: CallContext) =>
  adapter.streamChat(r, c);

function setup(settings: Partial<ResilienceConfig> = {}, options: PolicyOptions = {}) {
  const waits: number[] = [];
  const alerts: string[] = [];
  const policy = createExecutionPolicy({
    settings: { ...RESILIENCE_DEFAULTS, ...settings },
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    alert: (message) => alerts.push(message),
    ...options,
  });
  const attempts: AttemptRecord[] = [];
  return {
    policy,
    waits,
    alerts,
    attempts,
    execution: { requestId: 'r', signal: new AbortController().signal, attempts },
  };
}

const rateLimited = (retryAfterMs?: number) =>
  new GatewayError('upstream_rate_limited', '429', {
    upstreamStatus: 429,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

describe('the executor: retries, failover, non-retryable errors', () => {
  it('retries the same deployment after the Retry-After wait, then after a jittered backoff', async () => {
    const calls: string[] = [];
    const { policy, waits, attempts, execution } = setup();
    const result = await executeCall(
      plan(
        scripted(
          'a',
          'm',
          [rateLimited(1500), new GatewayError('upstream_unavailable', '503'), 'ok'],
          calls,
        ),
      ),
      request,
      chat,
      execution,
      policy,
    );
    expect(result.answer.choices[0]!.text).toBe('ok');
    expect(waits).toEqual([1500, 100]); // Retry-After, then 0.5 × min(2000, 100 × 2^1)
    expect(attempts.map((attempt) => attempt.endReason ?? 'ok')).toEqual([
      'retry: upstream_rate_limited',
      'retry: upstream_unavailable',
      'ok',
    ]);
  });

  it('moves on at once when Retry-After is longer than the cap, and the deployment stays cooled down for the router', async () => {
    const calls: string[] = [];
    const { policy, waits, attempts, execution } = setup();
    await executeCall(
      plan(scripted('a', 'm', [rateLimited(60_000)], calls), scripted('b', 'm', ['ok'], calls)),
      request,
      chat,
      execution,
      policy,
    );
    expect(waits).toEqual([]);
    expect(attempts[0]!.endReason).toBe('failover: upstream_rate_limited (retry-after too long)');
    expect(policy.breakers.available('a/m', Date.now())).toBe(false);
  });

  it('returns an upstream 400 as it is, without retrying', async () => {
    const calls: string[] = [];
    const { policy, execution } = setup();
    await expect(
      executeCall(
        plan(
          scripted(
            'a',
            'm',
            [new GatewayError('upstream_bad_request', 'bad', { upstreamStatus: 400 })],
            calls,
          ),
          scripted('b', 'm', ['ok'], calls),
        ),
        request,
        chat,
        execution,
        policy,
      ),
    ).rejects.toMatchObject({ code: 'upstream_bad_request' });
    expect(calls).toEqual(['a']);
  });

  it('on a refused key cools the whole provider down, skips its other deployments and alerts', async () => {
    const calls: string[] = [];
    const { policy, alerts, execution } = setup();
    const result = await executeCall(
      plan(
        scripted(
          'a',
          'm',
          [new GatewayError('upstream_auth', '401', { upstreamStatus: 401 })],
          calls,
        ),
        scripted('a', 'n', ['no'], calls),
        scripted('b', 'm', ['ok'], calls),
      ),
      request,
      chat,
      execution,
      policy,
    );
    expect(result.answer.choices[0]!.text).toBe('ok');
    expect(calls).toEqual(['a', 'b']);
    expect(alerts).toHaveLength(1);
    expect(policy.breakers.available('a/n', Date.now())).toBe(false);
  });

  it('after a context-length error skips deployments whose window is not larger', async () => {
    const calls: string[] = [];
    const windows = new Map([
      ['a/m', 8000],
      ['b/m', 8000],
      ['c/m', 128_000],
    ]);
    const { policy, execution } = setup({}, { contextWindows: windows });
    const result = await executeCall(
      plan(
        scripted('a', 'm', [new GatewayError('context_length_exceeded', 'too long')], calls),
        scripted('b', 'm', ['no'], calls),
        scripted('c', 'm', ['big'], calls),
      ),
      request,
      chat,
      execution,
      policy,
    );
    expect(result.answer.choices[0]!.text).toBe('big');
    expect(calls).toEqual(['a', 'c']);
  });

  it('skips a deployment with an open breaker, and still tries it as a last resort', async () => {
    const calls: string[] = [];
    const { policy, execution } = setup();
    for (let index = 0; index < 5; index += 1)
      policy.breakers.failed('a/m', 'normal', Date.now(), 'upstream_unavailable');
    const answered = await executeCall(
      plan(scripted('a', 'm', ['a'], calls), scripted('b', 'm', ['b'], calls)),
      request,
      chat,
      execution,
      policy,
    );
    expect(answered.answer.choices[0]!.text).toBe('b');
    const second = setup();
    for (let index = 0; index < 5; index += 1)
      second.policy.breakers.failed('a/m', 'normal', Date.now(), 'upstream_unavailable');
    const lastResort = await executeCall(
      plan(
        scripted('a', 'm', ['a'], calls),
        scripted('b', 'm', [new GatewayError('upstream_bad_response', 'x')], calls),
      ),
      request,
      chat,
      second.execution,
      second.policy,
    );
    expect(lastResort.answer.choices[0]!.text).toBe('a');
  });
});

describe('the executor: structured output', () => {
  const jsonRequest: ChatRequest = {
    ...request,
    responseFormat: {
      type: 'json_schema',
      name: 'n',
      schema: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } },
    },
  };

  it('retries an invalid answer on the same model, escalates after two, and charges every attempt', async () => {
    const calls: string[] = [];
    const { policy, attempts, execution } = setup();
    const result = await executeCall(
      plan(
        scripted('a', 'cheap', ['{"ok": tru', '{"ok": "yes"}'], calls),
        scripted('b', 'cheap', ['{"ok": true}'], calls),
        scripted('c', 'strong', ['{"ok": true}'], calls),
      ),
      jsonRequest,
      chat,
      execution,
      policy,
    );
    expect(result.target.key).toBe('c/strong');
    expect(calls).toEqual(['a', 'a', 'c']); // b serves the escalated-away model
    expect(attempts.map((attempt) => [attempt.errorCode, attempt.endReason])).toEqual([
      ['invalid_structured_output', 'retry: invalid structured output'],
      ['invalid_structured_output', 'escalate: invalid structured output'],
      [undefined, undefined],
    ]);
    expect(attempts[0]!.problem).toBe('the answer is not valid JSON');
    expect(attempts[1]!.problem).toContain('/ok must be boolean');
    expect(attempts[0]!.costUsd).toBeCloseTo(0.003);
  });

  it('fails with invalid_structured_output when no model answers validly', async () => {
    const calls: string[] = [];
    const { policy, execution } = setup();
    await expect(
      executeCall(
        plan(scripted('a', 'cheap', ['nope'], calls)),
        jsonRequest,
        chat,
        execution,
        policy,
      ),
    ).rejects.toMatchObject({ code: 'invalid_structured_output', status: 502 });
    expect(calls).toEqual(['a', 'a']);
  });

  it('rejects a response_format schema that is not a JSON Schema as a bad request', async () => {
    const { policy, execution } = setup();
    const bad: ChatRequest = {
      ...request,
      responseFormat: { type: 'json_schema', name: 'n', schema: { type: 'nonsense' } },
    };
    await expect(
      executeCall(plan(scripted('a', 'm', ['{}'], [])), bad, chat, execution, policy),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('buffers a JSON-mode stream to its end, checks it, and fails an invalid one over before anything is sent', async () => {
    const calls: string[] = [];
    const { policy, execution } = setup();
    const result = await executeStream(
      plan(
        scripted('a', 'cheap', ['{"ok": 1}'], calls),
        scripted('c', 'strong', ['{"ok": false}'], calls),
      ),
      { ...jsonRequest, stream: true },
      stream,
      execution,
      policy,
    );
    let text = '';
    for await (const batch of result.batches)
      for (const part of batch) if (part.type === 'text-delta') text += part.text;
    expect(text).toBe('{"ok": false}');
    expect(calls).toEqual(['a', 'a', 'c']);
  });
});

describe('the executor: timeouts and hedging', () => {
  it('aborts an attempt that exceeds its total timeout and fails over', async () => {
    const calls: string[] = [];
    const { policy, attempts, execution } = setup({
      timeouts: { ...RESILIENCE_DEFAULTS.timeouts, totalMs: 30 },
      retries: { ...RESILIENCE_DEFAULTS.retries, maxPerDeployment: 0 },
    });
    const result = await executeCall(
      plan(
        scripted('a', 'm', [{ waitMs: 60_000, text: 'late' }], calls),
        scripted('b', 'm', ['ok'], calls),
      ),
      request,
      chat,
      execution,
      policy,
    );
    expect(result.answer.choices[0]!.text).toBe('ok');
    expect(attempts[0]).toMatchObject({
      errorCode: 'upstream_timeout',
      endReason: 'failover: upstream_timeout',
    });
  });

  it('hedges a slow first attempt after its p95 TTFT on the next candidate; the loser is aborted and charged its prompt', async () => {
    const calls: string[] = [];
    const { policy, attempts, execution } = setup({
      hedging: { mode: 'p95', minSamples: 3, minDelayMs: 5, maxDelayMs: 20 },
    });
    for (let index = 0; index < 3; index += 1) policy.ttft.add('a/m', 1);
    const result = await executeCall(
      plan(
        scripted('a', 'm', [{ waitMs: 60_000, text: 'slow' }], calls),
        scripted('b', 'm', ['fast'], calls),
      ),
      request,
      chat,
      execution,
      policy,
    );
    expect(result.answer.choices[0]!.text).toBe('fast');
    expect(attempts.map((attempt) => [attempt.key, attempt.status, attempt.endReason])).toEqual([
      ['a/m', 499, 'hedge lost'],
      ['b/m', 200, 'hedge won'],
    ]);
    expect(attempts[0]!.costUsd).toBeGreaterThan(0);
  });

  it('admits a hedge and an escalation target against the key before sending: refused, they are never called', async () => {
    // Hedge: the second candidate is outside the key's scope, so the slow first attempt is waited for.
    const calls: string[] = [];
    const { policy, attempts, execution } = setup({
      hedging: { mode: 'p95', minSamples: 3, minDelayMs: 5, maxDelayMs: 20 },
    });
    for (let index = 0; index < 3; index += 1) policy.ttft.add('a/m', 1);
    const asked: Array<[string, boolean]> = [];
    const scoped = {
      ...execution,
      admitAttempt: async (target: RouteTarget, concurrent: boolean) => {
        asked.push([target.key, concurrent]);
        return target.model.name === 'outside'
          ? new GatewayError('model_not_allowed', 'not for this key')
          : undefined;
      },
    };
    const hedged = await executeCall(
      plan(
        scripted('a', 'm', [{ waitMs: 60, text: 'slow but mine' }], calls),
        scripted('b', 'outside', ['fast'], calls),
      ),
      request,
      chat,
      scoped,
      policy,
    );
    expect(hedged.answer.choices[0]!.text).toBe('slow but mine');
    expect(calls).toEqual(['a']);
    expect(asked).toContainEqual(['b/outside', true]);
    expect(attempts.map((attempt) => attempt.key)).toEqual(['a/m']);

    // Escalation after invalid answers: the stronger model is refused (budget), so nothing valid comes.
    const jsonRequest: ChatRequest = {
      ...request,
      responseFormat: {
        type: 'json_schema',
        name: 'n',
        schema: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } },
      },
    };
    const escalation = setup();
    const escalationCalls: string[] = [];
    const budgeted = {
      ...escalation.execution,
      admitAttempt: async (target: RouteTarget) =>
        target.model.name === 'strong'
          ? new GatewayError('budget_exceeded', 'the budget cannot cover it')
          : undefined,
    };
    await expect(
      executeCall(
        plan(
          scripted('a', 'cheap', ['{"ok": tru', '{"ok": "yes"}'], escalationCalls),
          scripted('c', 'strong', ['{"ok": true}'], escalationCalls),
        ),
        jsonRequest,
        chat,
        budgeted,
        escalation.policy,
      ),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/invalid_structured_output|budget_exceeded/),
    });
    expect(escalationCalls).toEqual(['a', 'a']);
  });
});
