import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModelRegistry } from '../../src/registry/model-registry.js';
import { costOfUsage } from '../../src/usage/cost/cost-of-usage.js';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway();
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-ant-test', maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
});
afterAll(() => gateway.close());

const MODEL = 'claude-sonnet-4-20250514';
const ephemeral = { type: 'ephemeral' } as const;
/** A unique prefix per test, so the simulator's cache starts cold for each. */
const systemText = (tag: string): string =>
  `${tag}: you are a coding agent in a large repository. Follow the rules. `.repeat(120);
const tools: Anthropic.Tool[] = [
  { name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: {} } },
  {
    name: 'Bash',
    description: 'Run a command',
    input_schema: { type: 'object', properties: {} },
    cache_control: ephemeral,
  },
];

/** Claude-Code-shaped turns: marks on the tools, the system block and the last user block. */
function agentTurn(
  tag: string,
  history: Anthropic.MessageParam[],
  question: string | Anthropic.ContentBlockParam[],
) {
  const blocks: Anthropic.ContentBlockParam[] =
    typeof question === 'string' ? [{ type: 'text', text: question }] : question;
  const last = {
    ...blocks[blocks.length - 1],
    cache_control: ephemeral,
  } as Anthropic.ContentBlockParam;
  return {
    model: MODEL,
    max_tokens: 200,
    system: [
      { type: 'text' as const, text: 'You are Claude Code.' },
      { type: 'text' as const, text: systemText(tag), cache_control: ephemeral },
    ],
    tools,
    messages: [...history, { role: 'user' as const, content: [...blocks.slice(0, -1), last] }],
  };
}

/** The next user turn: a result for each tool call of the answer, else a follow-up question. */
function nextUserBlocks(answer: Anthropic.Message, text: string): Anthropic.ContentBlockParam[] {
  const results: Anthropic.ContentBlockParam[] = answer.content
    .filter((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use')
    .map((block) => ({ type: 'tool_result', tool_use_id: block.id, content: `${text} output` }));
  return results.length > 0 ? results : [{ type: 'text', text }];
}

describe('provider prompt caching through the gateway', () => {
  it('Anthropic client → Anthropic upstream: marks and blocks arrive unchanged; turn 2 reads the cache and is priced so', async () => {
    const first = agentTurn('anthropic-json', [], 'Find the bug in parser.ts');
    const turn1 = await anthropic.messages.create(first);
    const upstream = gateway.simulator!.recentRequests().at(-1)!.body as Record<string, unknown>;
    expect(upstream['system']).toEqual(first.system);
    expect(upstream['tools']).toEqual(first.tools);
    expect(upstream['messages']).toEqual(first.messages);
    expect(turn1.usage.cache_creation_input_tokens).toBeGreaterThan(1_500);
    expect(turn1.usage.cache_read_input_tokens).toBe(0);

    const history: Anthropic.MessageParam[] = [
      { role: 'user', content: [{ type: 'text', text: 'Find the bug in parser.ts' }] },
      { role: 'assistant', content: turn1.content as Anthropic.ContentBlockParam[] },
    ];
    const record = gateway.nextRecord();
    const { data: turn2, response } = await anthropic.messages
      .create(agentTurn('anthropic-json', history, nextUserBlocks(turn1, 'Now fix it')))
      .withResponse();
    expect(turn2.usage.cache_read_input_tokens).toBe(turn1.usage.cache_creation_input_tokens);
    expect(turn2.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    const usage = (await record).usage!;
    expect(usage.cachedInputTokens).toBe(turn2.usage.cache_read_input_tokens);
    expect(usage.cacheWriteTokens).toBe(turn2.usage.cache_creation_input_tokens);
    const price = buildModelRegistry().deployment(MODEL, 'anthropic')!.price;
    const expected = costOfUsage(usage, price);
    expect(expected.breakdown.cachedInputUsd).toBeGreaterThan(0);
    expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeCloseTo(expected.costUsd, 8);
    // The same tokens at the full input price would cost more.
    const uncached = costOfUsage(
      { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens },
      price,
    );
    expect(expected.costUsd).toBeLessThan(uncached.costUsd);
  });

  it('streams cache usage to Anthropic clients (message_delta) and OpenAI clients (include_usage)', async () => {
    await anthropic.messages.create(agentTurn('stream', [], 'Start'));
    const final = await anthropic.messages
      .stream(agentTurn('stream', [], 'Start over'))
      .finalMessage();
    expect(final.usage.cache_read_input_tokens).toBeGreaterThan(1_500);
    const chunks = await openai.chat.completions.create({
      model: MODEL,
      max_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        {
          role: 'system',
          content: [
            {
              type: 'text',
              text: systemText('openai-stream'),
              cache_control: ephemeral,
            } as OpenAI.ChatCompletionContentPartText,
          ],
        },
        { role: 'user', content: 'Start' },
      ],
    });
    let cached = 0;
    for await (const chunk of chunks)
      cached = chunk.usage?.prompt_tokens_details?.cached_tokens ?? cached;
    expect(cached).toBe(0);
    const again = await openai.chat.completions.create({
      model: MODEL,
      max_tokens: 50,
      messages: [
        {
          role: 'system',
          content: [
            {
              type: 'text',
              text: systemText('openai-stream'),
              cache_control: ephemeral,
            } as OpenAI.ChatCompletionContentPartText,
          ],
        },
        { role: 'user', content: 'Again' },
      ],
    });
    expect(again.usage?.prompt_tokens_details?.cached_tokens).toBeGreaterThan(1_500);
    const upstream = gateway.simulator!.recentRequests().at(-1)!.body as Record<string, unknown>;
    expect(upstream['system']).toEqual([
      { type: 'text', text: systemText('openai-stream'), cache_control: ephemeral },
    ]);
  });

  it('drops the marks toward DeepSeek, which caches by itself, and reports its cache hits', async () => {
    const body = (question: string): OpenAI.ChatCompletionCreateParamsNonStreaming => ({
      model: 'deepseek-chat',
      max_tokens: 20,
      messages: [
        {
          role: 'system',
          content: [
            {
              type: 'text',
              text: systemText('deepseek'),
              cache_control: ephemeral,
            } as OpenAI.ChatCompletionContentPartText,
          ],
        },
        { role: 'user', content: question },
      ],
    });
    const first = await openai.chat.completions.create(body('one'));
    const upstream = gateway.simulator!.recentRequests().at(-1)!.body as Record<string, unknown>;
    expect(JSON.stringify(upstream)).not.toContain('cache_control');
    expect((upstream['messages'] as Array<{ content: unknown }>)[0]?.content).toBe(
      systemText('deepseek'),
    );
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    const second = await openai.chat.completions.create(body('two'));
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBeGreaterThan(1_500);
    const viaAnthropic = await anthropic.messages.create({
      model: 'deepseek-chat',
      max_tokens: 20,
      system: [{ type: 'text', text: systemText('deepseek'), cache_control: ephemeral }],
      messages: [{ role: 'user', content: 'three' }],
    });
    expect(viaAnthropic.usage.cache_read_input_tokens).toBeGreaterThan(1_500);
  });

  it('refuses a malformed cache_control by name', async () => {
    await expect(
      anthropic.messages.create({
        model: MODEL,
        max_tokens: 10,
        system: [{ type: 'text', text: 'x', cache_control: { type: 'persistent' } as never }],
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('system[0].cache_control.type'),
    });
  });
});
