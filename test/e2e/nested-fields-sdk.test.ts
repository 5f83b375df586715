import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * Nested fields refused by path through real HTTP, as the official SDKs see it (the policy rows
 * are src/dialects/*-nested-field-policy.ts), and the defaults those rows accept still served.
 */
let gateway: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  gateway = await startTestGateway({ cache: { enabled: false } });
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-ant-test', maxRetries: 0 });
});
afterAll(() => gateway?.close());

const IMAGE = 'data:image/png;base64,iVBORw0KGgo=';

describe('openai SDK → /v1/chat/completions nested fields', () => {
  const chat = (messages: OpenAI.Chat.ChatCompletionMessageParam[]) =>
    openai.chat.completions.create({ model: 'deepseek-chat', max_tokens: 64, messages });

  it('refuses a participant name by its path', async () => {
    await expect(
      chat([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi', name: 'alice' },
      ]),
    ).rejects.toMatchObject({ status: 400, code: 'unsupported', param: 'messages[1].name' });
  });

  it('serves image detail (a hint for the OpenAI wires) and refuses a value the API lacks', async () => {
    const withDetail = (detail: string) =>
      chat([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            {
              type: 'image_url',
              image_url: {
                url: IMAGE,
                detail,
              } as OpenAI.Chat.ChatCompletionContentPartImage.ImageURL,
            },
          ],
        },
      ]);
    await expect(withDetail('ultra')).rejects.toMatchObject({
      status: 400,
      code: 'invalid_request',
      param: 'messages[0].content[1].image_url.detail',
    });
    for (const detail of ['auto', 'high']) {
      const served = await openai.chat.completions.create({
        model: 'qwen3-coder-plus',
        max_tokens: 64,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: IMAGE, detail: detail as 'auto' | 'high' } },
            ],
          },
        ],
      });
      expect(served.choices[0]?.message.role).toBe('assistant');
    }
  });

  it('refuses audio input parts and unknown nested keys by path', async () => {
    await expect(
      chat([
        {
          role: 'user',
          content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }],
        },
      ]),
    ).rejects.toMatchObject({
      status: 400,
      code: 'unsupported',
      param: 'messages[0].content[0].type',
    });
    await expect(
      chat([
        { role: 'user', content: 'hi', colour: 'red' } as OpenAI.Chat.ChatCompletionMessageParam,
      ]),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_request', param: 'messages[0].colour' });
  });

  it('takes a tool message name that matches its call, and refuses one that does not', async () => {
    const turn = (name: string) =>
      chat([
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        {
          role: 'tool',
          tool_call_id: 'call_1',
          content: 'sunny',
          name,
        } as OpenAI.Chat.ChatCompletionToolMessageParam,
      ]);
    expect((await turn('get_weather')).choices[0]?.message.role).toBe('assistant');
    await expect(turn('get_time')).rejects.toMatchObject({
      status: 400,
      param: 'messages[2].name',
    });
  });
});

describe('@anthropic-ai/sdk → /v1/messages nested fields', () => {
  const create = (params: Partial<Anthropic.MessageCreateParamsNonStreaming>) =>
    anthropic.messages.create({
      model: 'claude-3-5-haiku-20241022',
      max_tokens: 1500,
      messages: [{ role: 'user', content: 'hi' }],
      ...params,
    });

  it('refuses document blocks by path', async () => {
    await expect(
      create({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } },
              { type: 'text', text: 'Summarize.' },
            ],
          },
        ],
      }),
    ).rejects.toMatchObject({
      status: 400,
      error: {
        error: {
          type: 'invalid_request_error',
          message: expect.stringContaining('`messages[0].content[0]` (type `document`)'),
        },
      },
    });
  });

  it('serves deferred tools and omitted thinking display (as Claude Code sends them)', async () => {
    const tool = { name: 'get_weather', input_schema: { type: 'object' as const } };
    for (const defer_loading of [true, false]) {
      const served = await create({
        tools: [{ ...tool, defer_loading }],
        thinking: { type: 'enabled', budget_tokens: 1024, display: 'omitted' },
      });
      expect(served.type).toBe('message');
    }
  });

  it('takes a direct tool_use caller passed back, and refuses a programmatic one', async () => {
    const history = (caller: Anthropic.ToolUseBlockParam['caller']) =>
      create({
        tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
        messages: [
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            content: [
              {
                type: 'tool_use',
                id: 'toolu_1',
                name: 'get_weather',
                input: {},
                caller,
              } as Anthropic.ToolUseBlockParam,
            ],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' }],
          },
        ],
      });
    expect((await history({ type: 'direct' })).type).toBe('message');
    await expect(
      history({
        type: 'code_execution_20250825',
        tool_id: 'srvtoolu_1',
      } as Anthropic.ToolUseBlockParam['caller']),
    ).rejects.toMatchObject({
      status: 400,
      error: { error: { message: expect.stringContaining('`messages[1].content[0].caller`') } },
    });
  });
});

describe('openai SDK → /v1/responses nested fields', () => {
  it('serves input image detail, and refuses annotations passed back by path', async () => {
    const served = await openai.responses.create({
      model: 'deepseek-chat',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: IMAGE, detail: 'low' },
          ],
        },
      ],
    });
    expect(served.status).toBe('completed');
    await expect(
      openai.responses.create({
        model: 'deepseek-chat',
        input: [
          { role: 'user', content: 'hi' },
          {
            type: 'message',
            role: 'assistant',
            id: 'msg_1',
            status: 'completed',
            content: [
              {
                type: 'output_text',
                text: 'see',
                annotations: [
                  {
                    type: 'url_citation',
                    url: 'https://x.test',
                    title: 'x',
                    start_index: 0,
                    end_index: 1,
                  },
                ],
              },
            ],
          },
          { role: 'user', content: 'more' },
        ],
      }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'unsupported',
      param: 'input[1].content[0].annotations',
    });
  });
});
