import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import type { StreamPart } from '../../core/response.js';
import { createChatStreamEncoder } from './create-chat-stream-encoder.js';

const context = { model: 'switchyard-coder', requestId: 'req1' };
const start: StreamPart = {
  type: 'start',
  id: 'chatcmpl-up',
  model: 'upstream',
  created: 1700000000,
};

/** Splits SSE text into its data payloads, checking the `data: …\n\n` framing. */
function events(text: string): unknown[] {
  expect(text.endsWith('\n\n') || text === '').toBe(true);
  return text
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) => {
      expect(event.startsWith('data: ')).toBe(true);
      const data = event.slice('data: '.length);
      return data === '[DONE]' ? '[DONE]' : (JSON.parse(data) as unknown);
    });
}

function run(parts: StreamPart[], includeUsage: boolean): unknown[] {
  const encoder = createChatStreamEncoder(context, { includeUsage });
  let text = '';
  for (const part of parts) text += encoder.push(part);
  return events(text + encoder.end());
}

function chunk(
  index: number,
  delta: object,
  finishReason: string | null = null,
  usage?: null,
): object {
  const body: Record<string, unknown> = {
    id: 'chatcmpl-up',
    object: 'chat.completion.chunk',
    created: 1700000000,
    model: 'switchyard-coder',
    choices: [{ index, delta, logprobs: null, finish_reason: finishReason }],
  };
  if (usage === null) body.usage = null;
  return body;
}

