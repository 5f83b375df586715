import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import { decodeMessagesRequest } from './decode-messages-request.js';

const base = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'hi' }],
};

function expectError(
  body: unknown,
  param: string,
  message?: RegExp,
  code = 'invalid_request',
): void {
  let caught: unknown;
  try {
    decodeMessagesRequest(body);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GatewayError);
  expect((caught as GatewayError).code).toBe(code);
  expect((caught as GatewayError).param).toBe(param);
  if (message !== undefined) expect((caught as GatewayError).message).toMatch(message);
}

describe('decodeMessagesRequest', () => {
  it('decodes a minimal request', () => {
    expect(decodeMessagesRequest(base)).toEqual({
      kind: 'chat',
      model: 'claude-sonnet-4-5',
      maxTokens: 1024,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      stream: false,
    });
  });

  it('decodes a Claude Code style tool loop', () => {
    const request = decodeMessagesRequest({
      model: 'claude',
      max_tokens: 32000,
      stream: true,
      system: [
        { type: 'text', text: 'You are Claude Code.' },
        { type: 'text', text: 'Project rules.', cache_control: { type: 'ephemeral' } },
      ],
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: 'Fix the bug', cache_control: { type: 'ephemeral' } }],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Let me look', signature: 'sig' },
            { type: 'redacted_thinking', data: 'xyz' },
            { type: 'text', text: 'Looking.' },
            { type: 'text', text: 'Two files.' },
            { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/a.ts' } },
            { type: 'tool_use', id: 'toolu_2', name: 'Read', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Here you go' },
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'const a = 1;' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              is_error: true,
              content: [
                { type: 'text', text: 'line 1' },
                {
                  type: 'image',
                  source: { type: 'base64', media_type: 'image/png', data: 'AAAA' },
                },
                { type: 'text', text: 'line 2' },
              ],
            },
          ],
        },
        { role: 'assistant', content: 'Done.' },
        {
          role: 'user',
          content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.jpg' } }],
        },
      ],
    });
    expect(request.streamUsage).toBe(true);
    expect(request.messages).toEqual([
      { role: 'system', content: 'You are Claude Code.' },
      { role: 'system', content: 'Project rules.', cacheControl: { type: 'ephemeral' } },
      {
        role: 'user',
        content: [{ type: 'text', text: 'Fix the bug', cacheControl: { type: 'ephemeral' } }],
      },
      {
        role: 'assistant',
        content: 'Looking.\nTwo files.',
        toolCalls: [
          { id: 'toolu_1', name: 'Read', arguments: '{"file_path":"/a.ts"}' },
          { id: 'toolu_2', name: 'Read', arguments: '{}' },
        ],
        reasoning: [
          { type: 'thinking', text: 'Let me look', signature: 'sig' },
          { type: 'redacted', data: 'xyz' },
        ],
        reasoningOptional: true,
      },
      { role: 'tool', toolCallId: 'toolu_1', content: 'const a = 1;' },
      { role: 'tool', toolCallId: 'toolu_2', content: 'line 1\nline 2', isError: true },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Here you go' },
          { type: 'image', url: 'data:image/png;base64,AAAA', mediaType: 'image/png' },
        ],
      },
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: [{ type: 'image', url: 'https://x/y.jpg' }] },
    ]);
  });

  it('emits only tool messages for a turn of tool results', () => {
    const request = decodeMessagesRequest({
      ...base,
      messages: [
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't', content: [], is_error: false }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'u' }] },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'tool', toolCallId: 't', content: '' },
      { role: 'tool', toolCallId: 'u', content: '' },
    ]);
  });

  it('decodes every optional field', () => {
    expect(
      decodeMessagesRequest({
        ...base,
        system: 'Be brief.',
        stream: true,
        temperature: 0.7,
        top_p: 0.95,
        top_k: 40,
        stop_sequences: ['\n\nHuman:'],
        metadata: { user_id: 'user-1' },
        tools: [
          {
            name: 'get_weather',
            description: 'Weather',
            input_schema: { type: 'object' },
            strict: true,
          },
          {
            type: 'custom',
            name: 'x',
            input_schema: { type: 'object' },
            cache_control: { type: 'ephemeral' },
          },
        ],
        tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
        output_config: {
          effort: 'max',
          format: { type: 'json_schema', schema: { type: 'object' } },
        },
        thinking: { type: 'enabled', budget_tokens: 1024 },
        max_tokens: 4096,
      }),
    ).toEqual({
      kind: 'chat',
      model: 'claude-sonnet-4-5',
      maxTokens: 4096,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      ],
      stream: true,
      streamUsage: true,
      temperature: 0.7,
      topP: 0.95,
      stop: ['\n\nHuman:'],
      user: 'user-1',
      tools: [
        {
          name: 'get_weather',
          description: 'Weather',
          parameters: { type: 'object' },
          strict: true,
        },
        { name: 'x', parameters: { type: 'object' }, cacheControl: { type: 'ephemeral' } },
      ],
      toolChoice: { name: 'get_weather' },
      parallelToolCalls: false,
      reasoningEffort: 'high',
      responseFormat: { type: 'json_schema', name: 'response', schema: { type: 'object' } },
      thinking: { type: 'enabled', budgetTokens: 1024 },
      topK: 40,
    });
  });

  it('maps tool_choice types', () => {
    expect(decodeMessagesRequest({ ...base, tool_choice: { type: 'auto' } }).toolChoice).toBe(
      'auto',
    );
    expect(decodeMessagesRequest({ ...base, tool_choice: { type: 'any' } }).toolChoice).toBe(
      'required',
    );
    expect(decodeMessagesRequest({ ...base, tool_choice: { type: 'none' } }).toolChoice).toBe(
      'none',
    );
    const allowed = decodeMessagesRequest({
      ...base,
      tool_choice: { type: 'any', disable_parallel_tool_use: false },
    });
    expect(allowed.parallelToolCalls).toBeUndefined();
  });

  it('skips an empty system prompt, accepts system turns and null optionals', () => {
    const request = decodeMessagesRequest({
      ...base,
      system: '',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Mid-conversation rule' }] },
        { role: 'user', content: 'hi' },
      ],
      temperature: null,
      top_p: null,
      top_k: null,
      stop_sequences: null,
      metadata: null,
      tools: null,
      tool_choice: null,
      output_config: null,
      stream: null,
    });
    expect(request.messages[0]).toEqual({ role: 'system', content: 'Mid-conversation rule' });
    expect(request.messages).toHaveLength(2);
    expect(request.stream).toBe(false);
  });
});

