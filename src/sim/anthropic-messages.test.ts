import type Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLEET } from './default-fleet.js';
import {
  ANTHROPIC_HEADERS,
  SimTestClient,
  type AnthropicErrorBody,
} from '../../test/helpers/sim-test-client.js';
import { startSimulator } from './start-simulator.js';
import type { RunningSimulator } from './sim-types.js';

type Event = Anthropic.RawMessageStreamEvent;

let sim: RunningSimulator;
let client: SimTestClient;
beforeAll(async () => {
  const thinker = {
    name: 'claude-thinker',
    ttftMs: 100,
    tokensPerSecond: 50,
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    reasoning: true,
  };
  const fleet = {
    providers: [
      ...DEFAULT_FLEET.providers,
      { id: 'sim-thinking', wire: 'anthropic' as const, models: [thinker] },
    ],
  };
  sim = await startSimulator({ fleet, timeScale: 0 });
  client = new SimTestClient(sim);
});
afterAll(() => sim.close());

const ask = (content: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'claude-sonnet-4-20250514',
  max_tokens: 1024,
  messages: [{ role: 'user', content }],
  ...extra,
});
const weatherTool = {
  name: 'get_weather',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 3 } },
    required: ['city', 'days'],
  },
};

describe('anthropic messages', () => {
  it('answers a message with a text block, end_turn and usage', async () => {
    const prompt = 'Show me rust code [[sim:tokens=40]]';
    const { status, headers, body } = await client.messages<Anthropic.Message>(ask(prompt));
    expect(status).toBe(200);
    expect(headers.get('request-id')).toMatch(/^req_/);
    expect(body.type).toBe('message');
    expect(body.role).toBe('assistant');
    expect(body.id).toMatch(/^msg_/);
    expect(body.stop_reason).toBe('end_turn');
    expect(body.stop_sequence).toBeNull();
    const block = body.content[0];
    expect(block?.type).toBe('text');
    expect(block?.type === 'text' ? block.text : '').toMatch(
      /^\[simulated claude-sonnet-4-20250514 via sim-anthropic\] /,
    );
    expect(body.usage.output_tokens).toBe(40);
    expect(body.usage.input_tokens).toBe(Math.ceil(prompt.length / 4));
  });

  it('streams the full event sequence, with the same text as the JSON answer', async () => {
    const request = ask('hello [[sim:tokens=15]]');
    const json = await client.messages<Anthropic.Message>(request);
    const { events } = await client.stream(
      'sim-anthropic',
      '/messages',
      { ...request, stream: true },
      ANTHROPIC_HEADERS,
    );
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      ...Array(15).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events.every((event) => (event.data as { type: string }).type === event.event)).toBe(
      true,
    );
    const data = events.map((event) => event.data as Event);
    const text = data
      .map((event) =>
        event.type === 'content_block_delta' && event.delta.type === 'text_delta'
          ? event.delta.text
          : '',
      )
      .join('');
    const block = json.body.content[0];
    expect(text).toBe(block?.type === 'text' ? block.text : undefined);
    const delta = data.find((event) => event.type === 'message_delta');
    expect(
      delta?.type === 'message_delta' ? [delta.delta.stop_reason, delta.usage.output_tokens] : [],
    ).toEqual(['end_turn', 15]);
  });

  it('stops on stop_sequences (stop_sequence set) and caps at max_tokens', async () => {
    const stopped = await client.messages<Anthropic.Message>(
      ask('python [[sim:tokens=100]]', { stop_sequences: ['```'] }),
    );
    expect(stopped.body.stop_reason).toBe('stop_sequence');
    expect(stopped.body.stop_sequence).toBe('```');
    const capped = await client.messages<Anthropic.Message>(
      ask('python [[sim:tokens=100]]', { max_tokens: 7 }),
    );
    expect(capped.body.stop_reason).toBe('max_tokens');
    expect(capped.body.usage.output_tokens).toBe(7);
  });

  it('a tool whose schema is not an object type ({}) is still called with an object input (found by the fuzz suite)', async () => {
    const { body } = await client.messages<Anthropic.Message>(
      ask('weather?', { tools: [{ name: 'lookup', input_schema: {} as never }] }),
    );
    const use = body.content.find((block) => block.type === 'tool_use');
    if (use?.type !== 'tool_use') throw new Error('expected tool_use');
    expect(use.input).toEqual({});
  });

  it('calls a tool (tool_use) with schema-valid input, streams input_json_delta, then answers text after tool_result', async () => {
    const { body } = await client.messages<Anthropic.Message>(
      ask('weather?', { tools: [weatherTool] }),
    );
    expect(body.stop_reason).toBe('tool_use');
    const use = body.content.find((block) => block.type === 'tool_use');
    if (use?.type !== 'tool_use') throw new Error('expected tool_use');
    expect(use.id).toMatch(/^toolu_/);
    const input = use.input as { city: unknown; days: number };
    expect(typeof input.city).toBe('string');
    expect(input.days >= 1 && input.days <= 3).toBe(true);

    const { events } = await client.stream(
      'sim-anthropic',
      '/messages',
      { ...ask('weather?', { tools: [weatherTool] }), stream: true },
      ANTHROPIC_HEADERS,
    );
    const data = events.map((event) => event.data as Event);
    const start = data.find((event) => event.type === 'content_block_start');
    expect(start?.type === 'content_block_start' ? start.content_block : undefined).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: {},
    });
    const json = data
      .map((event) =>
        event.type === 'content_block_delta' && event.delta.type === 'input_json_delta'
          ? event.delta.partial_json
          : '',
      )
      .join('');
    expect(JSON.parse(json)).toEqual(use.input);

    const followUp = await client.messages<Anthropic.Message>({
      ...ask('weather?', { tools: [weatherTool] }),
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: [use] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny' }] },
      ],
    });
    expect(followUp.body.stop_reason).toBe('end_turn');
    const forced = await client.messages<Anthropic.Message>(
      ask('hi', { tools: [weatherTool], tool_choice: { type: 'any' } }),
    );
    expect(forced.body.stop_reason).toBe('tool_use');
  });

  it('rejects unpaired tool_use / tool_result blocks', async () => {
    const use = {
      type: 'tool_use',
      id: 'toolu_01abc',
      name: 'get_weather',
      input: { city: 'Paris' },
    };
    const missing = await client.messages<AnthropicErrorBody>({
      ...ask('x', { tools: [weatherTool] }),
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: [use] },
        { role: 'user', content: 'y' },
      ],
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('tool_use` ids were found without `tool_result`');
    const orphan = await client.messages<AnthropicErrorBody>({
      ...ask('x'),
      messages: [
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_01zzz', content: 'x' }],
        },
      ],
    });
    expect(orphan.status).toBe(400);
  });

  it('answers JSON when the system prompt asks for JSON only (best-effort JSON mode)', async () => {
    const { body } = await client.messages<Anthropic.Message>(
      ask('Summarize this', { system: 'Respond with valid JSON only.' }),
    );
    const block = body.content[0];
    expect(typeof JSON.parse(block?.type === 'text' ? block.text : '')).toBe('object');
  });

  it('sends thinking blocks first when thinking is enabled on a reasoning model', async () => {
    const request = {
      ...ask('think [[sim:tokens=10]]', {
        thinking: { type: 'enabled', budget_tokens: 2048 },
        max_tokens: 4096,
      }),
      model: 'claude-thinker',
    };
    const { body } = await client.messages<Anthropic.Message>(request, 'sim-thinking');
    expect(body.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    const { events } = await client.stream(
      'sim-thinking',
      '/messages',
      { ...request, stream: true },
      ANTHROPIC_HEADERS,
    );
    const deltas = events
      .map((event) => event.data as Event)
      .filter((event) => event.type === 'content_block_delta')
      .map((event) => event.delta.type);
    expect(deltas[0]).toBe('thinking_delta');
    expect(deltas).toContain('signature_delta');
    expect(deltas.at(-1)).toBe('text_delta');
  });

  it('rejects requests the real API rejects, in the Anthropic error shape', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { model: 'claude-sonnet-4-20250514', messages: [{ role: 'user', content: 'x' }] },
        'max_tokens',
      ],
      [
        ask('x', {
          messages: [
            { role: 'system', content: 'x' },
            { role: 'user', content: 'x' },
          ],
        }),
        'Unexpected role "system"',
      ],
      [
        ask('x', {
          messages: [
            { role: 'user', content: 'x' },
            { role: 'assistant', content: '' },
            { role: 'user', content: 'y' },
          ],
        }),
        'non-empty content',
      ],
      [ask('x', { temperature: 1.5 }), 'temperature'],
      [ask('x', { max_tokens: 1_000_000 }), 'maximum allowed number of output tokens'],
    ];
    for (const [request, fragment] of cases) {
      const { status, body } = await client.messages<AnthropicErrorBody>(request);
      expect(status).toBe(400);
      expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
      expect(body.error.message).toContain(fragment);
    }
    const noVersion = await client.post<AnthropicErrorBody>('sim-anthropic', '/messages', ask('x'));
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.message).toContain('anthropic-version');
  });
});
