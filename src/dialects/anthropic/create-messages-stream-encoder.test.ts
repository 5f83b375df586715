import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import type { StreamPart } from '../../core/response.js';
import { createMessagesStreamEncoder } from './create-messages-stream-encoder.js';

const context = { model: 'switchyard-smart', requestId: 'req1' };

interface Event {
  type: string;
  index?: number;
  [key: string]: unknown;
}

/** Parses `event: X\ndata: {…}\n\n` frames, checking the event name matches the payload type. */
function parse(text: string): Event[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => {
      const [eventLine, dataLine, ...rest] = frame.split('\n');
      expect(rest).toEqual([]);
      const name = eventLine?.slice('event: '.length);
      const data = JSON.parse(dataLine?.slice('data: '.length) ?? '') as Event;
      expect(data.type).toBe(name);
      return data;
    });
}

/** Checks the Messages streaming grammar: start, well-nested sequential blocks, delta, stop. */
function expectWellOrdered(events: Event[]): void {
  expect(events[0]?.type).toBe('message_start');
  expect(events.at(-2)?.type).toBe('message_delta');
  expect(events.at(-1)?.type).toBe('message_stop');
  let open: { index: number; kind: string } | undefined;
  let nextIndex = 0;
  for (const event of events.slice(1, -2)) {
    switch (event.type) {
      case 'content_block_start': {
        expect(open).toBeUndefined();
        expect(event.index).toBe(nextIndex++);
        open = { index: event.index ?? -1, kind: (event.content_block as { type: string }).type };
        break;
      }
      case 'content_block_delta': {
        expect(event.index).toBe(open?.index);
        const deltaType = (event.delta as { type: string }).type;
        const allowed: Record<string, string[]> = {
          text: ['text_delta'],
          thinking: ['thinking_delta', 'signature_delta'],
          tool_use: ['input_json_delta'],
        };
        expect(allowed[open?.kind ?? '']).toContain(deltaType);
        break;
      }
      case 'content_block_stop':
        expect(event.index).toBe(open?.index);
        open = undefined;
        break;
      default:
        throw new Error(`unexpected ${event.type} in the middle of a stream`);
    }
  }
  expect(open).toBeUndefined();
}

function run(parts: StreamPart[]): Event[] {
  const encoder = createMessagesStreamEncoder(context);
  let text = '';
  for (const part of parts) text += encoder.push(part);
  const events = parse(text + encoder.end());
  expectWellOrdered(events);
  return events;
}

const messageStart = {
  type: 'message_start',
  message: {
    id: 'msg_up',
    type: 'message',
    role: 'assistant',
    model: 'switchyard-smart',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: {
      input_tokens: 0,
      output_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    },
  },
};
const start: StreamPart = { type: 'start', id: 'msg_up', model: 'upstream', created: 1 };

