import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve-config.js';
import { startGateway, type RunningGateway } from '../app/start-gateway.js';
import { lastUserText, SimReplayTable } from './replay-table.js';
import { SimTestClient } from '../../test/helpers/sim-test-client.js';
import type { RunningSimulator, SimFleet } from './sim-types.js';
import { startSimulator } from './start-simulator.js';

const PROMPT = 'Write a function to find the shared elements from the given two lists.';
const ANSWER =
  'Here is one:\n\n```python\ndef shared(a, b):\n    return list(set(a) & set(b))\n```';

const FLEET: SimFleet = {
  providers: [
    {
      id: 'rb-openai',
      wire: 'openai-compatible',
      models: [
        {
          name: 'gpt-4-1106-preview',
          ttftMs: 0,
          tokensPerSecond: 0,
          contextWindow: 128_000,
          maxOutputTokens: 4096,
        },
        {
          name: 'gpt-3.5-turbo-1106',
          ttftMs: 0,
          tokensPerSecond: 0,
          contextWindow: 16_385,
          maxOutputTokens: 4096,
        },
      ],
    },
    {
      id: 'rb-anthropic',
      wire: 'anthropic',
      models: [
        {
          name: 'claude-v2',
          ttftMs: 0,
          tokensPerSecond: 0,
          contextWindow: 100_000,
          maxOutputTokens: 4096,
        },
      ],
    },
  ],
};

function replayTable(): SimReplayTable {
  const table = new SimReplayTable();
  table.set('gpt-4-1106-preview', PROMPT, {
    text: ANSWER,
    promptTokens: 37,
    completionTokens: 101,
  });
  table.set('claude-v2', PROMPT, {
    text: `Claude says:\n${ANSWER}`,
    promptTokens: 40,
    completionTokens: 55,
  });
  return table;
}

describe('replay table', () => {
  it('keys on model and trimmed prompt text, and rejects impossible token counts', () => {
    const table = replayTable();
    expect(table.get('gpt-4-1106-preview', `  ${PROMPT}\n`)?.completionTokens).toBe(101);
    expect(table.get('gpt-3.5-turbo-1106', PROMPT)).toBeUndefined();
    expect(table.get('gpt-4-1106-preview', `${PROMPT}!`)).toBeUndefined();
    expect(() => table.set('m', 'p', { text: 'x', completionTokens: 0 })).toThrow(
      /positive integer/,
    );
    expect(() => table.set('m', 'p', { text: 'x', promptTokens: 1.5 })).toThrow(
      /non-negative integer/,
    );
  });

  it('reads the last user message of both wires, string or text parts', () => {
    expect(
      lastUserText({
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: 'b' },
          { role: 'user', content: 'c' },
        ],
      }),
    ).toBe('c');
    expect(
      lastUserText({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'x' },
              { type: 'image', source: {} },
              { type: 'text', text: 'y' },
            ],
          },
        ],
      }),
    ).toBe('x\ny');
    expect(
      lastUserText({ messages: [{ role: 'system', content: 'only system' }] }),
    ).toBeUndefined();
    expect(lastUserText('not a body')).toBeUndefined();
  });
});

