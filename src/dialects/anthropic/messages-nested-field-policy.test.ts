import { describe, expect, it } from 'vitest';
import { decodeMessagesRequest } from './decode-messages-request.js';

const decode = (extra: Record<string, unknown>) =>
  decodeMessagesRequest({
    model: 'm',
    max_tokens: 4096,
    messages: [{ role: 'user', content: 'hi' }],
    ...extra,
  });

function thrown(run: () => unknown): { code?: string; param?: string; message?: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; param?: string; message?: string };
  }
  return {};
}

const user = (content: unknown[]) => ({ messages: [{ role: 'user', content }] });
const assistant = (content: unknown[]) => ({
  messages: [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content },
  ],
});

describe('Messages nested fields (MESSAGES_NESTED_POLICY)', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['document blocks', user([{ type: 'document', source: {} }]), 'messages[0].content[0].type'],
    ['search results', user([{ type: 'search_result' }]), 'messages[0].content[0].type'],
    [
      'images by file id',
      user([{ type: 'image', source: { type: 'file', file_id: 'f' } }]),
      'messages[0].content[0].source.type',
    ],
    [
      'documents in tool results',
      user([{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'document' }] }]),
      'messages[0].content[0].content[0].type',
    ],
    [
      'server tool blocks',
      assistant([{ type: 'server_tool_use', id: 's', name: 'web_search', input: {} }]),
      'messages[1].content[0].type',
    ],
    [
      'citations on text',
      assistant([{ type: 'text', text: 'x', citations: [{ type: 'char_location' }] }]),
      'messages[1].content[0].citations',
    ],
    [
      'programmatic callers',
      assistant([
        {
          type: 'tool_use',
          id: 't',
          name: 'f',
          input: {},
          caller: { type: 'code_execution_20250825' },
        },
      ]),
      'messages[1].content[0].caller',
    ],
    [
      'per-tool eager input streaming',
      { tools: [{ name: 'f', input_schema: { type: 'object' }, eager_input_streaming: true }] },
      'tools[0].eager_input_streaming',
    ],
    [
      'image transformations',
      user([
        {
          type: 'image',
          source: { type: 'url', url: 'https://x.test/a.png' },
          transformations: {},
        },
      ]),
      'messages[0].content[0].transformations',
    ],
  ])('refuses %s as unsupported, by path', (_what, extra, param) => {
    expect(thrown(() => decode(extra))).toMatchObject({ code: 'unsupported', param });
  });

  it('refuses unknown keys at every level by path', () => {
    expect(
      thrown(() => decode({ messages: [{ role: 'user', content: 'x', colour: 1 }] })),
    ).toMatchObject({
      code: 'invalid_request',
      param: 'messages[0].colour',
    });
    expect(thrown(() => decode(user([{ type: 'text', text: 'x', colour: 1 }])))).toMatchObject({
      param: 'messages[0].content[0].colour',
    });
    expect(thrown(() => decode({ tool_choice: { type: 'auto', colour: 1 } }))).toMatchObject({
      param: 'tool_choice.colour',
    });
    expect(thrown(() => decode({ metadata: { user_id: 'u', colour: 1 } }))).toMatchObject({
      param: 'metadata.colour',
    });
    expect(
      thrown(() =>
        decode({ output_config: { format: { type: 'json_schema', schema: {}, colour: 1 } } }),
      ),
    ).toMatchObject({ param: 'output_config.format.colour' });
  });

  it('accepts the defaults refused rows allow, as if absent', () => {
    const plain = decode(
      assistant([
        { type: 'tool_use', id: 't', name: 'f', input: {} },
        { type: 'text', text: 'x' },
      ]),
    );
    const defaults = decode({
      ...assistant([
        { type: 'tool_use', id: 't', name: 'f', input: {}, caller: { type: 'direct' } },
        { type: 'text', text: 'x', citations: [] },
      ]),
    });
    expect(defaults).toEqual(plain);
    expect(
      decode({ tools: [{ name: 'f', input_schema: { type: 'object' }, defer_loading: false }] })
        .tools,
    ).toEqual([{ name: 'f', parameters: { type: 'object' } }]);
  });

  it('takes what Claude Code 2.1.3xx sends: deferred tools, omitted thinking, a turn output_config', () => {
    const plain = decode({});
    const claudeCode = decode({
      tools: [{ name: 'f', input_schema: { type: 'object' }, defer_loading: true }],
      thinking: { type: 'adaptive', display: 'omitted' },
    });
    expect(claudeCode.tools).toEqual([{ name: 'f', parameters: { type: 'object' } }]);
    expect(claudeCode.thinking).toEqual({ type: 'adaptive' });
    const turn = decode({
      messages: [{ role: 'user', content: 'hi', output_config: { effort: 'low' } }],
    });
    expect(turn.messages).toEqual(plain.messages);
    expect(
      thrown(() => decode({ thinking: { type: 'adaptive', display: 'hidden' } })),
    ).toMatchObject({ param: 'thinking.display' });
    expect(
      thrown(() =>
        decode({ tools: [{ name: 'f', input_schema: { type: 'object' }, defer_loading: 'yes' }] }),
      ),
    ).toMatchObject({ param: 'tools[0].defer_loading' });
    expect(
      thrown(() => decode({ messages: [{ role: 'user', content: 'hi', output_config: 'low' }] })),
    ).toMatchObject({ param: 'messages[0].output_config' });
  });
});
