import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * Structured output over real HTTP with the official SDKs against the simulator: Anthropic
 * `output_config.format` goes natively to the Anthropic upstream (quirk structured_outputs) and
 * the answer is validated; `json_object` toward upstreams that need the word "json" gets the
 * instruction on the chat wire; a 2019-09 schema compiles.
 */
let gateway: TestGateway;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway({ cache: { enabled: false } });
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-ant-test', maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
});
afterAll(() => gateway?.close());

const lastUpstream = () => gateway.simulator!.recentRequests().at(-1)!;
const schema = {
  type: 'object',
  properties: { city: { type: 'string' }, temperature: { type: 'number' } },
  required: ['city', 'temperature'],
  additionalProperties: false,
};

describe('structured output', () => {
  it('sends output_config.format natively to the Anthropic upstream and validates the answer', async () => {
    const message = await anthropic.messages.create({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 500,
      messages: [{ role: 'user', content: 'Weather in Paris' }],
      output_config: { format: { type: 'json_schema', schema } },
    } as Anthropic.MessageCreateParamsNonStreaming);
    const upstream = lastUpstream().body as Record<string, unknown>;
    expect(upstream['output_config']).toEqual({ format: { type: 'json_schema', schema } });
    expect(upstream['system']).toBeUndefined();
    const text = (message.content.find((block) => block.type === 'text') as Anthropic.TextBlock)
      .text;
    const answer = JSON.parse(text) as Record<string, unknown>;
    expect(typeof answer['city']).toBe('string');
    expect(typeof answer['temperature']).toBe('number');
  });

  it('adds the JSON instruction for json_object on the chat wire when no message says "json"', async () => {
    const completion = await openai.chat.completions.create({
      model: 'deepseek-chat',
      messages: [{ role: 'user', content: 'Give me a fruit and its colour' }],
      response_format: { type: 'json_object' },
    });
    expect(() => JSON.parse(completion.choices[0]!.message.content ?? '')).not.toThrow();
    const messages = (lastUpstream().body as { messages: { role: string; content: string }[] })
      .messages;
    expect(messages[0]).toMatchObject({ role: 'system' });
    expect(messages[0]!.content).toMatch(/JSON/);
  });

  it('compiles a draft 2019-09 schema (chat response_format)', async () => {
    const completion = await openai.chat.completions.create({
      model: 'qwen3-coder-plus',
      messages: [{ role: 'user', content: 'Weather in Paris' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'weather',
          schema: { $schema: 'https://json-schema.org/draft/2019-09/schema', ...schema },
        },
      },
    });
    const answer = JSON.parse(completion.choices[0]!.message.content ?? '') as Record<
      string,
      unknown
    >;
    expect(typeof answer['city']).toBe('string');
  });
});