describe('createChatStreamEncoder', () => {
  it('streams text, then finish, then [DONE]', () => {
    expect(
      run(
        [
          start,
          { type: 'text-delta', index: 0, text: 'Hel' },
          { type: 'text-delta', index: 0, text: 'lo' },
          { type: 'finish', index: 0, finishReason: 'stop' },
        ],
        false,
      ),
    ).toEqual([
      chunk(0, { role: 'assistant', content: '' }),
      chunk(0, { content: 'Hel' }),
      chunk(0, { content: 'lo' }),
      chunk(0, {}, 'stop'),
      '[DONE]',
    ]);
  });

  it('streams a tool call in deltas and reasoning as reasoning_content', () => {
    expect(
      run(
        [
          start,
          { type: 'reasoning-delta', index: 0, text: 'hmm' },
          { type: 'tool-call-start', index: 0, toolIndex: 0, id: 'call_1', name: 'read' },
          { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '{"p":' },
          { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '' },
          { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '1}' },
          { type: 'finish', index: 0, finishReason: 'tool_calls' },
        ],
        false,
      ),
    ).toEqual([
      chunk(0, { role: 'assistant', content: '' }),
      chunk(0, { reasoning_content: 'hmm' }),
      chunk(0, {
        tool_calls: [
          { index: 0, id: 'call_1', type: 'function', function: { name: 'read', arguments: '' } },
        ],
      }),
      chunk(0, { tool_calls: [{ index: 0, function: { arguments: '{"p":' } }] }),
      chunk(0, { tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      chunk(0, {}, 'tool_calls'),
      '[DONE]',
    ]);
  });

  it('sends upstream log probabilities in a chunk of their own; Anthropic signatures are not shown', () => {
    const logprobs = {
      content: [{ token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [] }],
    };
    const out = run(
      [
        start,
        { type: 'reasoning-delta', index: 0, text: 'r' },
        { type: 'reasoning-signature', index: 0, signature: 'S' },
        { type: 'text-delta', index: 0, text: 'Hi' },
        { type: 'logprobs', index: 0, logprobs },
        { type: 'finish', index: 0, finishReason: 'stop' },
      ],
      false,
    );
    expect(out).toEqual([
      chunk(0, { role: 'assistant', content: '' }),
      chunk(0, { reasoning_content: 'r' }),
      chunk(0, { content: 'Hi' }),
      {
        ...(chunk(0, {}) as object),
        choices: [{ index: 0, delta: {}, logprobs, finish_reason: null }],
      },
      chunk(0, {}, 'stop'),
      '[DONE]',
    ]);
  });

  it('puts usage: null on every chunk and a final usage chunk after finish when asked', () => {
    expect(
      run(
        [
          start,
          { type: 'text-delta', index: 0, text: 'Hi' },
          { type: 'finish', index: 0, finishReason: 'length' },
          { type: 'usage', usage: { inputTokens: 7, outputTokens: 3, cachedInputTokens: 2 } },
        ],
        true,
      ),
    ).toEqual([
      chunk(0, { role: 'assistant', content: '' }, null, null),
      chunk(0, { content: 'Hi' }, null, null),
      chunk(0, {}, 'length', null),
      {
        id: 'chatcmpl-up',
        object: 'chat.completion.chunk',
        created: 1700000000,
        model: 'switchyard-coder',
        choices: [],
        usage: {
          prompt_tokens: 7,
          completion_tokens: 3,
          total_tokens: 10,
          prompt_tokens_details: { cached_tokens: 2 },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      },
      '[DONE]',
    ]);
  });

  it('drops usage when the client did not ask for it', () => {
    const output = run(
      [
        start,
        { type: 'finish', index: 0, finishReason: 'stop' },
        { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } },
      ],
      false,
    );
    expect(output).toEqual([
      chunk(0, { role: 'assistant', content: '' }),
      chunk(0, {}, 'stop'),
      '[DONE]',
    ]);
  });

  it('opens each choice with a role chunk the first time it appears', () => {
    expect(
      run(
        [
          start,
          { type: 'text-delta', index: 1, text: 'B' },
          { type: 'text-delta', index: 0, text: 'A' },
          { type: 'finish', index: 1, finishReason: 'stop' },
          { type: 'finish', index: 0, finishReason: 'pause' },
        ],
        false,
      ),
    ).toEqual([
      chunk(0, { role: 'assistant', content: '' }),
      chunk(1, { role: 'assistant', content: '' }),
      chunk(1, { content: 'B' }),
      chunk(0, { content: 'A' }),
      chunk(1, {}, 'stop'),
      chunk(0, {}, 'stop'),
      '[DONE]',
    ]);
  });

  it('works without a start part, with one stable id from the request id', () => {
    const output = run(
      [
        { type: 'text-delta', index: 0, text: 'x' },
        { type: 'finish', index: 0, finishReason: 'stop' },
      ],
      false,
    ) as { id: string; created: number; choices: { delta: unknown }[] }[];
    expect(output).toHaveLength(4);
    const chunks = output.slice(0, 3);
    expect(new Set(chunks.map((entry) => entry.id))).toEqual(new Set(['chatcmpl-req1']));
    expect(new Set(chunks.map((entry) => entry.created)).size).toBe(1);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
  });

  it('finishes choices that never got a finish, and answers an empty stream validly', () => {
    expect(run([start, { type: 'text-delta', index: 0, text: 'x' }], false)).toEqual([
      chunk(0, { role: 'assistant', content: '' }),
      chunk(0, { content: 'x' }),
      chunk(0, {}, 'stop'),
      '[DONE]',
    ]);
    expect(run([start], false)).toEqual([
      chunk(0, { role: 'assistant', content: '' }),
      chunk(0, {}, 'stop'),
      '[DONE]',
    ]);
    const empty = run([], false) as { choices: { finish_reason: string | null }[] }[];
    expect(
      empty.map((entry) =>
        entry === ('[DONE]' as unknown) ? entry : entry.choices[0]?.finish_reason,
      ),
    ).toEqual([null, 'stop', '[DONE]']);
  });

  it('ignores a repeated finish and empty text deltas', () => {
    expect(
      run(
        [
          start,
          { type: 'text-delta', index: 0, text: '' },
          { type: 'finish', index: 0, finishReason: 'stop' },
          { type: 'finish', index: 0, finishReason: 'length' },
        ],
        false,
      ),
    ).toEqual([chunk(0, { role: 'assistant', content: '' }), chunk(0, {}, 'stop'), '[DONE]']);
  });

  it('encodes an error as an OpenAI error event', () => {
    const encoder = createChatStreamEncoder(context, { includeUsage: false });
    const error = new GatewayError('upstream_timeout', 'The upstream did not answer in time.');
    expect(encoder.error(error)).toBe(
      'data: {"error":{"message":"The upstream did not answer in time.","type":"api_error","param":null,"code":"upstream_timeout"}}\n\n',
    );
  });
});
