import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway();
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
});
afterAll(() => gateway.close());

const weatherTool: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
      required: ['city', 'unit'],
    },
  },
};

describe('openai SDK → /v1/chat/completions', () => {
  it('answers a chat completion with the headers naming what served it', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'deepseek-chat',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Write a Python function that adds two numbers' },
        ],
      })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe('deepseek-chat');
    expect(data.choices[0]!.message.content).toContain(
      '[simulated deepseek-chat via sim-deepseek]',
    );
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage!.completion_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-switchyard-model')).toBe('deepseek-chat');
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-deepseek');
  });

  it('resolves auto to the default model and lists it among the models', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    expect(data.model).toBe('deepseek-chat');
    expect(response.headers.get('x-switchyard-model')).toBe('deepseek-chat');
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'auto',
        'deepseek-chat',
        'gpt-4o-mini',
        'claude-3-5-haiku-20241022',
        'codestral-latest',
      ]),
    );
    const auto = await client.models.retrieve('auto');
    expect(auto.id).toBe('auto');
  });

  it('passes n, stop, seed, temperature, top_p, max_tokens and user upstream', async () => {
    const data = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Explain recursion' }],
      n: 2,
      stop: ['\n\n'],
      seed: 7,
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 12,
      user: 'u-1',
    });
    expect(data.choices).toHaveLength(2);
    expect(data.choices.map((choice) => choice.index)).toEqual([0, 1]);
    const upstream = gateway.simulator!.recentRequests().at(-1)!;
    expect(upstream.body).toMatchObject({
      model: 'gpt-4o-mini',
      n: 2,
      stop: ['\n\n'],
      seed: 7,
      temperature: 0.2,
      top_p: 0.9,
      user: 'u-1',
    });
    for (const choice of data.choices) expect(['length', 'stop']).toContain(choice.finish_reason);
    expect(data.usage!.completion_tokens).toBeLessThanOrEqual(24);
  });

  it('honours max_completion_tokens', async () => {
    const data = await client.chat.completions.create({
      model: 'qwen3-coder-plus',
      messages: [{ role: 'user', content: 'Write a long essay' }],
      max_completion_tokens: 5,
    });
    expect(data.choices[0]!.finish_reason).toBe('length');
    expect(data.usage!.completion_tokens).toBe(5);
  });

  it('streams deltas and, when asked, usage in a final chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'deepseek-chat',
      messages: [{ role: 'user', content: 'stream please [[sim:tokens=20]]' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usageChunks = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) {
        usageChunks += 1;
        expect(chunk.choices).toEqual([]);
        expect(chunk.usage.completion_tokens).toBe(20);
      }
    }
    expect(text).toContain('[simulated deepseek-chat');
    expect(finish).toBe('stop');
    expect(usageChunks).toBe(1);
  });

  it('does not leak usage to a streaming client that did not ask, but still requests it upstream', async () => {
    const recordPromise = gateway.nextRecord();
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'no usage please' }],
      stream: true,
    });
    for await (const chunk of stream) expect(chunk.usage ?? undefined).toBeUndefined();
    const upstream = gateway.simulator!.recentRequests().at(-1)!;
    expect(upstream.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const record = await recordPromise;
    expect(record.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('returns tool calls and accepts tool results in the next turn', async () => {
    const first = await client.chat.completions.create({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
    });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.type).toBe('function');
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
    expect(typeof args.city).toBe('string');
    expect(['c', 'f']).toContain(args.unit);

    const second = await client.chat.completions.create({
      model: 'gpt-4.1',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: call.id, content: '{"temp": 21}' },
      ],
    });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    expect(second.choices[0]!.message.content).toContain('[simulated gpt-4.1');
  });

  it('streams tool-call deltas that the SDK reassembles', async () => {
    const stream = client.chat.completions.stream({
      model: 'deepseek-chat',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [weatherTool],
      tool_choice: 'required',
    });
    let argumentDeltas = 0;
    stream.on('tool_calls.function.arguments.delta', () => {
      argumentDeltas += 1;
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(call.id).toBeTruthy();
    expect(JSON.parse(call.function.arguments)).toHaveProperty('city');
    expect(argumentDeltas).toBeGreaterThan(1);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('returns JSON for response_format json_object and json_schema', async () => {
    const object = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Give me JSON about a user' }],
      response_format: { type: 'json_object' },
    });
    expect(() => JSON.parse(object.choices[0]!.message.content!)).not.toThrow();
    const schema = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'A test case' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'test_case',
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, passes: { type: 'boolean' } },
            required: ['name', 'passes'],
            additionalProperties: false,
          },
        },
      },
    });
    const parsed = JSON.parse(schema.choices[0]!.message.content!) as Record<string, unknown>;
    expect(typeof parsed.name).toBe('string');
    expect(typeof parsed.passes).toBe('boolean');
    expect(gateway.simulator!.recentRequests().at(-1)!.body).toMatchObject({
      response_format: { type: 'json_schema' },
    });
  });

  it('serves an OpenAI client from an Anthropic upstream, streaming included', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'claude-3-5-haiku-20241022',
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Hello' },
        ],
        max_tokens: 200,
      })
      .withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-anthropic');
    expect(data.choices[0]!.message.content).toContain(
      '[simulated claude-3-5-haiku-20241022 via sim-anthropic]',
    );
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    const upstream = gateway.simulator!.recentRequests().at(-1)!;
    expect(upstream.body).toMatchObject({ system: 'You are terse.', max_tokens: 200 });

    const stream = await client.chat.completions.create({
      model: 'claude-sonnet-4-20250514',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [weatherTool],
      stream: true,
      stream_options: { include_usage: true },
    });
    let name = '';
    let args = '';
    let usage = 0;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      name += call?.function?.name ?? '';
      args += call?.function?.arguments ?? '';
      usage += chunk.usage?.completion_tokens ?? 0;
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toHaveProperty('city');
    expect(usage).toBeGreaterThan(0);
  });
});