describe('decodeMessagesRequest validation', () => {
  it.each([
    [null, 'body'],
    [{ max_tokens: 1, messages: base.messages }, 'model'],
    [{ model: 'm', messages: base.messages }, 'max_tokens'],
    [{ model: 'm', max_tokens: 0, messages: base.messages }, 'max_tokens'],
    [{ model: 'm', max_tokens: 1.5, messages: base.messages }, 'max_tokens'],
    [{ model: 'm', max_tokens: 1 }, 'messages'],
    [{ model: 'm', max_tokens: 1, messages: [] }, 'messages'],
  ])('rejects %j naming %s', (body, param) => {
    expectError(body, param);
  });

  it.each([
    [{ temperature: 1.5 }, 'temperature', /between 0 and 1/],
    [{ top_p: -0.1 }, 'top_p', /between 0 and 1/],
    [{ top_k: -1 }, 'top_k', /non-negative integer/],
    [{ stream: 1 }, 'stream', /boolean/],
    [{ stop_sequences: 'END' }, 'stop_sequences', /array/],
    [{ stop_sequences: ['a', 2] }, 'stop_sequences[1]', /string/],
    [{ metadata: 'x' }, 'metadata', /object/],
    [{ metadata: { user_id: 5 } }, 'metadata.user_id', /string/],
    [{ system: 5 }, 'system', /string or an array of text blocks/],
    [{ system: [{ type: 'image' }] }, 'system[0].type', /"text"/],
    [{ tools: [{ name: 'x' }] }, 'tools[0].input_schema', /object/],
    [{ tools: [{ input_schema: {} }] }, 'tools[0].name', /string/],
    [{ tool_choice: { type: 'tool' } }, 'tool_choice.name', /string/],
    [{ tool_choice: { type: 'required' } }, 'tool_choice.type', /auto, any, tool, none/],
    [{ tool_choice: 'auto' }, 'tool_choice', /object/],
    [{ output_config: { effort: 'huge' } }, 'output_config.effort', /low, medium, high/],
    [{ output_config: { format: { type: 'xml' } } }, 'output_config.format.type', /json_schema/],
  ])('rejects %j naming %s', (extra, param, message) => {
    expectError({ ...base, ...extra }, param, message);
  });

  it('rejects server tools as unsupported', () => {
    expectError(
      { ...base, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }] },
      'tools[0].type',
      /Server tool "web_search_20250305" is not supported/,
      'unsupported',
    );
  });

  it.each([
    [[{ role: 'robot', content: 'x' }], 'messages[0].role', /"user" or "assistant"/],
    [[{ role: 'user' }], 'messages[0].content', /string or an array/],
    [
      [{ role: 'user', content: [{ type: 'tool_use', id: 't', name: 'n', input: {} }] }],
      'messages[0].content[0].type',
      /only allowed in assistant/,
    ],
    [
      [{ role: 'user', content: [{ type: 'text', text: 1 }] }],
      'messages[0].content[0].text',
      /string/,
    ],
    [
      [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', data: 'x' } }] }],
      'messages[0].content[0].source.media_type',
      /string/,
    ],
    [[{ role: 'user', content: [{ type: 'image' }] }], 'messages[0].content[0].source', /object/],
    [
      [{ role: 'user', content: [{ type: 'tool_result' }] }],
      'messages[0].content[0].tool_use_id',
      /string/,
    ],
    [
      [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 5 }] }],
      'messages[0].content[0].content',
      /string or an array/,
    ],
    [
      [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', is_error: 'yes' }] }],
      'messages[0].content[0].is_error',
      /boolean/,
    ],
    [
      [{ role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 't' }] }],
      'messages[0].content[0].type',
      /only allowed in user/,
    ],
    [
      [{ role: 'assistant', content: [{ type: 'tool_use', name: 'n', input: {} }] }],
      'messages[0].content[0].id',
      /string/,
    ],
    [
      [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', input: {} }] }],
      'messages[0].content[0].name',
      /string/,
    ],
    [
      [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'n', input: '{}' }] }],
      'messages[0].content[0].input',
      /object/,
    ],
  ])('rejects messages %j naming %s', (messages, param, message) => {
    expectError({ ...base, messages }, param, message);
  });
});

