import { describe, expect, it, vi } from 'vitest';
import type { StreamPart } from '../../core/response.js';
import { OpenAIStreamDecoder } from './decode-stream.js';

const context = { provider: 'p' };

function decode(chunks: Array<Record<string, unknown> | string>, ended = true): StreamPart[] {
  const decoder = new OpenAIStreamDecoder(context, 'fallback-model');
  const out: StreamPart[] = [];
  for (const chunk of chunks) decoder.push({ data: typeof chunk === 'string' ? chunk : JSON.stringify(chunk) }, out);
  if (ended) decoder.end(out);
  return out;
}

const base = { id: 'c1', created: 5, model: 'm' };
const delta = (value: Record<string, unknown>, finish: string | null = null, index = 0) => ({
  ...base,
  choices: [{ index, delta: value, finish_reason: finish }],
});

describe('OpenAIStreamDecoder', () => {
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
      delta({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '{"q":' } }] }),
      delta({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '"x"}' } }] }),
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
    const reasons = ['function_call', 'content_filter', 'model_length', 'eos', 'insufficient_system_resource'].map((reason) => {
      const parts = decode([delta({}, reason)]);
      return parts.find((part) => part.type === 'finish');
    });
    expect(reasons.map((part) => (part?.type === 'finish' ? part.finishReason : undefined))).toEqual([
      'tool_calls',
      'content_filter',
      'length',
      'stop',
      'stop',
    ]);
  });

  it('throws upstream_bad_response for a stream that ends with no chunk, or for bad JSON', () => {
    expect(() => decode(['[DONE]'])).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
    expect(() => decode(['{"id": nope'], false)).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
  });

  it('requires every started choice to finish when [DONE] is missing', () => {
    expect(() =>
      decode([delta({ content: 'a' }, 'stop', 0), delta({ content: 'b' }, null, 1)]),
    ).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
  });

  it('uses the fallback model and skips empty deltas', () => {
    const parts = decode([{ id: 'x', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }, delta({}, 'stop')]);
    expect(parts[0]).toMatchObject({ type: 'start', id: 'x', model: 'fallback-model' });
    expect(parts.filter((part) => part.type === 'text-delta')).toHaveLength(0);
  });
});

describe('OpenAIStreamDecoder error payloads', () => {
  it('throws for a bare vLLM error object in the stream', () => {
    expect(() => decode([{ object: 'error', message: 'CUDA out of memory', type: 'InternalServerError', code: 500 }], false)).toThrow(
      expect.objectContaining({ code: 'upstream_unavailable', upstreamStatus: 500 }),
    );
  });
});