describe('simulator replay over HTTP', () => {
  let sim: RunningSimulator;
  let client: SimTestClient;
  beforeAll(async () => {
    sim = await startSimulator({ fleet: FLEET, timeScale: 0, replay: replayTable() });
    client = new SimTestClient(sim);
  });
  afterAll(() => sim.close());

  it('answers an OpenAI chat with the recorded text and token counts, JSON and streamed alike', async () => {
    const body = {
      model: 'gpt-4-1106-preview',
      messages: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: PROMPT },
      ],
    };
    const answer = await client.chat<OpenAI.ChatCompletion>('rb-openai', body);
    expect(answer.body.choices[0]?.message.content).toBe(ANSWER);
    expect(answer.body.choices[0]?.finish_reason).toBe('stop');
    expect(answer.body.usage).toMatchObject({ prompt_tokens: 37, completion_tokens: 101 });

    const streamed = await client.stream('rb-openai', '/chat/completions', {
      ...body,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = streamed.events
      .map((event) => event.data)
      .filter((data): data is OpenAI.ChatCompletionChunk => typeof data === 'object');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(ANSWER);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 37, completion_tokens: 101 });
  });

  it('answers Anthropic messages from the table too', async () => {
    const answer = await client.messages<{
      content: Array<{ text: string }>;
      usage: { input_tokens: number; output_tokens: number };
    }>(
      {
        model: 'claude-v2',
        max_tokens: 1024,
        messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }],
      },
      'rb-anthropic',
    );
    expect(answer.body.content[0]?.text).toBe(`Claude says:\n${ANSWER}`);
    expect(answer.body.usage).toMatchObject({ input_tokens: 40, output_tokens: 55 });
  });

  it('caps a recorded answer at max_tokens, and generates as usual without an entry', async () => {
    const capped = await client.chat<OpenAI.ChatCompletion>('rb-openai', {
      model: 'gpt-4-1106-preview',
      max_tokens: 50,
      messages: [{ role: 'user', content: PROMPT }],
    });
    expect(capped.body.choices[0]?.finish_reason).toBe('length');
    expect(capped.body.usage?.completion_tokens).toBe(50);
    expect(ANSWER.startsWith(capped.body.choices[0]?.message.content ?? 'x')).toBe(true);

    const generated = await client.chat<OpenAI.ChatCompletion>('rb-openai', {
      model: 'gpt-3.5-turbo-1106',
      messages: [{ role: 'user', content: PROMPT }],
    });
    expect(generated.body.choices[0]?.message.content).toMatch(
      /^\[simulated gpt-3.5-turbo-1106 via rb-openai\]/,
    );
  });
});

describe('replay through the gateway with the official openai client', () => {
  let sim: RunningSimulator;
  let gateway: RunningGateway;
  beforeAll(async () => {
    sim = await startSimulator({ fleet: FLEET, timeScale: 0, replay: replayTable() });
    const config = resolveConfig(
      {
        server: { host: '127.0.0.1', port: 0 },
        ledger: { enabled: false },
        providers: {
          'rb-openai': { type: 'simulated', base_url: sim.baseUrlFor('rb-openai') },
          'rb-anthropic': { type: 'simulated', base_url: sim.baseUrlFor('rb-anthropic') },
        },
        models: {
          'gpt-4-1106-preview': { deployments: [{ provider: 'rb-openai' }] },
          'claude-v2': { deployments: [{ provider: 'rb-anthropic' }] },
        },
        catalog: {
          models: {
            'gpt-4-1106-preview': {
              tier: 4,
              deployments: { 'rb-openai': { price: { input: 10, output: 30 } } },
            },
            'claude-v2': {
              tier: 3,
              deployments: { 'rb-anthropic': { price: { input: 8, output: 24 } } },
            },
          },
        },
      },
      'replay test',
      {},
      FLEET,
    );
    gateway = await startGateway(config);
  });
  afterAll(async () => {
    await gateway.close();
    await sim.close();
  });

  it('serves the recorded answer and costs it from the recorded token counts, on both wires', async () => {
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const gpt = await openai.chat.completions
      .create({ model: 'gpt-4-1106-preview', messages: [{ role: 'user', content: PROMPT }] })
      .withResponse();
    expect(gpt.data.choices[0]?.message.content).toBe(ANSWER);
    expect(Number(gpt.response.headers.get('x-switchyard-cost-usd'))).toBeCloseTo(
      (37 * 10 + 101 * 30) / 1e6,
      9,
    );

    const claude = await openai.chat.completions
      .create({ model: 'claude-v2', messages: [{ role: 'user', content: PROMPT }] })
      .withResponse();
    expect(claude.data.choices[0]?.message.content).toBe(`Claude says:\n${ANSWER}`);
    expect(claude.response.headers.get('x-switchyard-model')).toBe('claude-v2');
    expect(Number(claude.response.headers.get('x-switchyard-cost-usd'))).toBeCloseTo(
      (40 * 8 + 55 * 24) / 1e6,
      9,
    );
  });
});
