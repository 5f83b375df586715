import { describe, expect, it } from 'vitest';
import type { CallContext, ProviderAdapter } from '../core/provider.js';
import type { CompletionRequest } from '../core/request.js';
import { batchCompletions, withCompletionBatching } from './batch-completions.js';
import { resolveQuirks } from './presets.js';
import { CompletionBatcher } from './completion-batcher.js';

function adapter(id: string, withCompletions = true): ProviderAdapter & { prompts: string[][] } {
  const prompts: string[][] = [];
  const base: ProviderAdapter & { prompts: string[][] } = {
    id,
    wire: 'openai-compatible',
    prompts,
    chat: async () => ({ id: 'c', model: 'm', created: 1, choices: [] }),
    streamChat: () => Promise.reject(new Error('unused')),
    embed: async () => ({ model: 'e', data: [], usage: { inputTokens: 1 } }) as never,
    close: async () => {},
  };
  if (withCompletions)
    base.complete = async (request) => {
      prompts.push(request.prompt);
      return {
        id: 'x',
        model: 'm',
        created: 1,
        choices: request.prompt.map((prompt, index) => ({
          index,
          text: `re ${prompt}`,
          toolCalls: [],
          finishReason: 'stop' as const,
        })),
      };
    };
  return base;
}

const completion = (prompt: string): CompletionRequest => ({
  kind: 'completion',
  model: 'coder',
  stream: false,
  prompt: [prompt],
});
const context: CallContext = {
  upstreamModel: 'up',
  signal: new AbortController().signal,
  requestId: 'r',
};

describe('batchCompletions (provider middleware)', () => {
  it('sends concurrent completions to a batched deployment upstream as one call', async () => {
    const base = adapter('p');
    const batcher = new CompletionBatcher(new Map([['p/up', { windowMs: 5, maxPrompts: 8 }]]));
    const batched = batchCompletions(base, batcher);
    const answers = await Promise.all(
      ['a', 'b'].map((prompt) => batched.complete!(completion(prompt), context)),
    );
    expect(base.prompts).toEqual([['a', 'b']]);
    expect(answers.map((answer) => answer.choices[0]!.text)).toEqual(['re a', 're b']);
  });

  it('leaves every other method to the adapter, and an adapter without completions as it is', async () => {
    const base = adapter('p');
    const batcher = new CompletionBatcher(new Map());
    const batched = batchCompletions(base, batcher);
    expect(batched.id).toBe('p');
    expect(batched.wire).toBe('openai-compatible');
    expect(batched.quirks).toBeUndefined();
    const quirks = resolveQuirks({ topK: true });
    expect(batchCompletions({ ...base, quirks }, batcher).quirks).toBe(quirks);
    expect((await batched.chat({} as never, context)).id).toBe('c');
    expect(typeof batched.embed).toBe('function');
    expect(batched.streamComplete).toBeUndefined();
    const without = adapter('q', false);
    expect(batchCompletions(without, batcher)).toBe(without);
  });

  it('applies to every adapter of a generation only when batching is configured', () => {
    const adapters = new Map([['p', adapter('p')]]);
    expect(withCompletionBatching(adapters, undefined)).toBe(adapters);
    const batched = withCompletionBatching(adapters, new CompletionBatcher(new Map()));
    expect(batched.get('p')).not.toBe(adapters.get('p'));
  });
});
