import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLEET } from './default-fleet.js';
import {
  ANTHROPIC_HEADERS,
  SimTestClient,
  type AnthropicErrorBody,
  type OpenAiErrorBody,
} from '../../test/helpers/sim-test-client.js';
import { startSimulator } from './start-simulator.js';
import type { RunningSimulator, SimFleet } from './sim-types.js';

const tiny = {
  name: 'tiny',
  ttftMs: 0,
  tokensPerSecond: 100,
  contextWindow: 50,
  maxOutputTokens: 100,
};
const FLEET: SimFleet = {
  providers: [
    ...DEFAULT_FLEET.providers,
    { id: 'sim-locked', wire: 'openai-compatible', apiKey: 'sk-right', models: [tiny] },
    { id: 'sim-locked-anthropic', wire: 'anthropic', apiKey: 'sk-ant-right', models: [tiny] },
  ],
};

let sim: RunningSimulator;
let client: SimTestClient;
beforeAll(async () => {
  sim = await startSimulator({ fleet: FLEET, timeScale: 0 });
  client = new SimTestClient(sim);
});
afterAll(() => sim.close());

const chat = (model: string, content: string): Record<string, unknown> => ({
  model,
  messages: [{ role: 'user', content }],
});
const message = (model: string, content: string): Record<string, unknown> => ({
  model,
  max_tokens: 50,
  messages: [{ role: 'user', content }],
});

