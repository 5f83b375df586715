import { describe, expect, it, vi } from 'vitest';
import type { StreamPart } from '../../core/response.js';
import { AnthropicStreamDecoder } from './decode-stream.js';

const context = { provider: 'claude' };

function run(events: Array<Record<string, unknown>>): { parts: StreamPart[]; decoder: AnthropicStreamDecoder } {
  const decoder = new AnthropicStreamDecoder(context, 'fallback');
  const parts: StreamPart[] = [];
  for (const event of events) decoder.push({ event: String(event['type']), data: JSON.stringify(event) }, parts);
  return { parts, decoder };
}

const start = { type: 'message_start', message: { id: 'msg', model: 'claude', usage: { input_tokens: 5, output_tokens: 1 } } };

describe('AnthropicStreamDecoder', () => {
  it('maps refusal and pause_turn stop reasons', () => {
    for (const [reason, expected] of [
      ['refusal', 'content_filter'],
      ['pause_turn', 'pause'],
      ['model_context_window_exceeded', 'length'],
    ]) {
      const { parts } = run([start, { type: 'message_delta', delta: { stop_reason: reason }, usage: { output_tokens: 2 } }, { type: 'message_stop' }]);
      expect(parts.at(-2)).toEqual({ type: 'finish', index: 0, finishReason: expected });
    }
  });

  it('ignores unknown event and delta types, redacted thinking and server tool blocks', () => {
    const { parts } = run([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'redacted_thinking', data: 'xyz' } },
      { type: 'content_block_start', index: 1, content_block: { type: 'server_tool_use', id: 's', name: 'web_search', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"q":1}' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'citations_delta', citation: {} } },
      { type: 'some_future_event' },
      { type: 'message_stop' },
    ]);
    expect(parts.map((part) => part.type)).toEqual(['start', 'finish', 'usage']);
  });

  it('throws on an event before message_start, and when message_stop never comes', () => {
    expect(() => run([{ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' } }])).toThrow(
      expect.objectContaining({ code: 'upstream_bad_response' }),
    );
    const { decoder } = run([start]);
    expect(() => decoder.end()).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
  });

  it('maps other error event types to upstream_bad_response', () => {
    expect(() => run([start, { type: 'error', error: { type: 'api_error', message: 'Internal server error' } }])).toThrow(
      expect.objectContaining({ code: 'upstream_bad_response', provider: 'claude' }),
    );
  });
});

describe('AnthropicStreamDecoder fast path (plain text and thinking deltas skip JSON.parse)', () => {
  type Event = { event?: string; data: string };
  const decodeAll = (events: Event[], fastPath: boolean): { parts: StreamPart[]; error?: string } => {
    const decoder = new AnthropicStreamDecoder(context, 'fallback', fastPath);
    const parts: StreamPart[] = [];
    try {
      for (const event of events) decoder.push(event, parts);
      decoder.end();
    } catch (error) {
      return { parts, error: (error as { code?: string }).code ?? String(error) };
    }
    return { parts };
  };
  const same = (events: Event[]): StreamPart[] => {
    const fast = decodeAll(events, true);
    expect(fast).toEqual(decodeAll(events, false));
    return fast.parts;
  };
  const event = (value: Record<string, unknown>): Event => ({ event: String(value['type']), data: JSON.stringify(value) });
  const text = (value: string, index = 0) => event({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: value } });
  const thinking = (value: string) => event({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: value } });
  const stop = [event({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }), event({ type: 'message_stop' })];

  it('decodes most text deltas without JSON.parse, with the same parts', () => {
    const events = [event(start), event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }), ...Array.from({ length: 40 }, (_, i) => text(`word${i} `)), ...stop];
    const parse = vi.spyOn(JSON, 'parse');
    try {
      decodeAll(events, true);
      expect(parse.mock.calls.length).toBeLessThan(8);
    } finally {
      parse.mockRestore();
    }
    expect(same(events).filter((part) => part.type === 'text-delta')).toHaveLength(40);
  });

  it('matches the full decode for thinking then text, escapes, other blocks, a changed event name and after message_stop', () => {
    same([
      event(start),
      thinking('hmm'), thinking('more'), thinking('with "quotes"'), thinking('x'),
      text('a'), text('b'), text('tab\there'), text('c', 1), text('d', 1), text('msg'), text('claude'),
      { event: 'other', data: text('e').data },
      { data: text('f').data },
      event({ type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 't', name: 'f', input: {} } }),
      event({ type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"a":1}' } }),
      text('g'),
      ...stop,
      text('after'),
    ]);
  });

  it('rejects a raw control character as invalid JSON, like the full decode', () => {
    const events = [event(start), text('a'), text('b'), { event: 'content_block_delta', data: text('b').data.replace('"b"', '"x\u0002y"') }];
    const fast = decodeAll(events, true);
    expect(fast.error).toBe('upstream_bad_response');
    expect(fast).toEqual(decodeAll(events, false));
  });
});
