import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import type { StreamPart } from '../../core/response.js';
import { createCompletionStreamEncoder } from './create-completion-stream-encoder.js';

const context = { model: 'switchyard-fim', requestId: 'req1' };

function run(parts: StreamPart[], includeUsage: boolean): unknown[] {
  const encoder = createCompletionStreamEncoder(context, { includeUsage });
  let text = '';
  for (const part of parts) text += encoder.push(part);
  text += encoder.end();
  return text
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) =>
      event === 'data: [DONE]' ? '[DONE]' : (JSON.parse(event.slice(6)) as unknown),
    );
}

function chunk(index: number, text: string, finishReason: string | null, usage?: null): object {
  const body: Record<string, unknown> = {
    id: 'cmpl-up',
    object: 'text_completion',
    created: 1700000000,
    model: 'switchyard-fim',
    choices: [{ text, index, logprobs: null, finish_reason: finishReason }],
  };
  if (usage === null) body.usage = null;
  return body;
}

const start: StreamPart = { type: 'start', id: 'cmpl-up', model: 'upstream', created: 1700000000 };

describe('createCompletionStreamEncoder', () => {
  it('streams text_completion chunks with usage', () => {
    expect(
      run(
        [
          start,
          { type: 'text-delta', index: 0, text: 'return ' },
          { type: 'reasoning-delta', index: 0, text: 'ignored' },
          { type: 'tool-call-start', index: 0, toolIndex: 0, id: 'c', name: 'ignored' },
          { type: 'text-delta', index: 0, text: 'a + b' },
          { type: 'finish', index: 0, finishReason: 'length' },
          { type: 'usage', usage: { inputTokens: 5, outputTokens: 4 } },
        ],
        true,
      ),
    ).toEqual([
      chunk(0, 'return ', null, null),
      chunk(0, 'a + b', null, null),
      chunk(0, '', 'length', null),
      {
        id: 'cmpl-up',
        object: 'text_completion',
        created: 1700000000,
        model: 'switchyard-fim',
        choices: [],
        usage: {
          prompt_tokens: 5,
          completion_tokens: 4,
          total_tokens: 9,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      },
      '[DONE]',
    ]);
  });

  it('handles several choices, dangling finishes and no usage', () => {
    expect(
      run(
        [
          start,
          { type: 'text-delta', index: 0, text: 'a' },
          { type: 'text-delta', index: 1, text: 'b' },
          { type: 'finish', index: 0, finishReason: 'tool_calls' },
          { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } },
        ],
        false,
      ),
    ).toEqual([
      chunk(0, 'a', null),
      chunk(1, 'b', null),
      chunk(0, '', 'stop'),
      chunk(1, '', 'stop'),
      '[DONE]',
    ]);
  });

  it('answers an empty stream with a finished choice and uses the request id without start', () => {
    const output = run([], false) as { id: string; choices: unknown[] }[];
    expect(output[0]?.id).toBe('cmpl-req1');
    expect(output[0]?.choices).toEqual([
      { text: '', index: 0, logprobs: null, finish_reason: 'stop' },
    ]);
    expect(output[1]).toBe('[DONE]');
  });

  it('encodes errors like the chat encoder', () => {
    const encoder = createCompletionStreamEncoder(context, { includeUsage: false });
    expect(encoder.error(new GatewayError('upstream_rate_limited', 'Slow down.'))).toBe(
      'data: {"error":{"message":"Slow down.","type":"rate_limit_error","param":null,"code":"upstream_rate_limited"}}\n\n',
    );
  });
});
