import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLEET } from './default-fleet.js';
import { SimTestClient, type OpenAiErrorBody } from '../../test/helpers/sim-test-client.js';
import { startSimulator } from './start-simulator.js';
import type { RunningSimulator, SimFleet } from './sim-types.js';

/** DeepSeek's usage adds these to the OpenAI fields. */
interface DeepSeekUsage extends OpenAI.CompletionUsage {
  prompt_cache_hit_tokens: number;
  prompt_cache_miss_tokens: number;
}
type ReasoningMessage = OpenAI.ChatCompletionMessage & { reasoning_content?: string };
type ReasoningDelta = OpenAI.ChatCompletionChunk.Choice.Delta & {
  reasoning_content?: string | null;
};

const thinker = {
  name: 'o-sim',
  ttftMs: 0,
  tokensPerSecond: 100,
  contextWindow: 200_000,
  maxOutputTokens: 100_000,
  reasoning: true,
};
const FLEET: SimFleet = {
  providers: [
    ...DEFAULT_FLEET.providers,
    { id: 'sim-openai-reasoning', wire: 'openai-compatible', flavor: 'openai', models: [thinker] },
  ],
};

let sim: RunningSimulator;
let client: SimTestClient;
beforeAll(async () => {
  sim = await startSimulator({ fleet: FLEET, timeScale: 0 });
  client = new SimTestClient(sim);
});
afterAll(() => sim.close());

const SYSTEM =
  'You are a careful senior engineer. Answer with short code examples and explain trade-offs.';
const withSystem = (model: string, content: string): Record<string, unknown> => ({
  model,
  messages: [
    { role: 'system', content: SYSTEM },
    { role: 'user', content },
  ],
});

describe('provider flavors', () => {
  it('deepseek: prompt_cache_hit/miss tokens (hit = the system prompt once seen before)', async () => {
    const first = await client.chat<OpenAI.ChatCompletion>(
      'sim-deepseek',
      withSystem('deepseek-chat', 'first question'),
    );
    const second = await client.chat<OpenAI.ChatCompletion>(
      'sim-deepseek',
      withSystem('deepseek-chat', 'second question'),
    );
    const firstUsage = first.body.usage as DeepSeekUsage;
    const secondUsage = second.body.usage as DeepSeekUsage;
    const systemTokens = Math.ceil(SYSTEM.length / 4);
    expect(firstUsage.prompt_cache_hit_tokens).toBe(0);
    expect(firstUsage.prompt_cache_miss_tokens).toBe(firstUsage.prompt_tokens);
    expect(secondUsage.prompt_cache_hit_tokens).toBe(systemTokens);
    expect(secondUsage.prompt_cache_hit_tokens + secondUsage.prompt_cache_miss_tokens).toBe(
      secondUsage.prompt_tokens,
    );
    expect(secondUsage.prompt_tokens_details?.cached_tokens).toBe(systemTokens);
  });

  it('deepseek reasoner: reasoning_content before content, in JSON and stream deltas', async () => {
    const request = withSystem('deepseek-reasoner', 'why? [[sim:tokens=20]]');
    const { body } = await client.chat<OpenAI.ChatCompletion>('sim-deepseek', request);
    const message = body.choices[0]?.message as ReasoningMessage;
    expect(message.reasoning_content?.length).toBeGreaterThan(0);
    expect(message.content).toMatch(/^\[simulated deepseek-reasoner/);
    const reasoningTokens = body.usage?.completion_tokens_details?.reasoning_tokens ?? 0;
    expect(reasoningTokens).toBeGreaterThanOrEqual(10);
    expect(body.usage?.completion_tokens).toBe(20 + reasoningTokens);
    const { events } = await client.stream('sim-deepseek', '/chat/completions', {
      ...request,
      stream: true,
    });
    const deltas = events
      .slice(0, -1)
      .map(
        (event) => (event.data as OpenAI.ChatCompletionChunk).choices[0]?.delta as ReasoningDelta,
      );
    const firstContent = deltas.findIndex(
      (delta) => typeof delta.content === 'string' && delta.content !== '',
    );
    const lastReasoning = deltas.findLastIndex(
      (delta) => typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '',
    );
    expect(lastReasoning).toBeLessThan(firstContent);
    expect(deltas.map((delta) => delta.reasoning_content ?? '').join('')).toBe(
      message.reasoning_content,
    );
  });

  it('openai: prompt_tokens_details.cached_tokens and completion_tokens_details.reasoning_tokens', async () => {
    const first = await client.chat<OpenAI.ChatCompletion>(
      'sim-openai',
      withSystem('gpt-4.1', 'q1'),
    );
    const second = await client.chat<OpenAI.ChatCompletion>(
      'sim-openai',
      withSystem('gpt-4.1', 'q2'),
    );
    expect(first.body.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(second.body.usage?.prompt_tokens_details?.cached_tokens).toBe(
      Math.ceil(SYSTEM.length / 4),
    );
    expect(second.body.usage?.completion_tokens_details?.reasoning_tokens).toBe(0);
    const reasoning = await client.chat<OpenAI.ChatCompletion>('sim-openai-reasoning', {
      ...withSystem('o-sim', 'q'),
      max_completion_tokens: 5_000,
    });
    expect(reasoning.body.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
    expect(
      (reasoning.body.choices[0]!.message as ReasoningMessage).reasoning_content,
    ).toBeUndefined();
    const legacyParam = await client.chat<OpenAiErrorBody>('sim-openai-reasoning', {
      ...withSystem('o-sim', 'q'),
      max_tokens: 50,
    });
    expect([legacyParam.status, legacyParam.body.error.code]).toEqual([
      400,
      'unsupported_parameter',
    ]);
  });

  it('generic: only prompt/completion/total tokens', async () => {
    const { body } = await client.chat<OpenAI.ChatCompletion>(
      'sim-mistral',
      withSystem('codestral-latest', 'q'),
    );
    expect(Object.keys(body.usage ?? {}).sort()).toEqual([
      'completion_tokens',
      'prompt_tokens',
      'total_tokens',
    ]);
  });

  it('anthropic: cache_creation_input_tokens then cache_read_input_tokens; input_tokens excludes them', async () => {
    const request = (content: string): Record<string, unknown> => ({
      model: 'claude-3-5-haiku-20241022',
      max_tokens: 100,
      system: SYSTEM,
      messages: [{ role: 'user', content }],
    });
    const first = await client.messages<Anthropic.Message>(request('first'));
    const second = await client.messages<Anthropic.Message>(request('second'));
    const systemTokens = Math.ceil(SYSTEM.length / 4);
    expect(first.body.usage.cache_creation_input_tokens).toBe(systemTokens);
    expect(first.body.usage.cache_read_input_tokens).toBe(0);
    expect(second.body.usage.cache_creation_input_tokens).toBe(0);
    expect(second.body.usage.cache_read_input_tokens).toBe(systemTokens);
    expect(second.body.usage.input_tokens).toBe(
      Math.ceil(`${SYSTEM}\nsecond`.length / 4) - systemTokens,
    );
  });
});