describe('createMessagesStreamEncoder', () => {
  it('produces the full event sequence for text and a streamed tool call', () => {
    expect(
      run([
        start,
        { type: 'text-delta', index: 0, text: 'Let me ' },
        { type: 'text-delta', index: 0, text: 'check.' },
        { type: 'tool-call-start', index: 0, toolIndex: 0, id: 'toolu_1', name: 'Read' },
        { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '{"file' },
        { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '_path":"/a"}' },
        { type: 'finish', index: 0, finishReason: 'tool_calls' },
        { type: 'usage', usage: { inputTokens: 500, outputTokens: 30, cachedInputTokens: 400 } },
      ]),
    ).toEqual([
      messageStart,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Let me ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'check.' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"file' },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '_path":"/a"}' },
      },
      { type: 'content_block_stop', index: 1 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: {
          input_tokens: 100,
          output_tokens: 30,
          cache_read_input_tokens: 400,
          cache_creation_input_tokens: 0,
        },
      },
      { type: 'message_stop' },
    ]);
  });

  it('sends message_start as soon as the start part arrives', () => {
    const encoder = createMessagesStreamEncoder(context);
    expect(parse(encoder.push(start))).toEqual([messageStart]);
  });

  it('sends signed reasoning as thinking blocks ended by their signature_delta', () => {
    const events = run([
      { type: 'reasoning-delta', index: 0, text: 'Let me ' },
      { type: 'reasoning-delta', index: 0, text: 'think.' },
      { type: 'reasoning-signature', index: 0, signature: 'sig-1' },
      { type: 'reasoning-redacted', index: 0, data: 'ENCRYPTED' },
      { type: 'text-delta', index: 0, text: 'Answer' },
      { type: 'finish', index: 0, finishReason: 'stop' },
    ]);
    expect(events.slice(1, -2)).toEqual([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: 'Let me ' },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: 'think.' },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'signature_delta', signature: 'sig-1' },
      },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'redacted_thinking', data: 'ENCRYPTED' },
      },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'Answer' } },
      { type: 'content_block_stop', index: 2 },
    ]);
  });

  it('sends unsigned reasoning (other upstreams) as a thinking block without a signature_delta', () => {
    const events = run([
      { type: 'reasoning-delta', index: 0, text: 'hmm' },
      { type: 'text-delta', index: 0, text: 'Hi' },
      { type: 'finish', index: 0, finishReason: 'stop' },
    ]);
    expect(events.slice(1, 5)).toEqual([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
    ]);
    expect(
      events.some((event) => (event.delta as { type?: string })?.type === 'signature_delta'),
    ).toBe(false);
  });

  it('works without a start part and makes the id from the request id', () => {
    const events = run([
      { type: 'text-delta', index: 0, text: 'Hi' },
      { type: 'finish', index: 0, finishReason: 'stop', stopSequence: 'END' },
    ]);
    expect((events[0]!.message as { id: string }).id).toBe('msg_req1');
    expect(events.at(-2)).toMatchObject({
      delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' },
    });
  });

  it('produces a valid sequence for an empty stream', () => {
    const events = run([]);
    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'message_delta',
      'message_stop',
    ]);
    expect(events[1]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        input_tokens: 0,
        output_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0,
      },
    });
  });

  it('ignores other choices and empty deltas', () => {
    const events = run([
      start,
      { type: 'reasoning-delta', index: 0, text: '' },
      { type: 'reasoning-delta', index: 1, text: 'other thinking' },
      { type: 'text-delta', index: 1, text: 'other choice' },
      { type: 'text-delta', index: 0, text: '' },
      { type: 'tool-call-start', index: 1, toolIndex: 0, id: 'x', name: 'y' },
      { type: 'text-delta', index: 0, text: 'mine' },
      { type: 'finish', index: 1, finishReason: 'length' },
      { type: 'finish', index: 0, finishReason: 'stop' },
    ]);
    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[2]).toMatchObject({ delta: { text: 'mine' } });
    expect(events[4]).toMatchObject({ delta: { stop_reason: 'end_turn' } });
  });

  it('closes blocks in order across several tool calls and text after tools', () => {
    const events = run([
      { type: 'tool-call-start', index: 0, toolIndex: 0, id: 'a', name: 'A' },
      { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '{}' },
      { type: 'tool-call-start', index: 0, toolIndex: 1, id: 'b', name: 'B' },
      { type: 'tool-call-delta', index: 0, toolIndex: 1, argumentsDelta: '{"x":1}' },
      { type: 'text-delta', index: 0, text: 'after' },
    ]);
    expect(
      events.filter((event) => event.type === 'content_block_start').map((event) => event.index),
    ).toEqual([0, 1, 2]);
    // No finish arrived: the stop reason follows from the tool calls seen.
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: 'tool_use' } });
  });

  it('sends late arguments for an already closed tool block on that block index', () => {
    const encoder = createMessagesStreamEncoder(context);
    let text = '';
    for (const part of [
      start,
      { type: 'tool-call-start', index: 0, toolIndex: 0, id: 'a', name: 'A' },
      { type: 'tool-call-start', index: 0, toolIndex: 1, id: 'b', name: 'B' },
      { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '{}' },
      { type: 'tool-call-delta', index: 0, toolIndex: 7, argumentsDelta: 'unknown tool' },
    ] satisfies StreamPart[]) {
      text += encoder.push(part);
    }
    const deltas = parse(text).filter((event) => event.type === 'content_block_delta');
    expect(deltas).toEqual([
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{}' },
      },
    ]);
  });

  it('maps every finish reason', () => {
    const reasons = (['stop', 'length', 'tool_calls', 'content_filter', 'pause'] as const).map(
      (finishReason) => {
        const events = run([{ type: 'finish', index: 0, finishReason }]);
        return (events.at(-2)!.delta as { stop_reason: string }).stop_reason;
      },
    );
    expect(reasons).toEqual(['end_turn', 'max_tokens', 'tool_use', 'refusal', 'pause_turn']);
  });

  it('encodes an error event', () => {
    const encoder = createMessagesStreamEncoder(context);
    expect(encoder.error(new GatewayError('upstream_unavailable', 'Overloaded.'))).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded."}}\n\n',
    );
  });
});
