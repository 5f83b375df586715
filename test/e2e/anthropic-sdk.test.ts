import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  gateway = await startTestGateway();
  client = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-ant-test', maxRetries: 0 });
});
afterAll(() => gateway.close());

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('@anthropic-ai/sdk → /v1/messages', () => {
  it('answers from an Anthropic upstream with system prompt and stop sequences passed through', async () => {
    const { data, response } = await client.messages
      .create({
        model: 'claude-3-5-haiku-20241022',
        max_tokens: 300,
        system: 'You write Go.',
        stop_sequences: ['END'],
        messages: [{ role: 'user', content: 'Write a Go function' }],
      })
      .withResponse();
    expect(data.type).toBe('message');
    expect(data.role).toBe('assistant');
    expect(data.content[0]).toMatchObject({ type: 'text' });
    expect((data.content[0] as Anthropic.TextBlock).text).toContain(
      '[simulated claude-3-5-haiku-20241022 via sim-anthropic]',
    );
    expect(data.stop_reason).toBe('end_turn');
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-anthropic');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(gateway.simulator!.recentRequests().at(-1)!.body).toMatchObject({
      system: 'You write Go.',
      stop_sequences: ['END'],
      max_tokens: 300,
    });
  });

  it('is served by an OpenAI-compatible upstream (DeepSeek) with the stop reason mapped', async () => {
    const { data, response } = await client.messages
      .create({
        model: 'deepseek-chat',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'Write a long Rust program' }],
      })
      .withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-deepseek');
    expect(data.stop_reason).toBe('max_tokens');
    expect(data.usage.output_tokens).toBe(8);
    const upstream = gateway.simulator!.recentRequests().at(-1)!;
    expect(upstream.path).toBe('/v1/chat/completions');
    expect(upstream.body).toMatchObject({ model: 'deepseek-chat', max_tokens: 8 });
  });

  it('streams the full event sequence and the SDK assembles the message', async () => {
    const events: string[] = [];
    const stream = client.messages.stream({
      model: 'qwen3-coder-plus',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Explain closures [[sim:tokens=15]]' }],
    });
    stream.on('streamEvent', (event) => events.push(event.type));
    const final = await stream.finalMessage();
    expect(events[0]).toBe('message_start');
    expect(events.at(-1)).toBe('message_stop');
    expect(events).toContain('content_block_start');
    expect(events).toContain('content_block_delta');
    expect(events).toContain('content_block_stop');
    expect(events.at(-2)).toBe('message_delta');
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBe(15);
    expect(final.usage.input_tokens).toBeGreaterThan(0);
    expect((final.content[0] as Anthropic.TextBlock).text).toContain('[simulated qwen3-coder-plus');
  });

  it('round-trips tool_use and tool_result across both kinds of upstream', async () => {
    for (const model of ['claude-sonnet-4-20250514', 'gpt-4.1']) {
      const first = await client.messages.create({
        model,
        max_tokens: 300,
        tools: [weatherTool],
        messages: [{ role: 'user', content: 'Weather in Lima?' }],
      });
      expect(first.stop_reason).toBe('tool_use');
      const toolUse = first.content.find(
        (block): block is Anthropic.ToolUseBlock => block.type === 'tool_use',
      )!;
      expect(toolUse.name).toBe('get_weather');
      expect(typeof (toolUse.input as { city: unknown }).city).toBe('string');
      const second = await client.messages.create({
        model,
        max_tokens: 300,
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'Weather in Lima?' },
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '18°C, cloudy' }],
          },
        ],
      });
      expect(second.stop_reason).toBe('end_turn');
      expect(second.content[0]!.type).toBe('text');
    }
    const openAIUpstream = gateway.simulator!.recentRequests().at(-1)!.body as {
      messages: Array<{ role: string; tool_call_id?: string }>;
    };
    expect(openAIUpstream.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
    ]);
  });

  it('streams tool_use input as input_json_delta', async () => {
    const stream = client.messages.stream({
      model: 'deepseek-chat',
      max_tokens: 300,
      tools: [weatherTool],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Weather in Rome?' }],
    });
    let jsonDeltas = 0;
    stream.on('inputJson', () => {
      jsonDeltas += 1;
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(jsonDeltas).toBeGreaterThan(0);
    expect(final.content.find((block) => block.type === 'tool_use')).toMatchObject({
      name: 'get_weather',
      input: { city: expect.any(String) },
    });
  });

  it('lists models in the Anthropic shape', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(
      expect.arrayContaining(['auto', 'claude-3-5-haiku-20241022', 'deepseek-chat']),
    );
  });
});

describe('@anthropic-ai/sdk error cases', () => {
  it('unknown model → NotFoundError', async () => {
    const error = await client.messages
      .create({ model: 'claude-9', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('missing max_tokens → BadRequestError in the Anthropic error shape', async () => {
    const error = await client.messages
      .create({
        model: 'auto',
        messages: [{ role: 'user', content: 'x' }],
      } as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
  });

  it('upstream overload → 503 overloaded_error; rate limit → RateLimitError', async () => {
    await expect(
      client.messages.create({
        model: 'claude-3-5-haiku-20241022',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x [[sim:fault=529]]' }],
      }),
    ).rejects.toMatchObject({
      status: 503,
      error: { error: { type: 'overloaded_error' } },
    });
    const error = await client.messages
      .create({
        model: 'deepseek-chat',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x [[sim:fault=429]]' }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
  });

  it('a stream cut mid-way ends with an error event the SDK raises', async () => {
    const stream = client.messages.stream({
      model: 'claude-3-5-haiku-20241022',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'x [[sim:fault=cut]]' }],
    });
    await expect(stream.finalMessage()).rejects.toThrow(/upstream stream failed/i);
  });
});
