import { describe, expect, it } from 'vitest';
import { decodeChatRequest } from './decode-chat-request.js';

const decode = (messages: unknown[], extra: Record<string, unknown> = {}) =>
  decodeChatRequest({ model: 'm', messages, ...extra });

function thrown(run: () => unknown): { code?: string; param?: string; message?: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; param?: string; message?: string };
  }
  return {};
}

describe('chat nested fields (CHAT_NESTED_POLICY)', () => {
  it.each<[string, unknown[], Record<string, unknown>, string]>([
    ['a participant name', [{ role: 'user', content: 'x', name: 'alice' }], {}, 'messages[0].name'],
    [
      'audio input',
      [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }],
      {},
      'messages[0].content[0].type',
    ],
    [
      'file parts',
      [{ role: 'user', content: [{ type: 'file', file: {} }] }],
      {},
      'messages[0].content[0].type',
    ],
    [
      'the legacy function role',
      [{ role: 'function', name: 'f', content: 'x' }],
      {},
      'messages[0].role',
    ],
    [
      'a legacy function_call on an assistant turn',
      [{ role: 'assistant', content: 'x', function_call: { name: 'f' } }],
      {},
      'messages[0].function_call',
    ],
    [
      'custom tool calls',
      [{ role: 'assistant', tool_calls: [{ type: 'custom', id: 'c' }] }],
      {},
      'messages[0].tool_calls[0].type',
    ],
    [
      'prompt cache breakpoints',
      [
        {
          role: 'user',
          content: [{ type: 'text', text: 'x', prompt_cache_breakpoint: { mode: 'explicit' } }],
        },
      ],
      {},
      'messages[0].content[0].prompt_cache_breakpoint',
    ],
    [
      'custom tools',
      [{ role: 'user', content: 'x' }],
      { tools: [{ type: 'custom', custom: { name: 'x' } }] },
      'tools[0].type',
    ],
    [
      'allowed-tools choices',
      [{ role: 'user', content: 'x' }],
      { tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } } },
      'tool_choice.type',
    ],
  ])('refuses %s as unsupported, by path', (_what, messages, extra, param) => {
    expect(thrown(() => decode(messages, extra))).toMatchObject({ code: 'unsupported', param });
  });

  it('keeps image detail for the OpenAI wires (auto is the default) and refuses other values', () => {
    const image = (detail: string) => [
      {
        role: 'user',
        content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png', detail } }],
      },
    ];
    expect(decode(image('low')).messages[0]).toMatchObject({
      content: [{ type: 'image', url: 'https://x.test/a.png', detail: 'low' }],
    });
    expect(decode(image('auto')).messages[0]).toEqual({
      role: 'user',
      content: [{ type: 'image', url: 'https://x.test/a.png' }],
    });
    expect(thrown(() => decode(image('ultra')))).toMatchObject({
      code: 'invalid_request',
      param: 'messages[0].content[0].image_url.detail',
    });
  });

  it('refuses unknown keys at every level by path', () => {
    expect(thrown(() => decode([{ role: 'user', content: 'x', colour: 1 }]))).toMatchObject({
      code: 'invalid_request',
      param: 'messages[0].colour',
    });
    expect(
      thrown(() =>
        decode([{ role: 'user', content: 'x' }], {
          tools: [{ type: 'function', function: { name: 'f', colour: 1 } }],
        }),
      ),
    ).toMatchObject({ param: 'tools[0].function.colour' });
    expect(
      thrown(() =>
        decode([{ role: 'user', content: 'x' }], {
          response_format: { type: 'json_schema', json_schema: { name: 'r', colour: 1 } },
        }),
      ),
    ).toMatchObject({ param: 'response_format.json_schema.colour' });
    expect(
      thrown(() => decode([{ role: 'user', content: 'x' }], { stream_options: { colour: 1 } })),
    ).toMatchObject({ param: 'stream_options.colour' });
  });

  it('translates an assistant refusal into the turn text, and checks tool message names', () => {
    const call = { id: 'c1', type: 'function', function: { name: 'get', arguments: '{}' } };
    const request = decode([
      { role: 'user', content: 'x' },
      { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
      { role: 'user', content: 'y' },
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: 'c1', name: 'get', content: 'ok' },
    ]);
    expect(request.messages[1]).toEqual({ role: 'assistant', content: 'I cannot help with that.' });
    expect(request.messages[4]).toEqual({ role: 'tool', toolCallId: 'c1', content: 'ok' });
    expect(
      thrown(() =>
        decode([
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: 'c1', name: 'other', content: 'ok' },
        ]),
      ),
    ).toMatchObject({ code: 'invalid_request', param: 'messages[1].name' });
  });

  it('accepts the defaults refused rows allow', () => {
    const request = decode([
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'https://x.test/a.png', detail: 'auto' } },
        ],
      },
    ]);
    expect(request.messages[0]).toEqual({
      role: 'user',
      content: [{ type: 'image', url: 'https://x.test/a.png' }],
    });
  });
});
