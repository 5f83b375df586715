import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConfigFile } from '../../src/config/schema.js';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * Fault injection over real HTTP with the official clients: the simulator fails on command
 * (`[[sim:fault=…@provider*N]]`) and the client must still get an answer, or a clean error.
 * Every test uses its own model name so breakers and cooldowns of one test do not leak into the next.
 */
const TWO_PROVIDERS = {
  deployments: [
    { provider: 'sim-qwen', model: 'qwen2.5-coder-7b-instruct' },
    { provider: 'sim-deepseek', model: 'deepseek-chat' },
  ],
};
const models = Object.fromEntries(
  [
    'retry-after',
    'burst',
    'down',
    'reset',
    'hang',
    'stream-reset',
    'stream-hang',
    'cut',
    'stall',
    'json',
    'json-bad',
    'anthropic-cut',
  ].map((name) => [name, TWO_PROVIDERS]),
);
const ROUTE = 'x-switchyard-route';

async function settled(gateway: TestGateway): Promise<number> {
  for (let index = 0; index < 100 && gateway.simulator!.stats().inFlight > 0; index += 1)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return gateway.simulator!.stats().inFlight;
}

describe('resilience under injected faults', () => {
  let gateway: TestGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;

  beforeAll(async () => {
    const overrides: Partial<ConfigFile> = {
      models,
      routing: { default_model: 'burst' },
      resilience: {
        retries: { max_per_deployment: 2, max_retry_after_ms: 1500 },
        provider_timeouts: { 'sim-qwen': { total_ms: 300 } },
      },
    };
    gateway = await startTestGateway(overrides);
    openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(() => gateway.close());

  const ask = (model: string, content: string, headers: Record<string, string> = {}) =>
    openai.chat.completions
      .create({ model, messages: [{ role: 'user', content }] }, { headers })
      .withResponse();

  it('429 with Retry-After: waits what the provider asked (it fits the budget) and retries the same deployment', async () => {
    const { data, response } = await ask('retry-after', 'hello [[sim:fault=429@sim-qwen*1]]');
    expect(data.choices[0]!.message.content).toContain('simulated');
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-qwen');
    expect(response.headers.get(ROUTE)).toContain(
      'attempts: sim-qwen/retry-after retry: upstream_rate_limited, sim-qwen/retry-after ok',
    );
    const attempts = gateway.records.at(-1)!.attempts!;
    expect(attempts[1]!.startedAt - attempts[0]!.endedAt!).toBeGreaterThanOrEqual(900); // retry-after-ms: 1000
  });

  it('a 503 burst is retried with backoff on the same deployment; a deployment that stays down is failed over', async () => {
    const burst = await ask('burst', 'burst [[sim:fault=503@sim-qwen*2]]');
    expect(burst.response.headers.get('x-switchyard-provider')).toBe('sim-qwen');
    expect(burst.response.headers.get(ROUTE)).toContain(
      'sim-qwen/burst retry: upstream_unavailable, sim-qwen/burst retry: upstream_unavailable, sim-qwen/burst ok',
    );
    const down = await ask('down', 'down [[sim:fault=500@sim-qwen]]');
    expect(down.response.headers.get('x-switchyard-provider')).toBe('sim-deepseek');
    expect(down.response.headers.get(ROUTE)).toContain(
      'sim-qwen/down failover: upstream_unavailable, sim-deepseek/down ok',
    );
    expect(gateway.records.at(-1)!.route).toContain('sim-qwen/down failover: upstream_unavailable');
  });

  it('a connection reset is retried', async () => {
    const { data, response } = await ask('reset', 'reset [[sim:fault=reset@sim-qwen*1]]');
    expect(data.choices[0]!.message.content).toContain('simulated');
    expect(response.headers.get(ROUTE)).toContain(
      'sim-qwen/reset retry: upstream_unavailable, sim-qwen/reset ok',
    );
  });

  it('a hanging provider is aborted at its total timeout and failed over; no upstream request is left in flight', async () => {
    const { data, response } = await ask('hang', 'hang [[sim:fault=hang@sim-qwen]]');
    expect(data.choices[0]!.message.content).toContain('simulated');
    expect(response.headers.get(ROUTE)).toContain(
      'sim-qwen/hang failover: upstream_timeout, sim-deepseek/hang ok',
    );
    expect(await settled(gateway)).toBe(0);
  });

  it('streams: a reset before the first chunk and a hang before the first token fail over transparently', async () => {
    let text = '';
    for await (const chunk of await openai.chat.completions.create({
      model: 'stream-reset',
      stream: true,
      messages: [{ role: 'user', content: 's [[sim:fault=reset@sim-qwen]]' }],
    }))
      text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('simulated');
    expect(gateway.records.at(-1)!.provider).toBe('sim-deepseek');
    text = '';
    const stream = await openai.chat.completions.create(
      {
        model: 'stream-hang',
        stream: true,
        messages: [{ role: 'user', content: 's [[sim:fault=hang@sim-qwen]]' }],
      },
      { headers: { 'x-switchyard-first-token-timeout-ms': '150' } },
    );
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('simulated');
    expect(gateway.records.at(-1)!.attempts![0]).toMatchObject({
      provider: 'sim-qwen',
      errorCode: 'upstream_timeout',
    });
    expect(await settled(gateway)).toBe(0);
  });

  it('streams: a cut after the first chunk reaches the OpenAI client as an error, never as a silent truncated answer', async () => {
    const stream = await openai.chat.completions.create({
      model: 'cut',
      stream: true,
      messages: [{ role: 'user', content: 'c [[sim:fault=cut@sim-qwen]] [[sim:tokens=50]]' }],
    });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((error: unknown) => error);
    expect(text.length).toBeGreaterThan(0);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(gateway.records.at(-1)!.errorCode).toBe('upstream_stream_interrupted');
  });

  it('streams: a stall after the first chunk hits the idle timeout; the client gets an error and the upstream is released', async () => {
    const stream = await openai.chat.completions.create(
      {
        model: 'stall',
        stream: true,
        messages: [{ role: 'user', content: 's [[sim:fault=stall@sim-qwen]] [[sim:tokens=50]]' }],
      },
      { headers: { 'x-switchyard-idle-timeout-ms': '150' } },
    );
    const failure = await (async () => {
      for await (const chunk of stream) void chunk;
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as Error).message).toContain('idle');
    expect(await settled(gateway)).toBe(0);
  });

  it('streams: a cut after the first chunk reaches the Anthropic client as an error event', async () => {
    const stream = anthropic.messages.stream({
      model: 'anthropic-cut',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'c [[sim:fault=cut@sim-qwen]] [[sim:tokens=50]]' }],
    });
    const failure = await stream.finalMessage().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(gateway.records.at(-1)!.errorCode).toBe('upstream_stream_interrupted');
  });

  it('malformed JSON: an invalid answer is retried and the valid one returned; every attempt is charged in the ledger', async () => {
    const { data, response } = await openai.chat.completions
      .create({
        model: 'json',
        response_format: { type: 'json_object' },
        messages: [{ role: 'user', content: 'give json [[sim:fault=malformed@sim-qwen*1]]' }],
      })
      .withResponse();
    expect(() => JSON.parse(data.choices[0]!.message.content!)).not.toThrow();
    expect(response.headers.get(ROUTE)).toContain(
      'sim-qwen/json retry: invalid structured output, sim-qwen/json ok',
    );
    const record = gateway.records.at(-1)!;
    expect(record.attempts![0]!.costUsd).toBeGreaterThan(0);
    expect(record.costUsd).toBeCloseTo(
      record.attempts!.reduce((sum, attempt) => sum + (attempt.costUsd ?? 0), 0),
      12,
    );
  });

  it('malformed JSON every time: a clear invalid_structured_output error after two invalid answers per model', async () => {
    const failure = await openai.chat.completions
      .create({
        model: 'json-bad',
        response_format: { type: 'json_object' },
        messages: [{ role: 'user', content: 'give json [[sim:fault=malformed]]' }],
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((failure as InstanceType<typeof OpenAI.APIError>).code).toBe(
      'invalid_structured_output',
    );
    expect(gateway.records.at(-1)!.attempts!.map((attempt) => attempt.errorCode)).toEqual([
      'invalid_structured_output',
      'invalid_structured_output',
    ]);
  });

  it('rejects timeout headers outside the operator bounds', async () => {
    const failure = await ask('burst', 'x', { 'x-switchyard-timeout-ms': '5' }).catch(
      (error: unknown) => error,
    );
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
  });
});

describe('a provider whose key is refused', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(
      {
        models: {
          coder: TWO_PROVIDERS,
          other: {
            deployments: [
              { provider: 'sim-qwen', model: 'qwen3-coder-plus' },
              { provider: 'sim-mistral', model: 'codestral-latest' },
            ],
          },
        },
        routing: { default_model: 'coder' },
        admin: { token_env: 'ADMIN' },
      },
      { ADMIN: 'admin-token-0123456789' },
    );
  });
  afterAll(() => gateway.close());

  it('is cooled down (all its deployments) with an alert in the log, visible in /admin/breakers and /metrics', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const first = await client.chat.completions
      .create({
        model: 'coder',
        messages: [{ role: 'user', content: 'k [[sim:fault=401@sim-qwen]]' }],
      })
      .withResponse();
    expect(first.response.headers.get('x-switchyard-provider')).toBe('sim-deepseek');
    expect(warn.mock.calls.flat().join(' ')).toContain('provider "sim-qwen" refused');
    warn.mockRestore();
    const second = await client.chat.completions
      .create({ model: 'other', messages: [{ role: 'user', content: 'no fault' }] })
      .withResponse();
    expect(second.response.headers.get('x-switchyard-provider')).toBe('sim-mistral');
    expect(gateway.records.at(-1)!.attempts).toHaveLength(1);

    const breakers = await fetch(`${gateway.url}/admin/breakers`, {
      headers: { authorization: 'Bearer admin-token-0123456789' },
    }).then((response) => response.json() as Promise<{ data: Array<Record<string, unknown>> }>);
    expect(breakers.data.find((entry) => entry.deployment === 'sim-qwen/other')).toMatchObject({
      available: false,
      state: 'closed',
    });
    expect(breakers.data.find((entry) => entry.deployment === 'sim-deepseek/coder')).toMatchObject({
      available: true,
    });
    const metrics = await fetch(`${gateway.url}/metrics`).then((response) => response.text());
    expect(metrics).toContain('switchyard_deployment_available{deployment="sim-qwen/coder"} 0');
    expect(metrics).toContain('switchyard_breaker_state{deployment="sim-deepseek/coder"} 0');
  });
});
