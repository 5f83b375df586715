import { describe, expect, it } from 'vitest';
import type { ChatRequest, CompletionRequest } from '../../core/request.js';
import { TokenCounter } from './count-tokens.js';
import { estimateUsage, TOKENS_PER_MESSAGE, TOKENS_PER_REPLY } from './estimate-usage.js';

function chat(messages: ChatRequest['messages'], extra: Partial<ChatRequest> = {}): ChatRequest {
  return { kind: 'chat', model: 'auto', messages, stream: false, ...extra };
}

describe('estimateUsage', () => {
  it('counts chat prompts with the o200k tokenizer plus framing, and the answer as output', () => {
    const request = chat([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: [{ type: 'text', text: 'Hello world' }] },
    ]);
    const estimate = estimateUsage(request, 'Hi there!');
    const counter = new TokenCounter(0);
    const expectedInput =
      counter.count('You are terse.') +
      counter.count('Hello world') +
      2 * TOKENS_PER_MESSAGE +
      TOKENS_PER_REPLY;
    expect(estimate).toEqual({
      usage: { inputTokens: expectedInput, outputTokens: counter.count('Hi there!') },
      estimated: true,
      method: 'tokenizer',
    });
    expect(counter.count('Hello world')).toBe(2);
  });

  it('includes tool definitions, tool calls and JSON schemas in the prompt', () => {
    const base = chat([{ role: 'user', content: [{ type: 'text', text: 'Weather?' }] }]);
    const withTools = chat(
      [
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: '{"celsius": 21}' },
      ],
      {
        tools: [
          {
            name: 'get_weather',
            description: 'Current weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        ],
        responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' } },
      },
    );
    expect(estimateUsage(withTools).usage.inputTokens).toBeGreaterThan(
      estimateUsage(base).usage.inputTokens + 20,
    );
  });

  it('counts every prompt and the suffix of a completion request', () => {
    const request: CompletionRequest = {
      kind: 'completion',
      model: 'auto',
      prompt: ['def add(a, b):', 'def sub(a, b):'],
      suffix: '\n',
      stream: false,
    };
    const counter = new TokenCounter(0);
    const expected =
      counter.count('def add(a, b):') + counter.count('def sub(a, b):') + counter.count('\n');
    expect(estimateUsage(request, '    return a + b').usage.inputTokens).toBe(expected);
  });

  it('falls back to characters / 4 above the size limit', () => {
    const text = 'x'.repeat(1_000);
    const estimate = estimateUsage(
      chat([{ role: 'user', content: [{ type: 'text', text }] }]),
      'y'.repeat(40),
      { maxTokenizedCharacters: 100 },
    );
    expect(estimate.method).toBe('characters');
    expect(estimate.usage).toEqual({
      inputTokens: 250 + TOKENS_PER_MESSAGE + TOKENS_PER_REPLY,
      outputTokens: 10,
    });
  });

  it('ignores images', () => {
    const withImage = chat([
      {
        role: 'user',
        content: [
          { type: 'image', url: 'data:image/png;base64,AAAA' },
          { type: 'text', text: 'What is this?' },
        ],
      },
    ]);
    const withoutImage = chat([
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }] },
    ]);
    expect(estimateUsage(withImage).usage).toEqual(estimateUsage(withoutImage).usage);
  });
});
