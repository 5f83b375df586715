import type OpenAI from 'openai';
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

const flaky = {
  name: 'flaky-model',
  ttftMs: 0,
  tokensPerSecond: 100,
  contextWindow: 8_000,
  maxOutputTokens: 1_000,
  retryAfterSeconds: 3,
  faults: { rateLimited: 0.5 },
};
const FLEET: SimFleet = {
  providers: [
    ...DEFAULT_FLEET.providers,
    { id: 'sim-flaky', wire: 'openai-compatible', models: [flaky] },
  ],
};

let sim: RunningSimulator;
let client: SimTestClient;
beforeAll(async () => {
  sim = await startSimulator({ fleet: FLEET, timeScale: 0 });
  client = new SimTestClient(sim);
});
afterAll(() => sim.close());

const chat = (content: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content }],
  ...extra,
});
const message = (
  content: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  model: 'claude-3-5-haiku-20241022',
  max_tokens: 500,
  messages: [{ role: 'user', content }],
  ...extra,
});

function rawPost(
  target: RunningSimulator,
  providerId: string,
  path: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<Response> {
  const init: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ANTHROPIC_HEADERS },
    body: JSON.stringify(body),
  };
  if (signal !== undefined) init.signal = signal;
  return fetch(`${target.baseUrlFor(providerId)}${path}`, init);
}