describe('errors', () => {
  it('404 for unknown providers and paths', async () => {
    const provider = await fetch(`${sim.url}/sim-nowhere/v1/chat/completions`, {
      method: 'POST',
      body: '{}',
    });
    expect(provider.status).toBe(404);
    const path = await client.post<OpenAiErrorBody>('sim-openai', '/audio/speech', {});
    expect(path.status).toBe(404);
    expect(path.body.error.message).toContain('Unknown path');
    const anthropicPath = await client.post<AnthropicErrorBody>(
      'sim-anthropic',
      '/chat/completions',
      {},
    );
    expect([anthropicPath.status, anthropicPath.body.error.type]).toEqual([404, 'not_found_error']);
    const method = await fetch(client.url('sim-openai', '/chat/completions'));
    expect(method.status).toBe(405);
  });

  it('404 for unknown models, in each wire shape', async () => {
    const openai = await client.chat<OpenAiErrorBody>('sim-openai', chat('gpt-9', 'x'));
    expect(openai.status).toBe(404);
    expect(openai.body.error).toMatchObject({
      type: 'invalid_request_error',
      param: null,
      code: 'model_not_found',
    });
    const anthropic = await client.messages<AnthropicErrorBody>(message('claude-9', 'x'));
    expect(anthropic.status).toBe(404);
    expect(anthropic.body).toEqual({
      type: 'error',
      error: { type: 'not_found_error', message: 'model: claude-9' },
    });
  });

  it('400 for malformed JSON and missing fields', async () => {
    const openai = await client.post<OpenAiErrorBody>(
      'sim-openai',
      '/chat/completions',
      '{"model": ',
    );
    expect([openai.status, openai.body.error.type]).toEqual([400, 'invalid_request_error']);
    const anthropic = await client.post<AnthropicErrorBody>(
      'sim-anthropic',
      '/messages',
      'nope',
      ANTHROPIC_HEADERS,
    );
    expect([anthropic.status, anthropic.body.error.type]).toEqual([400, 'invalid_request_error']);
    const noMessages = await client.chat<OpenAiErrorBody>('sim-openai', { model: 'gpt-4o-mini' });
    expect([noMessages.status, noMessages.body.error.param]).toEqual([400, 'messages']);
    const badRole = await client.chat<OpenAiErrorBody>('sim-openai', {
      model: 'gpt-4o-mini',
      messages: [{ role: 'wizard', content: 'x' }],
    });
    expect([badRole.status, badRole.body.error.param]).toEqual([400, 'messages[0].role']);
  });

  it('401 when a provider has an apiKey and the key is missing or wrong', async () => {
    const missing = await client.chat<OpenAiErrorBody>('sim-locked', chat('tiny', 'x'));
    expect([missing.status, missing.body.error.code]).toEqual([401, 'invalid_api_key']);
    const wrong = await fetch(client.url('sim-locked', '/chat/completions'), {
      method: 'POST',
      headers: { authorization: 'Bearer sk-wrong' },
      body: JSON.stringify(chat('tiny', 'x')),
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(client.url('sim-locked', '/chat/completions'), {
      method: 'POST',
      headers: { authorization: 'Bearer sk-right' },
      body: JSON.stringify(chat('tiny', 'x')),
    });
    expect(right.status).toBe(200);
    const anthropic = await client.messages<AnthropicErrorBody>(
      message('tiny', 'x'),
      'sim-locked-anthropic',
    );
    expect([anthropic.status, anthropic.body.error.type]).toEqual([401, 'authentication_error']);
    const anthropicRight = await client.post(
      'sim-locked-anthropic',
      '/messages',
      message('tiny', 'x'),
      { ...ANTHROPIC_HEADERS, 'x-api-key': 'sk-ant-right' },
    );
    expect(anthropicRight.status).toBe(200);
    expect((await fetch(client.url('sim-locked', '/models'))).status).toBe(401);
  });

  it('400 when the prompt exceeds the context window (ceil(chars / 4) tokens)', async () => {
    const long = 'x'.repeat(50 * 4 + 1);
    const openai = await client.post<OpenAiErrorBody>(
      'sim-locked',
      '/chat/completions',
      chat('tiny', long),
      { authorization: 'Bearer sk-right' },
    );
    expect(openai.status).toBe(400);
    expect(openai.body.error.code).toBe('context_length_exceeded');
    const anthropic = await client.post<AnthropicErrorBody>(
      'sim-locked-anthropic',
      '/messages',
      message('tiny', long),
      { ...ANTHROPIC_HEADERS, 'x-api-key': 'sk-ant-right' },
    );
    expect(anthropic.status).toBe(400);
    expect(anthropic.body.error.message).toBe('prompt is too long: 51 tokens > 50 maximum');
    const fits = await fetch(client.url('sim-locked', '/chat/completions'), {
      method: 'POST',
      headers: { authorization: 'Bearer sk-right' },
      body: JSON.stringify(chat('tiny', 'x'.repeat(200))),
    });
    expect(fits.status).toBe(200);
  });
});

describe('models, stats and recorded requests', () => {
  it('lists models in each wire shape', async () => {
    const openai = (await (await fetch(client.url('sim-deepseek', '/models'))).json()) as {
      object: string;
      data: Array<{ id: string; object: string }>;
    };
    expect(openai.object).toBe('list');
    expect(openai.data.map((model) => model.id)).toEqual(['deepseek-chat', 'deepseek-reasoner']);
    const anthropic = (await (await fetch(client.url('sim-anthropic', '/models'))).json()) as {
      data: Array<{ id: string; type: string }>;
      has_more: boolean;
    };
    expect(anthropic.data[0]).toMatchObject({ type: 'model', id: 'claude-3-5-haiku-20241022' });
    expect(anthropic.has_more).toBe(false);
  });

  it('counts requests per provider, model and outcome; /_sim/stats and /_sim/reset', async () => {
    sim.resetStats();
    await client.chat('sim-openai', chat('gpt-4o-mini', 'a'));
    await client.stream('sim-openai', '/chat/completions', {
      ...chat('gpt-4.1', 'b'),
      stream: true,
    });
    await client.chat('sim-openai', chat('gpt-4o-mini', 'c [[sim:fault=429]]'));
    await client.chat('sim-openai', chat('nope', 'd'));
    const stats = sim.stats();
    expect(stats.requests).toBe(4);
    expect(stats.inFlight).toBe(0);
    expect(stats.outcomes).toEqual({ ok: 2, rate_limited: 1, not_found: 1 });
    const provider = stats.providers['sim-openai'];
    expect(provider?.requests).toBe(4);
    expect(provider?.models['gpt-4o-mini']).toEqual({
      requests: 2,
      streamed: 0,
      outcomes: { ok: 1, rate_limited: 1 },
    });
    expect(provider?.models['gpt-4.1']?.streamed).toBe(1);
    expect(provider?.models['(unknown)']?.requests).toBe(1);
    const overHttp = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { requests: number };
    expect(overHttp.requests).toBe(4);
    expect((await fetch(`${sim.url}/_sim/reset`, { method: 'POST' })).status).toBe(200);
    expect(sim.stats().requests).toBe(0);
  });

  it('records recent requests with credentials redacted', async () => {
    sim.resetStats();
    await fetch(client.url('sim-locked', '/chat/completions'), {
      method: 'POST',
      headers: { authorization: 'Bearer sk-right', 'x-request-id': 'abc' },
      body: JSON.stringify(chat('tiny', 'hello')),
    });
    const [recorded] = sim.recentRequests();
    expect(recorded).toMatchObject({
      providerId: 'sim-locked',
      method: 'POST',
      path: '/v1/chat/completions',
      body: chat('tiny', 'hello'),
    });
    expect(recorded?.headers['authorization']).toBe('[redacted]');
    expect(recorded?.headers['x-request-id']).toBe('abc');
  });
});
