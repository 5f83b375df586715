import { describe, expect, it } from 'vitest';
import type { Message } from '../../core/request.js';
import { encodeChatMessages } from './encode-chat-messages.js';

const mark = { type: 'ephemeral' } as const;
const messages: Message[] = [
  { role: 'system', content: 'You are an agent.' },
  { role: 'system', content: 'Project rules.', cacheControl: mark },
  {
    role: 'user',
    content: [{ type: 'text', text: 'Fix it', cacheControl: { ...mark, ttl: '1h' } }],
  },
  {
    role: 'assistant',
    content: 'Reading.',
    toolCalls: [{ id: 'c1', name: 'Read', arguments: '{}' }],
  },
  { role: 'tool', toolCallId: 'c1', content: 'const a = 1;', cacheControl: mark },
];

describe('encodeChatMessages', () => {
  it('sends image detail and marks a failed tool result (the chat wire has no error flag)', () => {
    const encoded = encodeChatMessages(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', url: 'https://example.test/a.png', detail: 'high' },
            { type: 'image', url: 'https://example.test/b.png' },
          ],
        },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'c1', name: 'Bash', arguments: '{}' }],
        },
        { role: 'tool', toolCallId: 'c1', content: '2 tests failed', isError: true },
      ],
      false,
    );
    expect(encoded[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'https://example.test/a.png', detail: 'high' } },
        { type: 'image_url', image_url: { url: 'https://example.test/b.png' } },
      ],
    });
    expect(encoded[2]).toEqual({
      role: 'tool',
      tool_call_id: 'c1',
      content: 'Error: 2 tests failed',
    });
  });

  it('drops marks and joins system blocks for upstreams that cache automatically', () => {
    expect(encodeChatMessages(messages, false)).toEqual([
      { role: 'system', content: 'You are an agent.\nProject rules.' },
      { role: 'user', content: 'Fix it' },
      {
        role: 'assistant',
        content: 'Reading.',
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'Read', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'const a = 1;' },
    ]);
  });

  it('sends marks as cache_control on content parts when the upstream takes them (OpenRouter)', () => {
    const encoded = encodeChatMessages(messages, true);
    expect(encoded[0]).toEqual({
      role: 'system',
      content: [
        { type: 'text', text: 'You are an agent.' },
        { type: 'text', text: 'Project rules.', cache_control: { type: 'ephemeral' } },
      ],
    });
    expect(encoded[1]).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'Fix it', cache_control: { type: 'ephemeral', ttl: '1h' } }],
    });
    expect(encoded[3]).toEqual({
      role: 'tool',
      tool_call_id: 'c1',
      content: [{ type: 'text', text: 'const a = 1;', cache_control: { type: 'ephemeral' } }],
    });
    // Unmarked messages keep their plain shape.
    expect(
      encodeChatMessages([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], true),
    ).toEqual([{ role: 'user', content: 'hi' }]);
  });
});
