import { describe, expect, it } from 'vitest';
import type { ChatRequest, ReasoningBlock } from '../../core/request.js';
import { DEFAULT_ANTHROPIC_MAX_TOKENS, encodeAnthropicBody } from './encode-request.js';

const options = { providerId: 'claude', upstreamModel: 'claude-x', stream: false };
const chat = (overrides: Partial<ChatRequest>): ChatRequest => ({
  kind: 'chat',
  model: 'c',
  stream: false,
  messages: [],
  ...overrides,
});
const text = (value: string) => ({ type: 'text' as const, text: value });

describe('encodeAnthropicBody', () => {
  it('passes back reasoning Anthropic signed as a thinking block; refuses other reasoning and verbosity', () => {
    const turn = (block: ReasoningBlock) =>
      chat({
        messages: [
          { role: 'user', content: [text('hi')] },
          { role: 'assistant', content: 'Hello', reasoning: [block] },
          { role: 'user', content: [text('again')] },
        ],
      });
    const signed = encodeAnthropicBody(
      turn({ type: 'thinking', text: 'greet', signature: 'sig-1' }),
      options,
    );
    expect((signed['messages'] as unknown[])[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'greet', signature: 'sig-1' },
        { type: 'text', text: 'Hello' },
      ],
    });
    const redacted = encodeAnthropicBody(turn({ type: 'redacted', data: 'EmwKAhgB' }), options);
    expect((redacted['messages'] as Array<{ content: unknown[] }>)[1]!.content[0]).toEqual({
      type: 'redacted_thinking',
      data: 'EmwKAhgB',
    });
    for (const block of [
      { type: 'thinking', text: 'greet' },
      { type: 'encrypted', text: 'greet', data: 'gAAAA' },
    ] satisfies ReasoningBlock[]) {
      expect(() => encodeAnthropicBody(turn(block), options)).toThrow(
        expect.objectContaining({ code: 'unsupported', param: 'input', provider: 'claude' }),
      );
    }
    expect(() =>
      encodeAnthropicBody(
        chat({ verbosity: 'high', messages: [{ role: 'user', content: [text('hi')] }] }),
        options,
      ),
    ).toThrow(expect.objectContaining({ code: 'unsupported', param: 'verbosity' }));
  });

  it('sends the documented default max_tokens and clamps temperature into 0..1', () => {
    const body = encodeAnthropicBody(
      chat({ temperature: -0.5, messages: [{ role: 'user', content: [text('hi')] }] }),
      options,
    );
    expect(body['max_tokens']).toBe(DEFAULT_ANTHROPIC_MAX_TOKENS);
    expect(DEFAULT_ANTHROPIC_MAX_TOKENS).toBe(4096);
    expect(body['temperature']).toBe(0);
  });

  it('merges consecutive same-role turns and keeps tool_result blocks first in a user turn', () => {
    const body = encodeAnthropicBody(
      chat({
        messages: [
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 't1', name: 'f', arguments: '[1,2]' }],
          },
          { role: 'user', content: [text('before the result')] },
          { role: 'tool', toolCallId: 't1', content: 'done' },
          { role: 'user', content: [text('after')] },
        ],
      }),
      options,
    );
    expect(body['messages']).toEqual([
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: 'done' },
          { type: 'text', text: 'before the result' },
          { type: 'text', text: 'after' },
        ],
      },
    ]);
  });

  it('drops empty text and empty turns, and trims trailing whitespace of a final assistant prefill', () => {
    const body = encodeAnthropicBody(
      chat({
        messages: [
          { role: 'user', content: [text(''), text('Write JSON')] },
          { role: 'assistant', content: '' },
          { role: 'assistant', content: '{"a": ' },
        ],
      }),
      options,
    );
    expect(body['messages']).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Write JSON' }] },
      { role: 'assistant', content: [{ type: 'text', text: '{"a":' }] },
    ]);
  });

  it('converts percent-encoded data URLs to base64 and rejects other URL schemes', () => {
    const body = encodeAnthropicBody(
      chat({
        messages: [
          { role: 'user', content: [{ type: 'image', url: 'data:image/svg+xml,%3Csvg%2F%3E' }] },
        ],
      }),
      options,
    );
    expect(body['messages']).toEqual([
      {
        role: 'user',
        content: [
          {
            type: 'image',
            source: {
              type: 'base64',
              media_type: 'image/svg+xml',
              data: Buffer.from('<svg/>').toString('base64'),
            },
          },
        ],
      },
    ]);
    expect(() =>
      encodeAnthropicBody(
        chat({
          messages: [{ role: 'user', content: [{ type: 'image', url: 'file:///etc/passwd' }] }],
        }),
        options,
      ),
    ).toThrow(expect.objectContaining({ code: 'unsupported' }));
  });

  it('maps tool choices and parallel tool use', () => {
    const tools = [{ name: 'f', parameters: { type: 'object' } }];
    const choice = (overrides: Partial<ChatRequest>) =>
      encodeAnthropicBody(chat({ tools, ...overrides }), options)['tool_choice'];
    expect(choice({})).toBeUndefined();
    expect(choice({ toolChoice: 'auto' })).toEqual({ type: 'auto' });
    expect(choice({ toolChoice: 'none', parallelToolCalls: false })).toEqual({ type: 'none' });
    expect(choice({ parallelToolCalls: false })).toEqual({
      type: 'auto',
      disable_parallel_tool_use: true,
    });
    expect(choice({ toolChoice: { name: 'f' }, parallelToolCalls: true })).toEqual({
      type: 'tool',
      name: 'f',
    });
    expect(encodeAnthropicBody(chat({ toolChoice: 'required' }), options)).not.toHaveProperty(
      'tool_choice',
    );
  });

  it('asks for JSON through the system prompt for json_object', () => {
    const body = encodeAnthropicBody(
      chat({
        messages: [{ role: 'system', content: 'Be brief.' }],
        responseFormat: { type: 'json_object' },
      }),
      options,
    );
    const system = body['system'] as Array<{ text: string }>;
    expect(system[0]).toEqual({ type: 'text', text: 'Be brief.' });
    expect(system[1]?.text).toMatch(/^Respond with only a single valid JSON object/);
  });

  it('rejects n > 1 and drops seed and penalties', () => {
    expect(() => encodeAnthropicBody(chat({ n: 2 }), options)).toThrow(
      expect.objectContaining({ code: 'unsupported', param: 'n' }),
    );
    const body = encodeAnthropicBody(
      chat({ seed: 1, presencePenalty: 1, frequencyPenalty: 1, n: 1 }),
      options,
    );
    expect(Object.keys(body).sort()).toEqual(['max_tokens', 'messages', 'model']);
  });
});

