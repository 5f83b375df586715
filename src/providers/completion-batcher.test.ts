import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.js';
import type { CallContext, ProviderAdapter } from '../core/provider.js';
import type { CompletionRequest } from '../core/request.js';
import type { ModelResponse } from '../core/response.js';
import { CompletionBatcher, shareOut, splitResponse } from './completion-batcher.js';

function fakeAdapter(fail?: GatewayError): ProviderAdapter & { calls: CompletionRequest[] } {
  const calls: CompletionRequest[] = [];
  return {
    id: 'p',
    wire: 'openai-compatible',
    calls,
    chat: () => Promise.reject(new Error('unused')),
    streamChat: () => Promise.reject(new Error('unused')),
    close: () => Promise.resolve(),
    complete: async (request) => {
      calls.push(request);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail) throw fail;
      return {
        id: 'cmpl-1',
        model: 'up',
        created: 1,
        choices: request.prompt.map((prompt, index) => ({
          index,
          text: `answer to ${prompt}`,
          toolCalls: [],
          finishReason: 'stop' as const,
        })),
        usage: {
          inputTokens: 30 * request.prompt.length,
          outputTokens: 10 * request.prompt.length,
        },
      };
    },
  };
}

const request = (prompt: string, extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  kind: 'completion',
  model: 'coder',
  stream: false,
  prompt: [prompt],
  maxTokens: 16,
  ...extra,
});
const context = (signal = new AbortController().signal): CallContext => ({
  upstreamModel: 'up',
  signal,
  requestId: 'r',
});

describe('CompletionBatcher', () => {
  it('sends concurrent single-prompt requests as one call and splits the answers back by index', async () => {
    const adapter = fakeAdapter();
    const batcher = new CompletionBatcher(new Map([['p/up', { windowMs: 5, maxPrompts: 8 }]]));
    const answers = await Promise.all(
      ['a', 'bb', 'ccc'].map((prompt) => batcher.call(adapter, request(prompt), context())),
    );
    expect(adapter.calls).toHaveLength(1);
    expect(adapter.calls[0]!.prompt).toEqual(['a', 'bb', 'ccc']);
    expect(answers.map((answer) => answer.choices[0]!.text)).toEqual([
      'answer to a',
      'answer to bb',
      'answer to ccc',
    ]);
    expect(answers.every((answer) => answer.choices[0]!.index === 0)).toBe(true);
    expect(answers.reduce((sum, answer) => sum + answer.usage!.inputTokens, 0)).toBe(90);
    expect(answers.reduce((sum, answer) => sum + answer.usage!.outputTokens, 0)).toBe(30);
    expect(batcher.stats).toEqual({ calls: 1, prompts: 3 });
  });

  it('goes at once when the batch is full, and batches only requests with equal parameters', async () => {
    const adapter = fakeAdapter();
    const batcher = new CompletionBatcher(new Map([['p/up', { windowMs: 1000, maxPrompts: 2 }]]));
    const started = performance.now();
    await Promise.all([
      batcher.call(adapter, request('a'), context()),
      batcher.call(adapter, request('b'), context()),
    ]);
    expect(performance.now() - started).toBeLessThan(500);
    const other = new CompletionBatcher(new Map([['p/up', { windowMs: 5, maxPrompts: 8 }]]));
    await Promise.all([
      other.call(adapter, request('a'), context()),
      other.call(adapter, request('b', { temperature: 0.5 }), context()),
    ]);
    expect(other.stats.calls).toBe(2);
  });

  it('calls through for deployments without a window and for streams, arrays, n > 1 and echo', async () => {
    const adapter = fakeAdapter();
    const batcher = new CompletionBatcher(new Map([['p/up', { windowMs: 5, maxPrompts: 8 }]]));
    await Promise.all([
      batcher.call(adapter, request('a'), { ...context(), upstreamModel: 'other' }),
      batcher.call(adapter, { ...request('a'), prompt: ['a', 'b'] }, context()),
      batcher.call(adapter, request('a', { n: 2 }), context()),
      batcher.call(adapter, request('a', { echo: true }), context()),
    ]);
    expect(adapter.calls.map((call) => call.prompt.length)).toEqual([1, 2, 1, 1]);
  });

  it('fails every member when the batched call fails', async () => {
    const batcher = new CompletionBatcher(new Map([['p/up', { windowMs: 5, maxPrompts: 8 }]]));
    const adapter = fakeAdapter(new GatewayError('upstream_unavailable', 'down'));
    const results = await Promise.allSettled(
      ['a', 'b'].map((prompt) => batcher.call(adapter, request(prompt), context())),
    );
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('answers a member whose client left with client_closed, and still answers the others', async () => {
    const adapter = fakeAdapter();
    const batcher = new CompletionBatcher(new Map([['p/up', { windowMs: 5, maxPrompts: 8 }]]));
    const leaving = new AbortController();
    const gone = batcher.call(adapter, request('a'), context(leaving.signal));
    const kept = batcher.call(adapter, request('b'), context());
    const third = batcher.call(adapter, request('c'), context());
    setTimeout(() => leaving.abort(new GatewayError('client_closed', 'bye')), 7);
    await expect(gone).rejects.toMatchObject({ code: 'client_closed' });
    expect((await kept).choices[0]!.text).toBe('answer to b');
    expect((await third).choices[0]!.text).toBe('answer to c');
  });
});

describe('splitResponse and shareOut', () => {
  it('shares whole tokens that add up to the total', () => {
    expect(shareOut(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(shareOut(7, [0, 0])).toEqual([4, 3]);
  });
  it('refuses a batch answer with a missing choice', () => {
    const response: ModelResponse = {
      id: '',
      model: 'm',
      created: 0,
      choices: [{ index: 0, text: 'x', toolCalls: [], finishReason: 'stop' }],
    };
    expect(() => splitResponse(response, [request('a'), request('b')])).toThrow(
      /2 prompts with 1 choices/,
    );
  });
});
