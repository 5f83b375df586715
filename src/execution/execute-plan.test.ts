import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.js';
import type { CallContext, PartStream, ProviderAdapter } from '../core/provider.js';
import type { ChatRequest } from '../core/request.js';
import type { ModelResponse, StreamPart } from '../core/response.js';
import type { AttemptObservation, RoutePlan, RouteTarget } from '../core/route.js';
import { executeCall, executeStream, type AttemptRecord } from './execute-plan.js';
import { createExecutionPolicy } from './execution-policy.js';
import { RESILIENCE_DEFAULTS } from './resilience-config.js';

/** No retries: these tests are about failover between deployments. */
const noRetries = () =>
  createExecutionPolicy({
    settings: {
      ...RESILIENCE_DEFAULTS,
      retries: { ...RESILIENCE_DEFAULTS.retries, maxPerDeployment: 0 },
    },
  });

const request: ChatRequest = {
  kind: 'chat',
  model: 'm',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  stream: false,
};

function answer(text: string): ModelResponse {
  return {
    id: 'x',
    model: 'm',
    created: 1,
    choices: [{ index: 0, text, toolCalls: [], finishReason: 'stop' }],
    usage: { inputTokens: 1, outputTokens: 2 },
  } as ModelResponse;
}

type Behaviour = {
  fail?: GatewayError;
  text?: string;
  failAfterStart?: GatewayError;
  failAfterContent?: GatewayError;
};

function target(provider: string, behaviour: Behaviour, calls: string[]): RouteTarget {
  const adapter = {
    id: provider,
    wire: 'openai-compatible',
    chat: async (_request: ChatRequest, context: CallContext) => {
      calls.push(`${provider}:${context.upstreamModel}`);
      if (behaviour.fail) throw behaviour.fail;
      return answer(behaviour.text ?? provider);
    },
    streamChat: async (_request: ChatRequest, context: CallContext): Promise<PartStream> => {
      calls.push(`${provider}:${context.upstreamModel}`);
      if (behaviour.fail) throw behaviour.fail;
      return (async function* (): AsyncGenerator<StreamPart> {
        yield { type: 'start', id: 'x', model: 'm', created: 1 };
        if (behaviour.failAfterStart) throw behaviour.failAfterStart;
        yield { type: 'text-delta', index: 0, text: behaviour.text ?? provider };
        if (behaviour.failAfterContent) throw behaviour.failAfterContent;
        yield { type: 'finish', index: 0, finishReason: 'stop' };
        yield { type: 'usage', usage: { inputTokens: 1, outputTokens: 3 } };
      })();
    },
    close: async () => {},
  } as ProviderAdapter;
  return {
    model: { name: 'm', deployments: [] },
    deployment: { provider, upstreamModel: `${provider}-m` },
    adapter,
    key: `${provider}/m`,
  };
}

function plan(...targets: RouteTarget[]): RoutePlan {
  return { modelAsked: 'm', policy: 'direct', attempts: targets, candidates: [], summary: 'test' };
}

function context(signal = new AbortController().signal) {
  const attempts: AttemptRecord[] = [];
  const observed: AttemptObservation[] = [];
  return {
    attempts,
    observed,
    execution: {
      requestId: 'r',
      signal,
      attempts,
      observer: { observe: (o: AttemptObservation) => observed.push(o) },
    },
  };
}

const chat = (adapter: ProviderAdapter, r: ChatRequest, c: CallContext) => adapter.chat(r, c);
const stream = (adapter: ProviderAdapter, r: ChatRequest, c: CallContext) =>
  adapter.streamChat(r, c);

async function collect(batches: AsyncIterable<readonly StreamPart[]>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const batch of batches) parts.push(...batch);
  return parts;
}

