import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../core/response.js';
import { AnthropicStreamDecoder } from './decode-stream.js';

const context = { provider: 'claude' };

function run(events: Array<Record<string, unknown>>): {
  parts: StreamPart[];
  decoder: AnthropicStreamDecoder;
} {
  const decoder = new AnthropicStreamDecoder(context, 'fallback');
  const parts: StreamPart[] = [];
  for (const event of events)
    decoder.push({ event: String(event['type']), data: JSON.stringify(event) }, parts);
  return { parts, decoder };
}

const start = {
  type: 'message_start',
  message: { id: 'msg', model: 'claude', usage: { input_tokens: 5, output_tokens: 1 } },
};

describe('AnthropicStreamDecoder', () => {
  it('keeps the 1-hour part of the cache writes (cache_creation), the last report winning', () => {
    const usage = {
      input_tokens: 5,
      output_tokens: 1,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 3_000,
      cache_creation: { ephemeral_5m_input_tokens: 1_000, ephemeral_1h_input_tokens: 2_000 },
    };
    const { parts } = run([
      { type: 'message_start', message: { id: 'msg', model: 'claude', usage } },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } },
      { type: 'message_stop' },
    ]);
    expect(parts.at(-1)).toEqual({
      type: 'usage',
      usage: {
        inputTokens: 3_105,
        outputTokens: 7,
        cachedInputTokens: 100,
        cacheWriteTokens: 3_000,
        cacheWrite1hTokens: 2_000,
      },
    });
  });

  it('maps refusal and pause_turn stop reasons', () => {
    for (const [reason, expected] of [
      ['refusal', 'content_filter'],
      ['pause_turn', 'pause'],
      ['model_context_window_exceeded', 'length'],
    ]) {
      const { parts } = run([
        start,
        { type: 'message_delta', delta: { stop_reason: reason }, usage: { output_tokens: 2 } },
        { type: 'message_stop' },
      ]);
      expect(parts.at(-2)).toEqual({ type: 'finish', index: 0, finishReason: expected });
    }
  });

  it('ignores unknown event and delta types and server tool blocks; keeps redacted thinking as a block', () => {
    const { parts } = run([
      start,
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'redacted_thinking', data: 'xyz' },
      },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'server_tool_use', id: 's', name: 'web_search', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"q":1}' },
      },
      { type: 'content_block_delta', index: 2, delta: { type: 'citations_delta', citation: {} } },
      { type: 'some_future_event' },
      { type: 'message_stop' },
    ]);
    expect(parts.map((part) => part.type)).toEqual([
      'start',
      'reasoning-redacted',
      'finish',
      'usage',
    ]);
    expect(parts[1]).toEqual({ type: 'reasoning-redacted', index: 0, data: 'xyz' });
  });

  it('turns thinking blocks into reasoning deltas ended by their signature', () => {
    const { parts } = run([
      start,
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hm.' } },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'signature_delta', signature: 'S1' },
      },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_stop' },
    ]);
    expect(parts.slice(1, 3)).toEqual([
      { type: 'reasoning-delta', index: 0, text: 'Hm.' },
      { type: 'reasoning-signature', index: 0, signature: 'S1' },
    ]);
  });

  it('throws on an event before message_start, and when message_stop never comes', () => {
    expect(() =>
      run([{ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' } }]),
    ).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
    const { decoder } = run([start]);
    expect(() => decoder.end()).toThrow(expect.objectContaining({ code: 'upstream_bad_response' }));
  });

  it('maps other error event types to upstream_bad_response', () => {
    expect(() =>
      run([
        start,
        { type: 'error', error: { type: 'api_error', message: 'Internal server error' } },
      ]),
    ).toThrow(expect.objectContaining({ code: 'upstream_bad_response', provider: 'claude' }));
  });
});