describe('encodeAnthropicBody cache marks', () => {
  it('puts cache_control on the blocks that carried it, system blocks kept apart', () => {
    const mark = { type: 'ephemeral' } as const;
    const body = encodeAnthropicBody(
      chat({
        messages: [
          { role: 'system', content: 'You are Claude Code.' },
          { role: 'system', content: 'Rules.', cacheControl: { ...mark, ttl: '1h' } },
          { role: 'user', content: [{ ...text('Fix it'), cacheControl: mark }] },
          {
            role: 'assistant',
            content: 'Reading.',
            cacheControl: mark,
            toolCalls: [{ id: 't1', name: 'Read', arguments: '{}', cacheControl: mark }],
          },
          { role: 'tool', toolCallId: 't1', content: 'code', cacheControl: mark },
        ],
        tools: [{ name: 'Read', parameters: { type: 'object' }, cacheControl: mark }],
      }),
      options,
    );
    expect(body['system']).toEqual([
      { type: 'text', text: 'You are Claude Code.' },
      { type: 'text', text: 'Rules.', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
    expect(body['messages']).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Fix it', cache_control: mark }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Reading.', cache_control: mark },
          { type: 'tool_use', id: 't1', name: 'Read', input: {}, cache_control: mark },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 't1', content: 'code', cache_control: mark }],
      },
    ]);
    expect(body['tools']).toEqual([
      { name: 'Read', input_schema: { type: 'object' }, cache_control: mark },
    ]);
  });

  it('sends a single unmarked system message as a string', () => {
    const body = encodeAnthropicBody(
      chat({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [text('hi')] },
        ],
      }),
      options,
    );
    expect(body['system']).toBe('Be brief.');
  });
});