describe('executeCall', () => {
  it('fails over to the next deployment on a retryable error and records both attempts', async () => {
    const calls: string[] = [];
    const { attempts, observed, execution } = context();
    const result = await executeCall(
      plan(
        target(
          'a',
          { fail: new GatewayError('upstream_rate_limited', '429', { upstreamStatus: 429 }) },
          calls,
        ),
        target('b', {}, calls),
      ),
      request,
      chat,
      execution,
      noRetries(),
    );
    expect(result.answer.choices[0]!.text).toBe('b');
    expect(calls).toEqual(['a:a-m', 'b:b-m']);
    expect(attempts.map((a) => [a.provider, a.status, a.errorCode, a.endReason])).toEqual([
      ['a', 429, 'upstream_rate_limited', 'failover: upstream_rate_limited'],
      ['b', 200, undefined, undefined],
    ]);
    expect(observed.map((o) => [o.key, o.ok])).toEqual([
      ['a/m', false],
      ['b/m', true],
    ]);
  });

  it('does not fail over when the request itself is at fault', async () => {
    const calls: string[] = [];
    const { execution } = context();
    await expect(
      executeCall(
        plan(
          target('a', { fail: new GatewayError('upstream_bad_request', 'bad') }, calls),
          target('b', {}, calls),
        ),
        request,
        chat,
        execution,
        noRetries(),
      ),
    ).rejects.toMatchObject({ code: 'upstream_bad_request' });
    expect(calls).toEqual(['a:a-m']);
  });

  it('throws the last error when every deployment failed', async () => {
    const calls: string[] = [];
    const { attempts, execution } = context();
    await expect(
      executeCall(
        plan(
          target('a', { fail: new GatewayError('upstream_unavailable', '503') }, calls),
          target('b', { fail: new GatewayError('upstream_timeout', 'slow') }, calls),
        ),
        request,
        chat,
        execution,
        noRetries(),
      ),
    ).rejects.toMatchObject({ code: 'upstream_timeout' });
    expect(attempts).toHaveLength(2);
  });
});

describe('executeStream', () => {
  it('fails over when the stream breaks before its first content part', async () => {
    const calls: string[] = [];
    const { attempts, execution } = context();
    const result = await executeStream(
      plan(
        target('a', { failAfterStart: new GatewayError('upstream_bad_response', 'cut') }, calls),
        target('b', {}, calls),
      ),
      { ...request, stream: true },
      stream,
      execution,
      noRetries(),
    );
    const parts = await collect(result.batches);
    expect(parts.filter((p) => p.type === 'text-delta')).toEqual([
      { type: 'text-delta', index: 0, text: 'b' },
    ]);
    expect(parts[0]!.type).toBe('start');
    expect(attempts.map((a) => [a.provider, a.status, a.errorCode])).toEqual([
      ['a', 502, 'upstream_bad_response'],
      ['b', 200, undefined],
    ]);
  });

  it('does not fail over after content went out: the error reaches the consumer', async () => {
    const calls: string[] = [];
    const { attempts, execution } = context();
    const result = await executeStream(
      plan(
        target('a', { failAfterContent: new GatewayError('upstream_bad_response', 'cut') }, calls),
        target('b', {}, calls),
      ),
      { ...request, stream: true },
      stream,
      execution,
      noRetries(),
    );
    await expect(collect(result.batches)).rejects.toMatchObject({ code: 'upstream_bad_response' });
    expect(calls).toEqual(['a:a-m']);
    expect(attempts[0]).toMatchObject({ errorCode: 'upstream_bad_response' });
  });

  it('stops trying once the client is gone', async () => {
    const calls: string[] = [];
    const controller = new AbortController();
    controller.abort(new GatewayError('client_closed', 'gone'));
    const { execution } = context(controller.signal);
    await expect(
      executeStream(
        plan(
          target('a', { fail: new GatewayError('upstream_unavailable', '503') }, calls),
          target('b', {}, calls),
        ),
        { ...request, stream: true },
        stream,
        execution,
        noRetries(),
      ),
    ).rejects.toMatchObject({ code: 'client_closed' });
    expect(calls).toEqual([]);
  });
});

describe('output limits', () => {
  it('fails an upstream "max_tokens too large" over to the next deployment, and clamps max_tokens where the target says so', async () => {
    const calls: string[] = [];
    const seen: Array<number | undefined> = [];
    const tooLarge = new GatewayError('output_limit_exceeded', 'a: max_tokens is too large');
    const first = target('a', { fail: tooLarge }, calls);
    const second = { ...target('b', {}, calls), clampOutputTo: 8_192 };
    const spy = (adapter: ProviderAdapter, r: ChatRequest, c: CallContext) => {
      seen.push(r.maxTokens);
      return adapter.chat(r, c);
    };
    const { attempts, execution } = context();
    const result = await executeCall(
      plan(first, second),
      { ...request, maxTokens: 32_000 },
      spy,
      execution,
      noRetries(),
    );
    expect(result.target.deployment.provider).toBe('b');
    expect(calls).toEqual(['a:a-m', 'b:b-m']);
    expect(seen).toEqual([32_000, 8_192]);
    expect(attempts[0]!.endReason).toBe('failover: max_tokens above its output limit');
  });
});
