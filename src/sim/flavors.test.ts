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

/** About 2,000 tokens: above OpenAI's 1,024-token caching minimum and Anthropic's. */
const LONG_SYSTEM = `${SYSTEM} `.repeat(90);
const LONG_SYSTEM_TOKENS = Math.ceil(LONG_SYSTEM.length / 4);
const withLongSystem = (model: string, content: string): Record<string, unknown> => ({
  model,
  messages: [
    { role: 'system', content: LONG_SYSTEM },
    { role: 'user', content },
  ],
});

describe('provider flavors', () => {
  it('deepseek: automatic prefix caching as prompt_cache_hit/miss tokens in 64-token units', async () => {
    const first = await client.chat<OpenAI.ChatCompletion>(
      'sim-deepseek',
      withLongSystem('deepseek-chat', 'first question'),
    );
    const second = await client.chat<OpenAI.ChatCompletion>(
      'sim-deepseek',
      withLongSystem('deepseek-chat', 'second question'),
    );
    const firstUsage = first.body.usage as DeepSeekUsage;
    const secondUsage = second.body.usage as DeepSeekUsage;
    expect(firstUsage.prompt_cache_hit_tokens).toBe(0);
    expect(firstUsage.prompt_cache_miss_tokens).toBe(firstUsage.prompt_tokens);
    // The hit is the shared prefix (the system message), rounded down to 64 tokens.
    expect(secondUsage.prompt_cache_hit_tokens % 64).toBe(0);
    expect(secondUsage.prompt_cache_hit_tokens).toBeGreaterThan(LONG_SYSTEM_TOKENS - 100);
    expect(secondUsage.prompt_cache_hit_tokens).toBeLessThanOrEqual(LONG_SYSTEM_TOKENS);
    expect(secondUsage.prompt_cache_hit_tokens + secondUsage.prompt_cache_miss_tokens).toBe(
      secondUsage.prompt_tokens,
    );
    expect(secondUsage.prompt_tokens_details?.cached_tokens).toBe(
      secondUsage.prompt_cache_hit_tokens,
    );
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
    const short = await client.chat<OpenAI.ChatCompletion>(
      'sim-openai',
      withSystem('gpt-4.1', 'q0'),
    );
    const again = await client.chat<OpenAI.ChatCompletion>(
      'sim-openai',
      withSystem('gpt-4.1', 'q1'),
    );
    // Prompts under 1,024 tokens are never cached.
    expect(short.body.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(again.body.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    const first = await client.chat<OpenAI.ChatCompletion>(
      'sim-openai',
      withLongSystem('gpt-4.1', 'q1'),
    );
    const second = await client.chat<OpenAI.ChatCompletion>(
      'sim-openai',
      withLongSystem('gpt-4.1', 'q2'),
    );
    expect(first.body.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    const cached = second.body.usage?.prompt_tokens_details?.cached_tokens ?? 0;
    expect(cached).toBeGreaterThanOrEqual(1024);
    expect((cached - 1024) % 128).toBe(0);
    expect(cached).toBeLessThanOrEqual(LONG_SYSTEM_TOKENS);
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

  it('anthropic: a marked prefix is written, then read; input_tokens excludes both', async () => {
    const request = (content: string, marked: boolean): Record<string, unknown> => ({
      model: 'claude-3-5-haiku-20241022',
      max_tokens: 100,
      system: [
        marked
          ? { type: 'text', text: LONG_SYSTEM, cache_control: { type: 'ephemeral' } }
          : { type: 'text', text: LONG_SYSTEM },
      ],
      messages: [{ role: 'user', content }],
    });
    const unmarked = await client.messages<Anthropic.Message>(request('second', false));
    expect(unmarked.body.usage.cache_creation_input_tokens).toBe(0);
    const first = await client.messages<Anthropic.Message>(request('first', true));
    const second = await client.messages<Anthropic.Message>(request('second', true));
    const written = first.body.usage.cache_creation_input_tokens ?? 0;
    expect(written).toBeGreaterThan(LONG_SYSTEM_TOKENS - 100);
    expect(first.body.usage.cache_read_input_tokens).toBe(0);
    expect(second.body.usage.cache_creation_input_tokens).toBe(0);
    expect(second.body.usage.cache_read_input_tokens).toBe(written);
    const secondPrompt =
      second.body.usage.input_tokens + (second.body.usage.cache_read_input_tokens ?? 0);
    expect(secondPrompt).toBe(unmarked.body.usage.input_tokens);
  });

  it('anthropic: more than four cache_control blocks is a 400', async () => {
    const mark = { cache_control: { type: 'ephemeral' } };
    const { status, body } = await client.messages<{ error: { message: string } }>({
      model: 'claude-3-5-haiku-20241022',
      max_tokens: 10,
      system: [1, 2, 3, 4, 5].map((n) => ({ type: 'text', text: `part ${n}`, ...mark })),
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/maximum of 4 blocks with cache_control/);
  });
});
