import Anthropic from '@anthropic-ai/sdk';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Usage } from '../../src/core/response.js';
import { buildModelRegistry } from '../../src/registry/model-registry.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { costOfUsage } from '../../src/usage/cost/cost-of-usage.js';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * An OpenRouter-like upstream over real HTTP: the `openrouter` preset (quirk `cache_control`)
 * in front of a simulated OpenAI-compatible provider that caches by `cache_control` marks on
 * content parts and reports usage in OpenRouter's shape (`usage.prompt_tokens_details.cached_tokens`
 * and `cache_write_tokens`, openrouter.ai/docs/use-cases/usage-accounting). The marks must arrive
 * on the wire, the cache counts come back to the client and the ledger prices them.
 */
const MODEL = 'claude-sonnet-4-20250514';
const UPSTREAM_MODEL = 'anthropic/claude-sonnet-4';
let simulator: RunningSimulator;
let gateway: TestGateway;
beforeAll(async () => {
  simulator = await startSimulator({
    timeScale: 0,
    fleet: {
      providers: [
        {
          id: 'or',
          wire: 'openai-compatible',
          flavor: 'openrouter',
          models: [
            {
              name: UPSTREAM_MODEL,
              ttftMs: 0,
              tokensPerSecond: 0,
              contextWindow: 200_000,
              maxOutputTokens: 64_000,
            },
          ],
        },
      ],
    },
  });
  gateway = await startTestGateway({
    cache: { enabled: false },
    providers: {
      openrouter: { preset: 'openrouter', base_url: simulator.baseUrlFor('or'), api_key: 'sk-or' },
    },
    models: { [MODEL]: { deployments: [{ provider: 'openrouter', model: UPSTREAM_MODEL }] } },
    // OpenRouter bills Anthropic models at Anthropic's list price.
    catalog: {
      models: {
        [MODEL]: {
          deployments: {
            openrouter: { upstream_model: UPSTREAM_MODEL, price_as: { provider: 'anthropic' } },
          },
        },
      },
    },
    routing: {},
  });
});
afterAll(async () => {
  await gateway?.close();
  await simulator?.close();
});

const price = buildModelRegistry().deployment(MODEL, 'anthropic')!.price;
const mark = { type: 'ephemeral' } as const;
const system = (tag: string): string =>
  `${tag}: you are a coding agent in a large repository. Follow the rules. `.repeat(120);

/** Claude-Code-shaped: the system prompt and the last user block marked. */
function turn(tag: string, history: Anthropic.MessageParam[], question: string) {
  return {
    model: MODEL,
    max_tokens: 100,
    system: [
      { type: 'text' as const, text: 'You are Claude Code.' },
      { type: 'text' as const, text: system(tag), cache_control: mark },
    ],
    messages: [
      ...history,
      {
        role: 'user' as const,
        content: [{ type: 'text' as const, text: question, cache_control: mark }],
      },
    ],
  };
}

async function ledgerCost(requestId: string): Promise<number> {
  await gateway.ledger!.flush();
  const database = new Database(join(gateway.config.dataDir, 'switchyard.db'), { readonly: true });
  try {
    const row = database
      .prepare('SELECT cost_nano_usd FROM ledger_requests WHERE request_id = ?')
      .get(requestId) as { cost_nano_usd: number };
    return row.cost_nano_usd / 1e9;
  } finally {
    database.close();
  }
}

describe('OpenRouter-like upstream (openai-compatible wire, cache_control quirk)', () => {
  it('sends the marks on content parts, and prices the cache write, then the cache read', async () => {
    const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-ant', maxRetries: 0 });
    const first = turn('or-json', [], 'Find the bug in parser.ts');
    const recorded1 = gateway.nextRecord();
    const turn1 = await anthropic.messages.create(first);
    const wire = simulator.recentRequests().at(-1)!;
    expect(wire.path).toBe('/v1/chat/completions');
    const body = wire.body as {
      model: string;
      messages: Array<{ role: string; content: unknown }>;
    };
    expect(body.model).toBe(UPSTREAM_MODEL);
    expect(body.messages[0]).toEqual({
      role: 'system',
      content: [
        { type: 'text', text: 'You are Claude Code.' },
        { type: 'text', text: system('or-json'), cache_control: mark },
      ],
    });
    expect(body.messages[1]).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'Find the bug in parser.ts', cache_control: mark }],
    });
    expect(turn1.usage.cache_creation_input_tokens).toBeGreaterThan(1_500);
    expect(turn1.usage.cache_read_input_tokens).toBe(0);
    const usage1 = (await recorded1).usage as Usage;
    expect(usage1.cacheWriteTokens).toBe(turn1.usage.cache_creation_input_tokens);

    const history: Anthropic.MessageParam[] = [
      { role: 'user', content: [{ type: 'text', text: 'Find the bug in parser.ts' }] },
      { role: 'assistant', content: turn1.content as Anthropic.ContentBlockParam[] },
    ];
    const recorded2 = gateway.nextRecord();
    const { data: turn2, response } = await anthropic.messages
      .create(turn('or-json', history, 'Now fix it'))
      .withResponse();
    expect(turn2.usage.cache_read_input_tokens).toBe(turn1.usage.cache_creation_input_tokens);
    const record = await recorded2;
    const usage2 = record.usage as Usage;
    expect(usage2.cachedInputTokens).toBe(turn2.usage.cache_read_input_tokens);
    const expected = costOfUsage(usage2, price);
    expect(expected.breakdown.cachedInputUsd).toBeCloseTo(
      (usage2.cachedInputTokens! * 0.3) / 1e6,
      12,
    );
    expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeCloseTo(expected.costUsd, 8);
    expect(await ledgerCost(record.requestId)).toBeCloseTo(expected.costUsd, 8);
    expect(expected.costUsd).toBeLessThan(
      costOfUsage({ inputTokens: usage2.inputTokens, outputTokens: usage2.outputTokens }, price)
        .costUsd,
    );
  });

  it("returns OpenRouter's cache counts to an OpenAI client in the same fields, streamed", async () => {
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
    const messages = [
      {
        role: 'system' as const,
        content: [{ type: 'text', text: system('or-stream'), cache_control: mark } as never],
      },
      { role: 'user' as const, content: 'Summarise the rules' },
    ];
    const chunksOf = async () => {
      const stream = await openai.chat.completions.create({
        model: MODEL,
        max_tokens: 50,
        stream: true,
        stream_options: { include_usage: true },
        messages,
      });
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) usage = chunk.usage ?? usage;
      return usage!.prompt_tokens_details as { cached_tokens: number; cache_write_tokens?: number };
    };
    const written = await chunksOf();
    expect(written.cache_write_tokens).toBeGreaterThan(1_500);
    const read = await chunksOf();
    expect(read.cached_tokens).toBe(written.cache_write_tokens);
  });
});
