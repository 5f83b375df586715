import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway({
    routing: {
      policies: {
        agent: {
          type: 'cost-optimal',
          quality_floor: 0,
          quality_margin: 100,
          rank_by: 'cost',
          latency_budget_mode: 'demote',
          candidates: ['claude-3-5-haiku-20241022', 'gpt-4o-mini'],
        },
      },
    },
  });
});
afterAll(() => gateway.close());

const HAIKU = 'claude-3-5-haiku-20241022';
const ephemeral = { type: 'ephemeral' } as const;
const system = [
  {
    type: 'text' as const,
    text: 'You are a coding agent in a large TypeScript repository. '.repeat(1_500),
    cache_control: ephemeral,
  },
];

function client(session: string): Anthropic {
  return new Anthropic({
    baseURL: gateway.url,
    apiKey: 'sk-ant-test',
    maxRetries: 0,
    defaultHeaders: { 'x-switchyard-session': session },
  });
}

async function explain(session: string, question: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${gateway.url}/v1/route/explain`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-switchyard-session': session },
    body: JSON.stringify({
      model: 'agent',
      max_tokens: 200,
      messages: [
        { role: 'system', content: system[0]!.text },
        { role: 'user', content: question },
      ],
    }),
  });
  const body = (await response.json()) as { candidates: Record<string, unknown>[] };
  return body.candidates;
}

describe('cache affinity through the gateway', () => {
  it('keeps a session on the deployment whose cache is warm, and explain shows the discount', async () => {
    // A cold session goes to the cheapest deployment at full input price: gpt-4o-mini.
    const cold = await client('cold-session')
      .messages.create({
        model: 'agent',
        max_tokens: 200,
        system,
        messages: [{ role: 'user', content: 'Start the task' }],
      })
      .withResponse();
    expect(cold.response.headers.get('x-switchyard-model')).toBe('gpt-4o-mini');

    // A session whose first turn was served by Haiku (pinned) has its prompt cached there.
    const warm = client('warm-session');
    const first = await warm.messages.create({
      model: HAIKU,
      max_tokens: 200,
      system,
      messages: [{ role: 'user', content: 'Start the task' }],
    });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(10_000);
    const candidates = await explain('warm-session', 'Next step');
    const haiku = candidates.find((candidate) => candidate['model'] === HAIKU)!;
    expect(haiku['rank']).toBe(0);
    expect(haiku['warm_cache_discount_usd']).toBeGreaterThan(0.005);
    expect(String(haiku['reason'])).toMatch(/warm provider cache/);
    expect(
      candidates.find((candidate) => candidate['model'] === 'gpt-4o-mini')?.[
        'warm_cache_discount_usd'
      ],
    ).toBeUndefined();
    const next = await warm.messages
      .create({
        model: 'agent',
        max_tokens: 200,
        system,
        messages: [
          { role: 'user', content: 'Start the task' },
          { role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] },
          ...(first.content.some((block) => block.type === 'tool_use')
            ? []
            : [{ role: 'user' as const, content: 'Next step' }]),
        ],
      })
      .withResponse();
    expect(next.response.headers.get('x-switchyard-model')).toBe(HAIKU);
    expect(next.data.usage.cache_read_input_tokens).toBeGreaterThan(10_000);
    // Another session with the same prompt but no warm cache of its own is still cold.
    const other = await explain('other-session', 'Next step');
    expect(other.find((candidate) => candidate['rank'] === 0)?.['model']).toBe('gpt-4o-mini');
  });
});
