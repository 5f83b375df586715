import { describe, expect, it } from 'vitest';
import type { Choice, ModelResponse } from '../../core/response.js';
import { encodeMessagesResponse, parseToolInput } from './encode-messages-response.js';

const context = { model: 'switchyard-smart', requestId: 'req1' };

function response(choice: Partial<Choice>, overrides: Partial<ModelResponse> = {}): ModelResponse {
  return {
    id: 'msg_up',
    model: 'upstream',
    created: 1700000000,
    choices: [{ index: 0, text: '', toolCalls: [], finishReason: 'stop', ...choice }],
    ...overrides,
  };
}

describe('encodeMessagesResponse', () => {
  it('encodes thinking, text and tool_use blocks exactly (unsigned reasoning: signature "")', () => {
    expect(
      encodeMessagesResponse(
        response(
          {
            text: 'Reading it.',
            reasoning: 'from deepseek',
            toolCalls: [{ id: 'toolu_1', name: 'Read', arguments: '{"file_path":"/a.ts"}' }],
            finishReason: 'tool_calls',
          },
          {
            usage: {
              inputTokens: 1000,
              outputTokens: 50,
              cachedInputTokens: 800,
              cacheWriteTokens: 150,
            },
          },
        ),
        context,
      ),
    ).toEqual({
      id: 'msg_up',
      type: 'message',
      role: 'assistant',
      model: 'switchyard-smart',
      content: [
        { type: 'thinking', thinking: 'from deepseek', signature: '' },
        { type: 'text', text: 'Reading it.' },
        { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/a.ts' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: {
        input_tokens: 50,
        output_tokens: 50,
        cache_read_input_tokens: 800,
        cache_creation_input_tokens: 150,
      },
    });
  });

  it("keeps an Anthropic upstream's signed and redacted thinking blocks", () => {
    const encoded = encodeMessagesResponse(
      response({
        text: 'Done.',
        reasoning: 'ab',
        reasoningBlocks: [
          { type: 'thinking', text: 'a', signature: 'sig-a' },
          { type: 'redacted', data: 'ENC' },
          { type: 'thinking', text: 'b', signature: 'sig-b' },
        ],
      }),
      context,
    );
    expect(encoded.content).toEqual([
      { type: 'thinking', thinking: 'a', signature: 'sig-a' },
      { type: 'redacted_thinking', data: 'ENC' },
      { type: 'thinking', thinking: 'b', signature: 'sig-b' },
      { type: 'text', text: 'Done.' },
    ]);
  });

  it('makes an Anthropic-style id from the request id for foreign upstream ids', () => {
    expect(encodeMessagesResponse(response({ text: 'x' }, { id: 'chatcmpl-9' }), context).id).toBe(
      'msg_req1',
    );
    expect(encodeMessagesResponse(response({ text: 'x' }, { id: '' }), context).id).toBe(
      'msg_req1',
    );
  });

  it.each<[Choice['finishReason'], string | undefined, string, string | null]>([
    ['stop', undefined, 'end_turn', null],
    ['stop', 'END', 'stop_sequence', 'END'],
    ['length', undefined, 'max_tokens', null],
    ['tool_calls', undefined, 'tool_use', null],
    ['content_filter', undefined, 'refusal', null],
    ['pause', undefined, 'pause_turn', null],
  ])(
    'maps finish %s (stop sequence %s) to %s',
    (finishReason, stopSequence, stopReason, sequence) => {
      const choice: Partial<Choice> = { text: 'x', finishReason };
      if (stopSequence !== undefined) choice.stopSequence = stopSequence;
      const encoded = encodeMessagesResponse(response(choice), context);
      expect(encoded.stop_reason).toBe(stopReason);
      expect(encoded.stop_sequence).toBe(sequence);
    },
  );

  it('returns empty content and zero usage when there is nothing', () => {
    const encoded = encodeMessagesResponse(response({}), context);
    expect(encoded.content).toEqual([]);
    expect(encoded.usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    });
  });

  it('uses only choice 0 and never reports negative input tokens', () => {
    const encoded = encodeMessagesResponse(
      {
        id: 'msg_x',
        model: 'm',
        created: 1,
        choices: [
          { index: 1, text: 'second', toolCalls: [], finishReason: 'stop' },
          { index: 0, text: 'first', toolCalls: [], finishReason: 'length' },
        ],
        usage: { inputTokens: 10, outputTokens: 1, cachedInputTokens: 20 },
      },
      context,
    );
    expect(encoded.content).toEqual([{ type: 'text', text: 'first' }]);
    expect(encoded.stop_reason).toBe('max_tokens');
    expect(encoded.usage.input_tokens).toBe(0);
  });
});

describe('parseToolInput', () => {
  it('parses objects and turns anything else into {}', () => {
    expect(parseToolInput('{"a":[1,{"b":null}]}')).toEqual({ a: [1, { b: null }] });
    expect(parseToolInput('')).toEqual({});
    expect(parseToolInput('{"a":')).toEqual({});
    expect(parseToolInput('[1,2]')).toEqual({});
    expect(parseToolInput('"text"')).toEqual({});
    expect(parseToolInput('null')).toEqual({});
  });
});
