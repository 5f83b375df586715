import Anthropic from '@anthropic-ai/sdk';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Usage } from '../../src/core/response.js';
import { buildModelRegistry } from '../../src/registry/model-registry.js';
import { costOfUsage } from '../../src/usage/cost/cost-of-usage.js';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * 1-hour cache writes (`cache_control: {type: "ephemeral", ttl: "1h"}`): the simulated Anthropic
 * reports them apart (`usage.cache_creation`), the gateway carries the split through and prices
 * them at the 1-hour write price (2x input; 5-minute writes 1.25x).
 */
let gateway: TestGateway;
let anthropic: Anthropic;
beforeAll(async () => {
  gateway = await startTestGateway({ cache: { enabled: false } });
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-ant-test', maxRetries: 0 });
});
afterAll(() => gateway.close());

const MODEL = 'claude-sonnet-4-20250514';
const price = buildModelRegistry().deployment(MODEL, 'anthropic')!.price;

/** A long system prompt cached for an hour, then a user turn cached for five minutes. */
function request(tag: string, question: string) {
  return {
    model: MODEL,
    max_tokens: 100,
    system: [
      {
        type: 'text' as const,
        text: `${tag}: you are a coding agent. Follow the repository rules. `.repeat(150),
        cache_control: { type: 'ephemeral' as const, ttl: '1h' as const },
      },
    ],
    messages: [
      {
        role: 'user' as const,
        content: [
          {
            type: 'text' as const,
            text: `${question} ${'context '.repeat(600)}`,
            cache_control: { type: 'ephemeral' as const },
          },
        ],
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

describe('1-hour prompt-cache writes', () => {
  it('come back split by TTL to an Anthropic client and are priced at the 1-hour price in the ledger', async () => {
    const body = request('ttl-json', 'Find the bug');
    const recorded = gateway.nextRecord();
    const { data, response } = await anthropic.messages.create(body).withResponse();
    const upstream = gateway.simulator!.recentRequests().at(-1)!.body as { system: unknown };
    expect(upstream.system).toEqual(body.system);
    const split = data.usage.cache_creation!;
    expect(split.ephemeral_1h_input_tokens).toBeGreaterThan(1_000);
    expect(split.ephemeral_5m_input_tokens).toBeGreaterThan(0);
    expect(split.ephemeral_1h_input_tokens + split.ephemeral_5m_input_tokens).toBe(
      data.usage.cache_creation_input_tokens,
    );
    const record = await recorded;
    const usage = record.usage as Usage;
    expect(usage.cacheWriteTokens).toBe(data.usage.cache_creation_input_tokens);
    expect(usage.cacheWrite1hTokens).toBe(split.ephemeral_1h_input_tokens);
    const expected = costOfUsage(usage, price);
    expect(expected.breakdown.cacheWriteUsd).toBeCloseTo(
      (split.ephemeral_5m_input_tokens * 3.75 + split.ephemeral_1h_input_tokens * 6) / 1e6,
      12,
    );
    expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeCloseTo(expected.costUsd, 8);
    expect(await ledgerCost(record.requestId)).toBeCloseTo(expected.costUsd, 8);
    // Every write at the 5-minute price would have cost less.
    const { cacheWrite1hTokens: _oneHour, ...asFiveMinute } = usage;
    expect(costOfUsage(asFiveMinute, price).costUsd).toBeLessThan(expected.costUsd);
  });

  it("streams the split in message_delta's usage to Anthropic clients and gives OpenAI clients the total", async () => {
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ ...request('ttl-stream', 'Explain the module'), stream: true }),
    });
    const delta = (await response.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as { type: string; usage?: Anthropic.Usage })
      .find((event) => event.type === 'message_delta')!;
    const usage = delta.usage!;
    expect(usage.cache_creation?.ephemeral_1h_input_tokens).toBeGreaterThan(1_000);
    expect(
      usage.cache_creation!.ephemeral_1h_input_tokens +
        usage.cache_creation!.ephemeral_5m_input_tokens,
    ).toBe(usage.cache_creation_input_tokens);

    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
    const chat = await openai.chat.completions.create({
      model: MODEL,
      max_tokens: 50,
      messages: [
        {
          role: 'system',
          content: [
            {
              type: 'text',
              text: 'ttl-chat: you are a coding agent. Follow the repository rules. '.repeat(150),
              cache_control: { type: 'ephemeral', ttl: '1h' },
            } as never,
          ],
        },
        { role: 'user', content: 'Summarise the rules' },
      ],
    });
    const details = chat.usage!.prompt_tokens_details as { cache_write_tokens?: number };
    expect(details.cache_write_tokens).toBeGreaterThan(1_000);
  });
});