describe('decodeMessagesRequest cache_control', () => {
  const mark = { type: 'ephemeral' };
  it('keeps marks on tools, system blocks, text, images, tool_use and tool_result blocks', () => {
    const request = decodeMessagesRequest({
      model: 'm',
      max_tokens: 10,
      system: [{ type: 'text', text: 'rules', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      tools: [{ name: 'Read', input_schema: { type: 'object' }, cache_control: mark }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'go', cache_control: mark }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'ok', cache_control: mark },
            { type: 'tool_use', id: 't1', name: 'Read', input: {}, cache_control: mark },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: [{ type: 'text', text: 'code', cache_control: mark }],
            },
            {
              type: 'image',
              source: { type: 'url', url: 'https://x/y.png' },
              cache_control: mark,
            },
          ],
        },
      ],
    });
    expect(request.tools?.[0]?.cacheControl).toEqual(mark);
    expect(request.messages).toEqual([
      { role: 'system', content: 'rules', cacheControl: { type: 'ephemeral', ttl: '1h' } },
      { role: 'user', content: [{ type: 'text', text: 'go', cacheControl: mark }] },
      {
        role: 'assistant',
        content: 'ok',
        cacheControl: mark,
        toolCalls: [{ id: 't1', name: 'Read', arguments: '{}', cacheControl: mark }],
      },
      { role: 'tool', toolCallId: 't1', content: 'code', cacheControl: mark },
      { role: 'user', content: [{ type: 'image', url: 'https://x/y.png', cacheControl: mark }] },
    ]);
  });

  it.each([
    [{ type: 'persistent' }, 'system[0].cache_control.type'],
    [{ type: 'ephemeral', ttl: '2h' }, 'system[0].cache_control.ttl'],
    [{ type: 'ephemeral', scope: 'x' }, 'system[0].cache_control.scope'],
    ['ephemeral', 'system[0].cache_control'],
  ])('refuses cache_control %j naming %s', (cacheControl, param) => {
    expect(() =>
      decodeMessagesRequest({
        model: 'm',
        max_tokens: 10,
        system: [{ type: 'text', text: 'x', cache_control: cacheControl }],
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).toThrow(expect.objectContaining({ param }));
  });
});
