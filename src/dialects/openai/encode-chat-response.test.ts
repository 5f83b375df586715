import { describe, expect, it } from 'vitest';
import type { ModelResponse } from '../../core/response.js';
import { encodeChatResponse } from './encode-chat-response.js';
import { encodeCompletionResponse } from './encode-completion-response.js';

const context = { model: 'switchyard-coder', requestId: 'req1' };

function response(overrides: Partial<ModelResponse> = {}): ModelResponse {
  return {
    id: 'chatcmpl-up',
    model: 'deepseek-chat',
    created: 1700000000,
    choices: [{ index: 0, text: 'Hello', toolCalls: [], finishReason: 'stop' }],
    ...overrides,
  };
}

describe('encodeChatResponse', () => {
  it('encodes a text answer exactly as OpenAI does', () => {
    expect(
      encodeChatResponse(
        response({
          usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, reasoningTokens: 2 },
          systemFingerprint: 'fp_1',
        }),
        context,
      ),
    ).toEqual({
      id: 'chatcmpl-up',
      object: 'chat.completion',
      created: 1700000000,
      model: 'switchyard-coder',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 5,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 2 },
      },
      system_fingerprint: 'fp_1',
    });
  });

  it('encodes tool calls with null content, reasoning and several choices', () => {
    const encoded = encodeChatResponse(
      response({
        id: '',
        choices: [
          {
            index: 0,
            text: '',
            reasoning: 'I should read it.',
            toolCalls: [{ id: 'call_1', name: 'read', arguments: '{"p":"a"}' }],
            finishReason: 'tool_calls',
          },
          { index: 1, text: '', toolCalls: [], finishReason: 'pause' },
          { index: 2, text: 'cut', toolCalls: [], finishReason: 'length' },
          { index: 3, text: 'no', toolCalls: [], finishReason: 'content_filter' },
        ],
      }),
      context,
    );
    expect(encoded.id).toBe('chatcmpl-req1');
    expect(encoded.usage).toBeUndefined();
    expect(encoded.system_fingerprint).toBeUndefined();
    expect(encoded.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          reasoning_content: 'I should read it.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'read', arguments: '{"p":"a"}' } },
          ],
          refusal: null,
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
      {
        index: 1,
        message: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
      {
        index: 2,
        message: { role: 'assistant', content: 'cut', refusal: null },
        logprobs: null,
        finish_reason: 'length',
      },
      {
        index: 3,
        message: { role: 'assistant', content: 'no', refusal: null },
        logprobs: null,
        finish_reason: 'content_filter',
      },
    ]);
  });

  it('reports cache writes and fills created when the upstream gave none', () => {
    const encoded = encodeChatResponse(
      response({ created: 0, usage: { inputTokens: 100, outputTokens: 1, cacheWriteTokens: 60 } }),
      context,
    );
    expect(encoded.created).toBeGreaterThan(1700000000);
    expect(encoded.usage?.prompt_tokens_details).toEqual({
      cached_tokens: 0,
      cache_write_tokens: 60,
    });
    expect(encoded.usage?.completion_tokens_details).toEqual({ reasoning_tokens: 0 });
  });
});

describe('encodeCompletionResponse', () => {
  it('encodes a text_completion object', () => {
    expect(
      encodeCompletionResponse(
        response({
          id: '',
          choices: [
            { index: 0, text: ' world', toolCalls: [], finishReason: 'length' },
            { index: 1, text: '!', toolCalls: [], finishReason: 'tool_calls' },
          ],
          usage: { inputTokens: 2, outputTokens: 3 },
        }),
        context,
      ),
    ).toEqual({
      id: 'cmpl-req1',
      object: 'text_completion',
      created: 1700000000,
      model: 'switchyard-coder',
      choices: [
        { text: ' world', index: 0, logprobs: null, finish_reason: 'length' },
        { text: '!', index: 1, logprobs: null, finish_reason: 'stop' },
      ],
      usage: {
        prompt_tokens: 2,
        completion_tokens: 3,
        total_tokens: 5,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
  });
});
