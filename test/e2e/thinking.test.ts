import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * Thinking both ways over real HTTP with the official SDKs against the simulator: Anthropic
 * `thinking` / effort reach each upstream's reasoning controls; upstream reasoning reaches
 * Anthropic clients as thinking blocks (signed only from the Anthropic upstream) and OpenAI
 * clients as `reasoning_content`; thinking sent back in history goes to Anthropic upstreams with
 * its signature and to DeepSeek as `reasoning_content`.
 */
let gateway: TestGateway;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway({ cache: { enabled: false } });
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-ant-test', maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
});
afterAll(() => gateway?.close());

const lastUpstream = () => gateway.simulator!.recentRequests().at(-1)!;
const CLAUDE = 'claude-sonnet-4-20250514';

describe('Anthropic client, Anthropic upstream', () => {
  it('passes thinking natively and returns signed thinking blocks (JSON)', async () => {
    const message = await anthropic.messages.create({
      model: CLAUDE,
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: 'Explain the bug' }],
    });
    expect(lastUpstream().body).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
    const thinking = message.content[0] as Anthropic.ThinkingBlock;
    expect(thinking.type).toBe('thinking');
    expect(thinking.thinking.length).toBeGreaterThan(0);
    expect(thinking.signature).not.toBe('');
    expect(message.content.at(-1)?.type).toBe('text');
  });

  it('streams thinking_delta and signature_delta events, and the SDK accumulates the block', async () => {
    const stream = anthropic.messages.stream({
      model: CLAUDE,
      max_tokens: 4000,
      thinking: { type: 'adaptive' } as unknown as Anthropic.ThinkingConfigParam,
      output_config: { effort: 'low' },
      messages: [{ role: 'user', content: 'Explain the bug' }],
    } as Anthropic.MessageStreamParams);
    const deltas: string[] = [];
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_delta') deltas.push(event.delta.type);
    });
    const final = await stream.finalMessage();
    expect(lastUpstream().body).toMatchObject({
      thinking: { type: 'adaptive' },
      output_config: { effort: 'low' },
    });
    expect(deltas).toContain('thinking_delta');
    expect(deltas).toContain('signature_delta');
    const thinking = final.content[0] as Anthropic.ThinkingBlock;
    expect(thinking.type).toBe('thinking');
    expect(thinking.signature).not.toBe('');
  });

  it('sends thinking blocks back in history with their signatures', async () => {
    const first = await anthropic.messages.create({
      model: CLAUDE,
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'Explain the bug' }],
    });
    const thinking = first.content[0] as Anthropic.ThinkingBlock;
    await anthropic.messages.create({
      model: CLAUDE,
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [
        { role: 'user', content: 'Explain the bug' },
        { role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] },
        { role: 'user', content: 'Go on' },
      ],
    });
    const history = (lastUpstream().body as { messages: { content: unknown[] }[] }).messages;
    expect(history[1]!.content[0]).toEqual({
      type: 'thinking',
      thinking: thinking.thinking,
      signature: thinking.signature,
    });
  });
});

describe('reasoning from other upstreams', () => {
  it('reaches an Anthropic client as a thinking block without signature (DeepSeek reasoner)', async () => {
    const message = await anthropic.messages.create({
      model: 'deepseek-reasoner',
      max_tokens: 2000,
      messages: [{ role: 'user', content: 'Explain the bug' }],
    });
    const thinking = message.content[0] as Anthropic.ThinkingBlock;
    expect(thinking).toMatchObject({ type: 'thinking', signature: '' });
    expect(thinking.thinking.length).toBeGreaterThan(0);
    const stream = anthropic.messages.stream({
      model: 'deepseek-reasoner',
      max_tokens: 2000,
      messages: [{ role: 'user', content: 'Explain the bug' }],
    });
    const deltas: string[] = [];
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_delta') deltas.push(event.delta.type);
    });
    const final = await stream.finalMessage();
    expect(deltas).toContain('thinking_delta');
    expect(deltas).not.toContain('signature_delta');
    expect(final.content[0]).toMatchObject({ type: 'thinking', signature: '' });
  });

  it('unsigned thinking sent back goes to DeepSeek as reasoning_content, never to Anthropic', async () => {
    const history: Anthropic.MessageParam[] = [
      { role: 'user', content: 'Explain the bug' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'I should look at the loop.', signature: '' },
          { type: 'text', text: 'It is the loop.' },
        ],
      },
      { role: 'user', content: 'Go on' },
    ];
    await anthropic.messages.create({ model: 'deepseek-chat', max_tokens: 200, messages: history });
    const deepseek = lastUpstream().body as { messages: Record<string, unknown>[] };
    expect(deepseek.messages[1]).toMatchObject({
      role: 'assistant',
      content: 'It is the loop.',
      reasoning_content: 'I should look at the loop.',
    });
    await anthropic.messages.create({ model: CLAUDE, max_tokens: 200, messages: history });
    const claude = lastUpstream().body as { messages: { content: unknown[] }[] };
    expect(claude.messages[1]!.content).toEqual([{ type: 'text', text: 'It is the loop.' }]);
  });

  it('maps Anthropic thinking to reasoning controls on OpenAI-compatible upstreams', async () => {
    await anthropic.messages.create({
      model: 'deepseek-chat',
      max_tokens: 20000,
      thinking: { type: 'enabled', budget_tokens: 16384 },
      messages: [{ role: 'user', content: 'Explain the bug' }],
    });
    // DeepSeek-style upstream: its thinking switch and the effort from the budget.
    expect(lastUpstream().body).toMatchObject({
      thinking: { type: 'enabled' },
      reasoning_effort: 'medium',
    });
    await anthropic.messages.create({
      model: 'qwen3-coder-plus',
      max_tokens: 2000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      output_config: { effort: 'high' },
      messages: [{ role: 'user', content: 'Explain the bug' }],
    } as Anthropic.MessageCreateParamsNonStreaming);
    const qwen = lastUpstream().body as Record<string, unknown>;
    expect(qwen['reasoning_effort']).toBe('high');
    expect(qwen['thinking']).toBeUndefined();
  });

  it('reaches an OpenAI client as reasoning_content, from DeepSeek and from Claude', async () => {
    const fromDeepSeek = await openai.chat.completions.create({
      model: 'deepseek-reasoner',
      messages: [{ role: 'user', content: 'Explain the bug' }],
    });
    const message = fromDeepSeek.choices[0]!.message as { reasoning_content?: string };
    expect(message.reasoning_content?.length).toBeGreaterThan(0);
    const fromClaude = await openai.chat.completions.create({
      model: CLAUDE,
      max_tokens: 4000,
      messages: [{ role: 'user', content: 'Explain the bug' }],
      // DeepSeek-style chat switch with Anthropic's budget.
      thinking: { type: 'enabled', budget_tokens: 1024 },
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(lastUpstream().body).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    const claude = fromClaude.choices[0]!.message as { reasoning_content?: string };
    expect(claude.reasoning_content?.length).toBeGreaterThan(0);
  });
});
