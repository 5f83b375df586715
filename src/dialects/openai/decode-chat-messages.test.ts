import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import { decodeChatRequest } from './decode-chat-request.js';
import { decodeChatMessages } from './decode-chat-messages.js';

function expectInvalid(body: unknown, param: string, message?: RegExp): GatewayError {
  let caught: unknown;
  try {
    decodeChatRequest(body);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GatewayError);
  const error = caught as GatewayError;
  expect(error.code).toBe('invalid_request');
  expect(error.param).toBe(param);
  if (message !== undefined) expect(error.message).toMatch(message);
  return error;
}

describe('decodeChatMessages validation (through decodeChatRequest)', () => {
  it.each<[unknown[], string, RegExp?]>([
    [['hi'], 'messages[0]', /object/],
    [
      [{ role: 'robot', content: 'x' }],
      'messages[0].role',
      /system, developer, user, assistant, tool/,
    ],
    [[{ role: 'system' }], 'messages[0].content', /string or an array of text parts/],
    [
      [{ role: 'system', content: [{ type: 'image_url', image_url: 'x' }] }],
      'messages[0].content[0].type',
      /only text parts/,
    ],
    [[{ role: 'user', content: 5 }], 'messages[0].content', /string or an array of content parts/],
    [[{ role: 'user', content: [{ type: 'text' }] }], 'messages[0].content[0].text', /string/],
    [
      [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }],
      'messages[0].content[0].image_url.url',
      /string/,
    ],
    [
      [{ role: 'user', content: [{ type: 'image_url', image_url: 3 }] }],
      'messages[0].content[0].image_url',
      /url/,
    ],
    [
      [{ role: 'user', content: [{ type: 'image_url', image_url: '' }] }],
      'messages[0].content[0].image_url',
      /empty/,
    ],
    [[{ role: 'assistant', tool_calls: {} }], 'messages[0].tool_calls', /array/],
    [
      [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function' }] }],
      'messages[0].tool_calls[0].function',
      /object/,
    ],
    [
      [
        {
          role: 'assistant',
          tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
      ],
      'messages[0].tool_calls[0].id',
    ],
    [
      [
        {
          role: 'assistant',
          tool_calls: [{ id: 'c', type: 'function', function: { arguments: '{}' } }],
        },
      ],
      'messages[0].tool_calls[0].function.name',
    ],
    [
      [
        {
          role: 'assistant',
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }],
        },
      ],
      'messages[0].tool_calls[0].function.arguments',
      /string/,
    ],
    [[{ role: 'tool', content: 'x' }], 'messages[0].tool_call_id', /string/],
    [[{ role: 'tool', tool_call_id: 'c' }], 'messages[0].content'],
  ])('rejects messages %j naming %s', (messages, param, message) => {
    expectInvalid({ model: 'm', messages }, param, message);
  });

  it('names the deep field path', () => {
    const error = expectInvalid(
      {
        model: 'm',
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: 'u' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'ok' },
              { type: 'text', text: 7 },
            ],
          },
        ],
      },
      'messages[2].content[1].text',
    );
    expect(error.message).toBe('`messages[2].content[1].text` must be a string');
  });
});

describe('decodeChatMessages cache_control (OpenRouter convention)', () => {
  const mark = { type: 'ephemeral' };
  it('keeps marks on system parts (one system message per part), user parts, assistant and tool text', () => {
    expect(
      decodeChatMessages([
        {
          role: 'system',
          content: [
            { type: 'text', text: 'intro' },
            { type: 'text', text: 'rules', cache_control: mark },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'go', cache_control: mark }] },
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'ok', cache_control: mark }],
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        {
          role: 'tool',
          tool_call_id: 'c',
          content: [{ type: 'text', text: 'r', cache_control: mark }],
        },
      ]),
    ).toEqual([
      { role: 'system', content: 'intro' },
      { role: 'system', content: 'rules', cacheControl: mark },
      { role: 'user', content: [{ type: 'text', text: 'go', cacheControl: mark }] },
      {
        role: 'assistant',
        content: 'ok',
        cacheControl: mark,
        toolCalls: [{ id: 'c', name: 'f', arguments: '{}' }],
      },
      { role: 'tool', toolCallId: 'c', content: 'r', cacheControl: mark },
    ]);
  });

  it('refuses a malformed mark by name', () => {
    expect(() =>
      decodeChatMessages([
        { role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'x' } }] },
      ]),
    ).toThrow(expect.objectContaining({ param: 'messages[0].content[0].cache_control.type' }));
  });
});