describe('openai SDK → /v1/completions', () => {
  it('completes a prompt with a FIM suffix', async () => {
    const data = await client.completions.create({
      model: 'codestral-latest',
      prompt: 'def add(a, b):\n',
      suffix: '\nprint(add(1, 2))',
      max_tokens: 30,
    });
    expect(data.object).toBe('text_completion');
    expect(data.choices[0]!.text.length).toBeGreaterThan(0);
    expect(gateway.simulator!.recentRequests().at(-1)!.body).toMatchObject({
      prompt: 'def add(a, b):\n',
      suffix: '\nprint(add(1, 2))',
    });
  });

  it('answers a prompt array with one choice per prompt', async () => {
    const data = await client.completions.create({
      model: 'qwen2.5-coder-7b-instruct',
      prompt: ['// sort\n', '# parse\n'],
      max_tokens: 10,
    });
    expect(data.choices.map((choice) => choice.index).sort()).toEqual([0, 1]);
  });

  it('streams a completion', async () => {
    const stream = await client.completions.create({
      model: 'deepseek-chat',
      prompt: 'function fib(n) {',
      suffix: '}',
      max_tokens: 16,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text.length).toBeGreaterThan(0);
  });

  it('refuses completions on a chat-only provider with a clear 400', async () => {
    await expect(
      client.completions.create({ model: 'claude-3-5-haiku-20241022', prompt: 'x' }),
    ).rejects.toMatchObject({ status: 400, code: 'unsupported' });
  });
});

describe('openai SDK error cases', () => {
  it('unknown model → 404 model_not_found', async () => {
    await expect(
      client.chat.completions.create({
        model: 'gpt-9-ultra',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
      param: 'model',
      type: 'invalid_request_error',
    });
  });

  it('wrong types → 400 with the param named', async () => {
    await expect(
      client.chat.completions.create({
        model: 'auto',
        messages: [{ role: 'user', content: 'x' }],
        temperature: 'hot' as unknown as number,
      }),
    ).rejects.toMatchObject({ status: 400, param: 'temperature' });
    await expect(
      client.chat.completions.create({ model: 'auto', messages: [] }),
    ).rejects.toMatchObject({ status: 400, param: 'messages' });
  });

  it('upstream 429 → RateLimitError with retry-after', async () => {
    const error = await client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x [[sim:fault=429]]' }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe(
      'upstream_rate_limited',
    );
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe(
      '1',
    );
  });

  it('upstream 500 and connection reset → 503 upstream_unavailable', async () => {
    await expect(
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x [[sim:fault=500]]' }],
      }),
    ).rejects.toMatchObject({ status: 503, code: 'upstream_unavailable' });
    await expect(
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x [[sim:fault=reset]]' }],
      }),
    ).rejects.toMatchObject({ status: 503, code: 'upstream_unavailable' });
  });

  it('a stream cut mid-way ends with an error the SDK raises', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x [[sim:fault=cut]]' }],
      stream: true,
    });
    const consume = async (): Promise<void> => {
      for await (const _chunk of stream) {
        /* drain */
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: 'upstream_stream_interrupted' });
  });
});