describe('OpenAIStreamDecoder fast path (plain text deltas skip JSON.parse)', () => {
  const run = (events: string[], fastPath: boolean): { parts: StreamPart[]; error?: string } => {
    const decoder = new OpenAIStreamDecoder(context, 'fallback-model', fastPath);
    const parts: StreamPart[] = [];
    try {
      for (const data of events) decoder.push({ data }, parts);
      decoder.end(parts);
    } catch (error) {
      return { parts, error: (error as { code?: string }).code ?? String(error) };
    }
    return { parts };
  };
  const same = (events: string[]): StreamPart[] => {
    const fast = run(events, true);
    expect(fast).toEqual(run(events, false));
    return fast.parts;
  };
  const chunk = (content: unknown, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 5, model: 'm', choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }], ...extra });

  it('decodes most events of a plain stream without JSON.parse, with the same parts', () => {
    const events = [chunk(''), ...Array.from({ length: 50 }, (_, i) => chunk(`word${i} `)), JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }), '[DONE]'];
    const parse = vi.spyOn(JSON, 'parse');
    try {
      run(events, true);
      const fastParses = parse.mock.calls.length;
      parse.mockClear();
      run(events, false);
      expect(parse.mock.calls.length).toBe(events.length - 1);
      expect(fastParses).toBeLessThan(6);
    } finally {
      parse.mockRestore();
    }
    const parts = same(events);
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => (part as { text: string }).text).join('')).toBe(Array.from({ length: 50 }, (_, i) => `word${i} `).join(''));
  });

  it('takes the full path for text with quotes, escapes, control characters or non-ASCII written as escapes', () => {
    same([chunk('a'), chunk('b'), chunk('say "hi"'), chunk('back\\slash'), chunk('tab\there'), chunk('line\nbreak'), chunk('b'), '{"id":"c1","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{"content":"\\u00e9t\\u00e9"},"logprobs":null,"finish_reason":null}]}', chunk('été'), chunk('c'), '[DONE]']);
  });

  it('rejects a raw control character as invalid JSON, like the full path', () => {
    const fast = run([chunk('a'), chunk('b'), chunk('b').replace('"b"', '"x\u0001y"')], true);
    expect(fast.error).toBe('upstream_bad_response');
    expect(fast).toEqual(run([chunk('a'), chunk('b'), chunk('b').replace('"b"', '"x\u0001y"')], false));
  });

  it('finds the delta when its text also appears elsewhere in the event (id, model, a look-alike key)', () => {
    same([chunk(''), chunk('m'), chunk('c1'), chunk('x'), chunk('chunk'), chunk('m'), '[DONE]']);
    const lookalike = (text: string) => `{"id":"c1","note":{"a\\"content":"${text}"},"object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{"content":"${text}"},"finish_reason":null}]}`;
    same([lookalike(''), lookalike('q'), lookalike('r'), lookalike('s'), '[DONE]']);
  });

  it('follows pretty-printed servers, finish and usage on their own events, and a finished choice', () => {
    const pretty = (content: string) => JSON.stringify(JSON.parse(chunk(content)), null, 1);
    same([pretty(''), pretty('a'), pretty('b'), pretty('c'), JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'length' }] }), pretty('late'), JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }), '[DONE]']);
    same([chunk('a'), chunk('b'), chunk('c', { usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }), chunk('d'), '[DONE]']);
  });

  it('learns reasoning deltas and completions text the same way, and keeps several choices on the full path', () => {
    const reasoning = (text: string) => JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: null, reasoning_content: text }, finish_reason: null }] });
    same([reasoning(''), reasoning('think '), reasoning('more '), reasoning('done'), chunk('answer'), chunk('answer2'), '[DONE]']);
    const text = (value: string) => JSON.stringify({ ...base, object: 'text_completion', choices: [{ index: 0, text: value, finish_reason: null }] });
    same([text('a'), text('b'), text('c'), JSON.stringify({ ...base, choices: [{ index: 0, text: '', finish_reason: 'stop' }] }), '[DONE]']);
    const two = (a: string, b: string) => JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: a } }, { index: 1, delta: { content: b } }] });
    same([two('a', 'b'), two('c', 'd'), two('e', 'f'), '[DONE]']);
  });

  it('matches the full path on random streams', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const texts = ['a', 'b c', 'm', 'c1', '"', '\\', 'é', '\u2028', '}', '{"x":1}', 'content', ':', ''];
    for (let round = 0; round < 200; round += 1) {
      const events: string[] = [];
      const length = 1 + Math.floor(random() * 12);
      for (let i = 0; i < length; i += 1) {
        const roll = random();
        const text = texts[Math.floor(random() * texts.length)]!;
        if (roll < 0.7) events.push(chunk(text));
        else if (roll < 0.8) events.push(JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: text }, finish_reason: 'stop' }] }));
        else if (roll < 0.9) events.push(chunk(text, { usage: { prompt_tokens: 1, completion_tokens: i, total_tokens: i + 1 } }));
        else events.push(JSON.stringify({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 't', function: { name: 'f', arguments: text } }] }, finish_reason: null }] }));
      }
      if (random() < 0.8) events.push('[DONE]');
      same(events);
    }
  });
});