/** Reads a body until it ends or breaks: the text received and whether it broke. */
async function readAll(response: Response): Promise<{ text: string; broke: boolean }> {
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const chunk = await reader?.read();
      if (chunk === undefined || chunk.done) return { text, broke: false };
      text += decoder.decode(chunk.value, { stream: true });
    }
  } catch {
    return { text, broke: true };
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++)
    await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('faults', () => {
  it('429 carries retry-after and retry-after-ms and the wire error body', async () => {
    const openai = await client.chat<OpenAiErrorBody>('sim-openai', chat('hi [[sim:fault=429]]'));
    expect(openai.status).toBe(429);
    expect(openai.headers.get('retry-after')).toBe('1');
    expect(openai.headers.get('retry-after-ms')).toBe('1000');
    expect(openai.body.error.code).toBe('rate_limit_exceeded');
    const anthropic = await client.messages<AnthropicErrorBody>(message('hi [[sim:fault=429]]'));
    expect(anthropic.status).toBe(429);
    expect(anthropic.body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    const custom = await client.chat('sim-flaky', {
      ...chat('x [[sim:fault=429]]'),
      model: 'flaky-model',
    });
    expect(custom.headers.get('retry-after')).toBe('3');
    expect(custom.headers.get('retry-after-ms')).toBe('3000');
  });

  it('500 / 503 / 529 in the wire shapes', async () => {
    const server = await client.chat<OpenAiErrorBody>('sim-openai', chat('x [[sim:fault=500]]'));
    expect([server.status, server.body.error.type]).toEqual([500, 'server_error']);
    const unavailable = await client.chat<OpenAiErrorBody>(
      'sim-openai',
      chat('x [[sim:fault=503]]'),
    );
    expect(unavailable.status).toBe(503);
    const overloaded = await client.messages<AnthropicErrorBody>(message('x [[sim:fault=529]]'));
    expect([overloaded.status, overloaded.body.error.type]).toEqual([529, 'overloaded_error']);
    const apiError = await client.messages<AnthropicErrorBody>(message('x [[sim:fault=500]]'));
    expect([apiError.status, apiError.body.error.type]).toEqual([500, 'api_error']);
  });

  it('reset destroys the socket without an answer', async () => {
    await expect(
      rawPost(sim, 'sim-openai', '/chat/completions', chat('x [[sim:fault=reset]]')),
    ).rejects.toThrow();
    expect(sim.stats().outcomes.reset).toBeGreaterThanOrEqual(1);
  });

  it('cut sends a few stream chunks, or half a JSON body, then destroys the socket', async () => {
    const streamed = await rawPost(
      sim,
      'sim-openai',
      '/chat/completions',
      chat('x [[sim:fault=cut]] [[sim:tokens=30]]', { stream: true }),
    );
    expect(streamed.status).toBe(200);
    const partial = await readAll(streamed);
    expect(partial.broke).toBe(true);
    expect(partial.text).toContain('chat.completion.chunk');
    expect(partial.text).not.toContain('[DONE]');
    const anthropic = await readAll(
      await rawPost(
        sim,
        'sim-anthropic',
        '/messages',
        message('x [[sim:fault=cut]]', { stream: true }),
      ),
    );
    expect(anthropic.broke).toBe(true);
    expect(anthropic.text).toContain('content_block_delta');
    expect(anthropic.text).not.toContain('message_stop');
    const json = await rawPost(sim, 'sim-openai', '/chat/completions', chat('x [[sim:fault=cut]]'));
    expect(json.status).toBe(200);
    const half = await readAll(json);
    expect(half.broke).toBe(true);
    expect(() => JSON.parse(half.text) as unknown).toThrow();
  });

  it('hang never answers; it is released when the client aborts', async () => {
    const controller = new AbortController();
    const pending = rawPost(
      sim,
      'sim-openai',
      '/chat/completions',
      chat('x [[sim:fault=hang]]'),
      controller.signal,
    );
    await waitFor(() => sim.stats().inFlight === 1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => sim.stats().inFlight === 0);
  });

  it('hang and stall are released promptly when the simulator closes', async () => {
    const own = await startSimulator({ timeScale: 0 });
    const hanging = rawPost(own, 'sim-openai', '/chat/completions', chat('x [[sim:fault=hang]]'));
    const stalled = await rawPost(
      own,
      'sim-anthropic',
      '/messages',
      message('x [[sim:fault=stall]]', { stream: true }),
    );
    expect(stalled.status).toBe(200);
    const stalledBody = readAll(stalled);
    await waitFor(() => own.stats().inFlight === 2);
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(hanging).rejects.toThrow();
    const stalledResult = await stalledBody;
    expect(stalledResult.broke).toBe(true);
    expect(stalledResult.text).toContain('content_block_delta');
  });

  it('midstream ends a stream with an in-stream error event', async () => {
    const openai = await client.stream(
      'sim-openai',
      '/chat/completions',
      chat('x [[sim:fault=midstream]]', { stream: true }),
    );
    const last = openai.events.at(-1)?.data as OpenAiErrorBody;
    expect(last.error.type).toBe('server_error');
    expect(openai.text).not.toContain('[DONE]');
    const anthropic = await client.stream(
      'sim-anthropic',
      '/messages',
      message('x [[sim:fault=midstream]]', { stream: true }),
      ANTHROPIC_HEADERS,
    );
    expect(anthropic.events.at(-1)?.event).toBe('error');
  });

  it('malformed breaks JSON-mode content and tool arguments', async () => {
    const jsonMode = await client.chat<OpenAI.ChatCompletion>(
      'sim-openai',
      chat('json please [[sim:fault=malformed]]', { response_format: { type: 'json_object' } }),
    );
    expect(() => JSON.parse(jsonMode.body.choices[0]?.message.content ?? '') as unknown).toThrow();
    const tool = {
      type: 'function',
      function: {
        name: 'f',
        parameters: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
      },
    };
    const call = await client.chat<OpenAI.ChatCompletion>(
      'sim-openai',
      chat('x [[sim:fault=malformed]]', { tools: [tool] }),
    );
    const toolCall = call.body.choices[0]?.message.tool_calls?.[0];
    expect(
      () => JSON.parse(toolCall?.type === 'function' ? toolCall.function.arguments : '') as unknown,
    ).toThrow();
    expect(sim.stats().outcomes.malformed).toBeGreaterThanOrEqual(2);
  });

  it('scopes faults to a provider or model, and counts them with *N', async () => {
    const elsewhere = await client.chat('sim-openai', chat('x [[sim:fault=429@sim-qwen]]'));
    expect(elsewhere.status).toBe(200);
    const here = await client.chat('sim-qwen', {
      ...chat('x [[sim:fault=429@sim-qwen]]'),
      model: 'qwen3-coder-plus',
    });
    expect(here.status).toBe(429);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++)
      statuses.push((await client.chat('sim-openai', chat('counted [[sim:fault=500*2]]'))).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('rolls random faults at the model rates, reproducibly with a seed', async () => {
    const run = async (): Promise<number[]> => {
      const seeded = await startSimulator({ fleet: FLEET, timeScale: 0, seed: 42 });
      const seededClient = new SimTestClient(seeded);
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 20; attempt++)
        statuses.push(
          (await seededClient.chat('sim-flaky', { ...chat(`q${attempt}`), model: 'flaky-model' }))
            .status,
        );
      await seeded.close();
      return statuses;
    };
    const first = await run();
    expect(first.filter((status) => status === 429).length).toBeGreaterThan(3);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(3);
    expect(await run()).toEqual(first);
  });
});
