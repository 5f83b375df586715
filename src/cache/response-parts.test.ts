import { describe, expect, it } from 'vitest';
import type { ModelResponse } from '../core/response.js';
import { ResponseCollector, responseToParts } from './response-parts.js';

const answer: ModelResponse = {
  id: 'chatcmpl-1',
  model: 'up',
  created: 1700000000,
  choices: [
    {
      index: 0,
      text: 'Here you go',
      reasoning: 'think',
      toolCalls: [{ id: 'c1', name: 'run', arguments: '{"a":1}' }],
      finishReason: 'tool_calls',
    },
    { index: 1, text: 'second', toolCalls: [], finishReason: 'stop', stopSequence: '\n\n' },
  ],
  usage: { inputTokens: 10, outputTokens: 5 },
};

describe('responseToParts and ResponseCollector', () => {
  it('round-trips a response through parts', () => {
    const collector = new ResponseCollector();
    collector.pushAll(responseToParts(answer));
    expect(collector.complete).toBe(true);
    expect(collector.response()).toEqual(answer);
  });

  it('orders parts as a stream does and puts usage last', () => {
    const parts = responseToParts(answer);
    expect(parts[0]!.type).toBe('start');
    expect(parts.at(-1)).toEqual({ type: 'usage', usage: answer.usage });
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(2);
  });

  it('uses the given usage when the response has none, and emits an empty text delta for an empty answer', () => {
    const empty: ModelResponse = {
      id: '',
      model: 'm',
      created: 0,
      choices: [{ index: 0, text: '', toolCalls: [], finishReason: 'stop' }],
    };
    const parts = responseToParts(empty, { inputTokens: 3, outputTokens: 0 });
    expect(parts.map((part) => part.type)).toEqual(['start', 'text-delta', 'finish', 'usage']);
  });

  it('is incomplete when a choice never finished', () => {
    const collector = new ResponseCollector();
    collector.push({ type: 'text-delta', index: 0, text: 'half' });
    expect(collector.complete).toBe(false);
  });
});
