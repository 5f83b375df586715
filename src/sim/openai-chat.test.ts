import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SimTestClient } from '../../test/helpers/sim-test-client.js';
import { startSimulator } from './start-simulator.js';
import type { RunningSimulator } from './sim-types.js';

type Completion = OpenAI.ChatCompletion;
type Chunk = OpenAI.ChatCompletionChunk;

let sim: RunningSimulator;
let client: SimTestClient;
beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0 });
  client = new SimTestClient(sim);
});
afterAll(() => sim.close());

const ask = (content: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content }],
  ...extra,
});

function streamedText(chunks: Chunk[], index = 0): string {
  return chunks
    .flatMap((chunk) => chunk.choices)
    .filter((choice) => choice.index === index)
    .map((choice) => choice.delta.content ?? '')
    .join('');
}

describe('openai-compatible chat completions', () => {
  it('answers a JSON chat.completion with the simulated prefix, a snippet and consistent usage', async () => {
    const prompt = 'Write a typescript function that sums numbers [[sim:tokens=60]]';
    const { status, body } = await client.chat<Completion>('sim-openai', ask(prompt));
    expect(status).toBe(200);
    expect(body.object).toBe('chat.completion');
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(body.model).toBe('gpt-4o-mini');
    const choice = body.choices[0];
    expect(choice?.finish_reason).toBe('stop');
    expect(choice?.message.role).toBe('assistant');
    expect(choice?.message.content).toMatch(/^\[simulated gpt-4o-mini via sim-openai\] /);
    expect(choice?.message.content).toContain('```typescript');
    expect(body.usage?.completion_tokens).toBe(60);
    expect(body.usage?.prompt_tokens).toBe(Math.ceil(prompt.length / 4));
    expect(body.usage?.total_tokens).toBe((body.usage?.prompt_tokens ?? 0) + 60);
  });

  it('is deterministic, identical streamed or not, and sensitive to content and sampling params', async () => {
    const first = await client.chat<Completion>('sim-qwen', {
      ...ask('go code please [[sim:tokens=80]]'),
      model: 'qwen3-coder-plus',
    });
    const again = await client.chat<Completion>('sim-qwen', {
      ...ask('go code please [[sim:tokens=80]]'),
      model: 'qwen3-coder-plus',
    });
    const streamed = await client.stream('sim-qwen', '/chat/completions', {
      ...ask('go code please [[sim:tokens=80]]'),
      model: 'qwen3-coder-plus',
      stream: true,
    });
    const hotter = await client.chat<Completion>('sim-qwen', {
      ...ask('go code please [[sim:tokens=80]]'),
      model: 'qwen3-coder-plus',
      temperature: 0.3,
    });
    const text = first.body.choices[0]?.message.content;
    expect(text).toContain('```go');
    expect(again.body.choices[0]?.message.content).toBe(text);
    expect(streamedText(streamed.events.slice(0, -1).map((event) => event.data as Chunk))).toBe(
      text,
    );
    expect(hotter.body.choices[0]?.message.content).not.toBe(text);
  });

  it('streams role chunk, content deltas, a finish chunk and [DONE], without usage unless asked', async () => {
    const { status, headers, events } = await client.stream(
      'sim-openai',
      '/chat/completions',
      ask('hi [[sim:tokens=12]]', { stream: true }),
    );
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/event-stream');
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => event.data as Chunk);
    expect(
      chunks.every(
        (chunk) => chunk.object === 'chat.completion.chunk' && chunk.choices.length === 1,
      ),
    ).toBe(true);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.filter((chunk) => (chunk.choices[0]?.delta.content ?? '') !== '')).toHaveLength(
      12,
    );
    expect(chunks.some((chunk) => chunk.usage !== undefined && chunk.usage !== null)).toBe(false);
  });

  it('sends a usage chunk with empty choices when stream_options.include_usage is true', async () => {
    const { events } = await client.stream(
      'sim-openai',
      '/chat/completions',
      ask('hi [[sim:tokens=7]]', { stream: true, stream_options: { include_usage: true } }),
    );
    const last = events.at(-2)?.data as Chunk;
    expect(last.choices).toEqual([]);
    expect(last.usage?.completion_tokens).toBe(7);
    expect(events.at(-1)?.data).toBe('[DONE]');
  });

  it('rejects stream_options without stream', async () => {
    const { status } = await client.chat(
      'sim-openai',
      ask('hi', { stream_options: { include_usage: true } }),
    );
    expect(status).toBe(400);
  });

  it('returns n different choices', async () => {
    const { body } = await client.chat<Completion>('sim-openai', ask('python please', { n: 3 }));
    expect(body.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    expect(new Set(body.choices.map((choice) => choice.message.content)).size).toBe(3);
    const total = body.usage?.completion_tokens ?? 0;
    expect(total).toBeGreaterThanOrEqual(60);
    const streamed = await client.stream(
      'sim-openai',
      '/chat/completions',
      ask('python please', { n: 3, stream: true }),
    );
    const chunks = streamed.events.slice(0, -1).map((event) => event.data as Chunk);
    for (const choice of body.choices)
      expect(streamedText(chunks, choice.index)).toBe(choice.message.content);
  });

  it('honours stop sequences (finish stop, text cut before the sequence)', async () => {
    const { body } = await client.chat<Completion>(
      'sim-openai',
      ask('python code [[sim:tokens=100]]', { stop: ['```'] }),
    );
    const content = body.choices[0]?.message.content ?? '';
    expect(body.choices[0]?.finish_reason).toBe('stop');
    expect(content).not.toContain('```');
    expect(content.endsWith('\n\n')).toBe(true);
    expect(body.usage?.completion_tokens).toBeLessThan(100);
  });

  it('caps at max_tokens / max_completion_tokens with finish length', async () => {
    const capped = await client.chat<Completion>(
      'sim-openai',
      ask('hi [[sim:tokens=50]]', { max_tokens: 9 }),
    );
    expect(capped.body.choices[0]?.finish_reason).toBe('length');
    expect(capped.body.usage?.completion_tokens).toBe(9);
    const newer = await client.chat<Completion>(
      'sim-openai',
      ask('hi [[sim:tokens=50]]', { max_completion_tokens: 5 }),
    );
    expect(newer.body.usage?.completion_tokens).toBe(5);
    const tooLarge = await client.chat('sim-openai', ask('hi', { max_tokens: 100_000 }));
    expect(tooLarge.status).toBe(400);
  });

  const weatherTool = {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string' },
          days: { type: 'integer', minimum: 1, maximum: 7 },
          unit: { type: 'string', enum: ['c', 'f'] },
        },
        required: ['city', 'unit'],
      },
    },
  };
  const searchTool = {
    type: 'function',
    function: {
      name: 'search_code',
      parameters: {
        type: 'object',
        properties: { query: { type: 'string' } },
        required: ['query'],
      },
    },
  };

  it('calls the first tool with schema-valid arguments, and the forced one when named', async () => {
    const { body } = await client.chat<Completion>(
      'sim-openai',
      ask('weather?', { tools: [weatherTool, searchTool] }),
    );
    const choice = body.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    expect(call?.id).toMatch(/^call_/);
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    const args = JSON.parse(call.function.arguments) as {
      city: string;
      days: number;
      unit: string;
    };
    expect(typeof args.city).toBe('string');
    expect(Number.isInteger(args.days) && args.days >= 1 && args.days <= 7).toBe(true);
    expect(['c', 'f']).toContain(args.unit);
    const forced = await client.chat<Completion>(
      'sim-openai',
      ask('weather?', {
        tools: [weatherTool, searchTool],
        tool_choice: { type: 'function', function: { name: 'search_code' } },
      }),
    );
    const forcedCall = forced.body.choices[0]?.message.tool_calls?.[0];
    expect(forcedCall?.type === 'function' ? forcedCall.function.name : '').toBe('search_code');
    const none = await client.chat<Completion>(
      'sim-openai',
      ask('weather?', { tools: [weatherTool], tool_choice: 'none' }),
    );
    expect(none.body.choices[0]?.message.tool_calls).toBeUndefined();
  });

  it('streams tool calls: first delta with id/type/name and empty arguments, then argument pieces', async () => {
    const { body } = await client.chat<Completion>(
      'sim-openai',
      ask('weather?', { tools: [weatherTool] }),
    );
    const { events } = await client.stream(
      'sim-openai',
      '/chat/completions',
      ask('weather?', { tools: [weatherTool], stream: true }),
    );
    const deltas = events
      .slice(0, -1)
      .flatMap((event) => (event.data as Chunk).choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toMatchObject({
      index: 0,
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(deltas[0]?.id).toMatch(/^call_/);
    expect(
      deltas
        .slice(1)
        .every((delta) => delta.id === undefined && delta.function?.name === undefined),
    ).toBe(true);
    const joined = deltas.map((delta) => delta.function?.arguments ?? '').join('');
    const call = body.choices[0]?.message.tool_calls?.[0];
    expect(joined).toBe(call?.type === 'function' ? call.function.arguments : '');
    expect((events.at(-2)!.data as Chunk).choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('answers in text after a tool result, and validates tool-call pairing', async () => {
    const history = [
      { role: 'user', content: 'weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
    ];
    const { body } = await client.chat<Completion>('sim-openai', {
      model: 'gpt-4o-mini',
      tools: [weatherTool],
      messages: history,
    });
    expect(body.choices[0]?.finish_reason).toBe('stop');
    expect(body.choices[0]?.message.content).toMatch(/^\[simulated/);
    const missing = await client.chat('sim-openai', {
      model: 'gpt-4o-mini',
      tools: [weatherTool],
      messages: history.slice(0, 2),
    });
    expect(missing.status).toBe(400);
    const orphan = await client.chat('sim-openai', {
      model: 'gpt-4o-mini',
      messages: [history[0], { role: 'tool', tool_call_id: 'call_9', content: 'x' }],
    });
    expect(orphan.status).toBe(400);
  });

  it('answers a JSON object in json_object mode, and a schema-valid object in json_schema mode', async () => {
    const plain = await client.chat<Completion>(
      'sim-openai',
      ask('Reply in JSON please', { response_format: { type: 'json_object' } }),
    );
    expect(typeof JSON.parse(plain.body.choices[0]?.message.content ?? '')).toBe('object');
    const withoutWord = await client.chat(
      'sim-openai',
      ask('Reply please', { response_format: { type: 'json_object' } }),
    );
    expect(withoutWord.status).toBe(400);
    const schema: Record<string, unknown> = {
      type: 'object',
      properties: {
        title: { type: 'string', minLength: 3 },
        score: { type: 'number', minimum: 0, maximum: 1 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
        status: { enum: ['open', 'closed'] },
        owner: { $ref: '#/$defs/person' },
        archived: { type: 'boolean' },
      },
      required: ['title', 'score', 'tags', 'status', 'owner', 'archived'],
      additionalProperties: false,
      $defs: {
        person: {
          type: 'object',
          properties: {
            email: { type: 'string', format: 'email' },
            age: { type: 'integer', minimum: 18 },
          },
          required: ['email', 'age'],
          additionalProperties: false,
        },
      },
    };
    const shaped = await client.chat<Completion>(
      'sim-openai',
      ask('Summarize', {
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'summary', schema, strict: true },
        },
      }),
    );
    const value: unknown = JSON.parse(shaped.body.choices[0]?.message.content ?? '');
    expect(z.fromJSONSchema(schema).safeParse(value).success).toBe(true);
  });
});
