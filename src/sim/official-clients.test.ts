import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './start-simulator.js';
import type { RunningSimulator } from './sim-types.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0 });
});
afterAll(() => sim.close());

const weather = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('official openai client against sim-openai', () => {
  const client = (): OpenAI =>
    new OpenAI({ baseURL: sim.baseUrlFor('sim-openai'), apiKey: 'sk-test', maxRetries: 0 });

  it('creates a chat completion, streams one, calls a tool and lists models', async () => {
    const openai = client();
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello in go' }],
    });
    expect(completion.choices[0]?.message.content).toMatch(
      /^\[simulated gpt-4o-mini via sim-openai\]/,
    );

    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello in go' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(completion.choices[0]?.message.content);
    expect(usage?.completion_tokens).toBe(completion.usage?.completion_tokens);

    const runner = openai.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'weather in Paris?' }],
      tools: [{ type: 'function', function: weather }],
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(
      call?.type === 'function' ? JSON.parse(call.function.arguments) : undefined,
    ).toHaveProperty('city');

    const models = await openai.models.list();
    expect(models.data.map((model) => model.id)).toContain('gpt-4.1');
  });

  it('surfaces simulated errors as typed API errors', async () => {
    const error: unknown = await client()
      .chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: '[[sim:fault=429]]' }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  });
});

describe('official anthropic client against sim-anthropic', () => {
  // The Anthropic SDK appends /v1/messages itself, so its baseURL is the provider root without /v1.
  const client = (): Anthropic =>
    new Anthropic({
      baseURL: sim.baseUrlFor('sim-anthropic').replace(/\/v1$/, ''),
      apiKey: 'sk-ant-test',
      maxRetries: 0,
    });

  it('creates a message, streams one (helper and raw events) and calls a tool', async () => {
    const anthropic = client();
    const request = {
      model: 'claude-sonnet-4-20250514',
      max_tokens: 512,
      messages: [{ role: 'user' as const, content: 'hello in java' }],
    };
    const message = await anthropic.messages.create(request);
    const first = message.content[0];
    expect(first?.type === 'text' ? first.text : '').toMatch(
      /^\[simulated claude-sonnet-4-20250514 via sim-anthropic\]/,
    );

    const streamed = await anthropic.messages.stream(request).finalMessage();
    expect(streamed.content).toEqual(message.content);
    expect(streamed.usage.output_tokens).toBe(message.usage.output_tokens);

    const raw = await anthropic.messages.create({ ...request, stream: true });
    const types: string[] = [];
    for await (const event of raw) types.push(event.type);
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');

    const withTool = await anthropic.messages
      .stream({
        ...request,
        tools: [
          {
            name: weather.name,
            description: weather.description,
            input_schema: {
              type: 'object',
              properties: { city: { type: 'string' } },
              required: ['city'],
            },
          },
        ],
      })
      .finalMessage();
    expect(withTool.stop_reason).toBe('tool_use');
    const use = withTool.content.find((block) => block.type === 'tool_use');
    expect(use?.type === 'tool_use' ? use.input : undefined).toHaveProperty('city');
  });

  it('surfaces simulated errors as typed API errors', async () => {
    const error: unknown = await client()
      .messages.create({
        model: 'claude-3-5-haiku-20241022',
        max_tokens: 10,
        messages: [{ role: 'user', content: '[[sim:fault=529]]' }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
  });
});
