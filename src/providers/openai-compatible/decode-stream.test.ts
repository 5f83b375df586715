import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../core/response.js';
import { OpenAIStreamDecoder } from './decode-stream.js';

const context = { provider: 'p' };

function decode(chunks: Array<Record<string, unknown> | string>, ended = true): StreamPart[] {
  const decoder = new OpenAIStreamDecoder(context, 'fallback-model');
  const out: StreamPart[] = [];
  for (const chunk of chunks)
    decoder.push({ data: typeof chunk === 'string' ? chunk : JSON.stringify(chunk) }, out);
  if (ended) decoder.end(out);
  return out;
}

const base = { id: 'c1', created: 5, model: 'm' };
const delta = (value: Record<string, unknown>, finish: string | null = null, index = 0) => ({
  ...base,
  choices: [{ index, delta: value, finish_reason: finish }],
});

describe('OpenAIStreamDecoder', () => {
  it("forwards each chunk's logprobs after its text", () => {
    const logprobs = { content: [{ token: 'a', logprob: -1, bytes: [97], top_logprobs: [] }] };
    const parts = decode([
      { ...base, choices: [{ index: 0, delta: { content: 'a' }, logprobs, finish_reason: null }] },
      '[DONE]',
    ]);
    expect(parts.slice(1, 3)).toEqual([
      { type: 'text-delta', index: 0, text: 'a' },
      { type: 'logprobs', index: 0, logprobs },
    ]);
  });

  it('numbers tool calls by position when the upstream omits index', () => {
    const parts = decode([
      delta({ tool_calls: [{ id: 'a', function: { name: 'f', arguments: '{"x"' } }] }),
      delta({ tool_calls: [{ function: { arguments: ':1}' } }] }),
      delta({ tool_calls: [{ function: { name: 'g', arguments: '{}' } }] }),
      delta({}, 'tool_calls'),
      '[DONE]',
    ]);
    expect(parts.filter((part) => part.type.startsWith('tool'))).toEqual([
      { type: 'tool-call-start', index: 0, toolIndex: 0, id: 'a', name: 'f' },
      { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '{"x"' },
      { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: ':1}' },
      { type: 'tool-call-start', index: 0, toolIndex: 1, id: 'call_0_1', name: 'g' },
      { type: 'tool-call-delta', index: 0, toolIndex: 1, argumentsDelta: '{}' },
    ]);
  });

  it('gives a new call its own toolIndex when a server reuses index 0 with a new id', () => {
    const parts = decode([
      delta({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } }] }),
      delta({ tool_calls: [{ index: 0, id: 'b', function: { name: 'g', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"y":2}' } }] }),
      delta({}, 'tool_calls'),
      '[DONE]',
    ]);
    expect(parts.filter((part) => part.type.startsWith('tool'))).toEqual([
      { type: 'tool-call-start', index: 0, toolIndex: 0, id: 'a', name: 'f' },
      { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '{}' },
      { type: 'tool-call-start', index: 0, toolIndex: 1, id: 'b', name: 'g' },
      { type: 'tool-call-delta', index: 0, toolIndex: 1, argumentsDelta: '{"y":2}' },
    ]);
  });

  it('treats a repeated id and name on every chunk as one call', () => {
    const parts = decode([
      delta({
        tool_calls: [
          { index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '{"q":' } },
        ],
      }),
      delta({
        tool_calls: [
          { index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '"x"}' } },
        ],
      }),
      delta({}, 'tool_calls'),
      '[DONE]',
    ]);
    expect(parts.filter((part) => part.type === 'tool-call-start')).toHaveLength(1);
    expect(parts.filter((part) => part.type === 'tool-call-delta')).toHaveLength(2);
  });

  it('finishes unfinished choices with stop when [DONE] arrives without finish_reason', () => {
    expect(decode([delta({ content: 'hi' }), '[DONE]'])).toEqual([
      { type: 'start', id: 'c1', model: 'm', created: 5 },
      { type: 'text-delta', index: 0, text: 'hi' },
      { type: 'finish', index: 0, finishReason: 'stop' },
    ]);
  });

  it('emits usage once, after every finish, keeping the last report', () => {
    const parts = decode([
      { ...delta({}, 'stop'), usage: { prompt_tokens: 1, completion_tokens: 1 } },
      { ...base, choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } },
      '[DONE]',
    ]);
    expect(parts.slice(-2)).toEqual([
      { type: 'finish', index: 0, finishReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } },
    ]);
  });

  it('maps finish reasons, including legacy function_call and unknown values', () => {
    const reasons = [
      'function_call',
      'content_filter',
      'model_length',
      'eos',
      'insufficient_system_resource',
    ].map((reason) => {
      const parts = decode([delta({}, reason)]);
      return parts.find((part) => part.type === 'finish');
    });
    expect(
      reasons.map((part) => (part?.type === 'finish' ? part.finishReason : undefined)),
    ).toEqual(['tool_calls', 'content_filter', 'length', 'stop', 'stop']);
  });

  it('throws upstream_bad_response for a stream that ends with no chunk, or for bad JSON', () => {
    expect(() => decode(['[DONE]'])).toThrow(
      expect.objectContaining({ code: 'upstream_bad_response' }),
    );
    expect(() => decode(['{"id": nope'], false)).toThrow(
      expect.objectContaining({ code: 'upstream_bad_response' }),
    );
  });

  it('requires every started choice to finish when [DONE] is missing', () => {
    expect(() =>
      decode([delta({ content: 'a' }, 'stop', 0), delta({ content: 'b' }, null, 1)]),
    ).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
  });

  it('uses the fallback model and skips empty deltas', () => {
    const parts = decode([
      { id: 'x', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] },
      delta({}, 'stop'),
    ]);
    expect(parts[0]).toMatchObject({ type: 'start', id: 'x', model: 'fallback-model' });
    expect(parts.filter((part) => part.type === 'text-delta')).toHaveLength(0);
  });
});

describe('OpenAIStreamDecoder error payloads', () => {
  it('throws for a bare vLLM error object in the stream', () => {
    expect(() =>
      decode(
        [
          {
            object: 'error',
            message: 'CUDA out of memory',
            type: 'InternalServerError',
            code: 500,
          },
        ],
        false,
      ),
    ).toThrow(expect.objectContaining({ code: 'upstream_unavailable', upstreamStatus: 500 }));
  });
});
