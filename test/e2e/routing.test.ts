import Database from 'better-sqlite3';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/** `auto` and its tiers through the gateway with the official client, the route header, and /v1/route/explain. */
describe('routing through the gateway', () => {
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startTestGateway();
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(() => gateway.close());

  it.each([
    ['auto', 'Suggest a better name for this variable: x = 1', 'qwen2.5-coder-7b-instruct'],
    // Within 15 points of the best posterior, the cheapest: one of the small models.
    ['auto:cheap', 'Suggest a better name for this variable: x = 1', undefined],
    // With time_scale 0 every simulated deployment answers in a few ms: which is fastest is noise.
    ['auto:fast', 'Write a docstring for add(a, b)', undefined],
    // The best posterior, but an easy prompt never goes to the reasoning model.
    ['auto:best', 'Write a docstring for add(a, b)', undefined],
  ])('routes %s and says how in x-switchyard-route', async (model, prompt, wanted) => {
    const { data, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: prompt }] })
      .withResponse();
    const expected = wanted ?? response.headers.get('x-switchyard-model')!;
    expect(expected).not.toBe('deepseek-reasoner');
    expect(response.headers.get('x-switchyard-model')).toBe(expected);
    expect(data.model).toBe(expected);
    const route = response.headers.get('x-switchyard-route')!;
    expect(route).toMatch(
      new RegExp(`^${model} cost-optimal -> sim-[a-z]+/${expected.replace(/\./g, '\\.')} \\[`),
    );
    expect(route).toMatch(/^[\x20-\x7e]+$/);
    expect(gateway.records.at(-1)!.route).toBe(route);
  });

  it('sends hard work to a stronger model than the cheapest', async () => {
    const { response } = await client.chat.completions
      .create({
        model: 'auto',
        messages: [
          {
            role: 'user',
            content:
              'Fix the race condition in this concurrent Go service:\npackage main\nimport "github.com/redis/go-redis/v9"\nfunc main() { go func() {}() }',
          },
        ],
      })
      .withResponse();
    expect(response.headers.get('x-switchyard-model')).not.toBe('qwen2.5-coder-7b-instruct');
    expect(response.headers.get('x-switchyard-route')).toContain('system-level');
  });

  it('lists the routed names in GET /v1/models', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model);
    const cheap = ids.find((model) => model.id === 'auto:cheap') as unknown as Record<
      string,
      unknown
    >;
    expect(cheap).toMatchObject({ owned_by: 'switchyard', routing_policy: 'cost-optimal' });
    expect(ids.map((model) => model.id)).toEqual(
      expect.arrayContaining(['auto', 'auto:cheap', 'auto:fast', 'auto:best', 'deepseek-chat']),
    );
  });

  it('explains a decision without calling any provider', async () => {
    const response = await fetch(`${gateway.url}/v1/route/explain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchyard-latency-budget-ms': '5000' },
      body: JSON.stringify({
        model: 'auto',
        messages: [
          {
            role: 'user',
            content: 'Write unit tests for this Python function:\ndef add(a, b):\n    return a + b',
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const explanation = (await response.json()) as {
      policy: string;
      latency_budget_ms: number;
      features: Record<string, unknown>;
      attempts: string[];
      candidates: Array<Record<string, unknown>>;
    };
    expect(explanation).toMatchObject({ policy: 'cost-optimal', latency_budget_ms: 5000 });
    expect(explanation.features).toMatchObject({ task: 'test-stub', languages: ['python'] });
    expect(explanation.candidates[0]).toMatchObject({
      rank: 0,
      deployment: explanation.attempts[0],
      reason: expect.stringContaining('won:'),
    });
    expect(
      explanation.candidates.every(
        (candidate) =>
          typeof candidate.reason === 'string' &&
          'predicted_cost_usd' in candidate &&
          'predicted_latency_ms' in candidate &&
          'score' in candidate,
      ),
    ).toBe(true);
    expect(gateway.records.at(-1)!.path).toBe('/v1/route/explain');
    expect(gateway.records.at(-1)!.attempts).toBeUndefined();
  });

  it('feeds every attempt to the latency stats the router predicts from, and records the route in the ledger', async () => {
    const explain = async (): Promise<number> => {
      const response = await fetch(`${gateway.url}/v1/route/explain`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'codestral-latest',
          messages: [{ role: 'user', content: 'x' }],
        }),
      });
      return ((await response.json()) as { candidates: Array<{ latency_samples: number }> })
        .candidates[0]!.latency_samples;
    };
    const before = await explain();
    const stream = await client.chat.completions.create({
      model: 'codestral-latest',
      stream: true,
      messages: [{ role: 'user', content: 'hi [[sim:tokens=5]]' }],
    });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).not.toBe('');
    await client.chat.completions.create({
      model: 'codestral-latest',
      messages: [{ role: 'user', content: 'hi' }],
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await explain()).toBe(before + 2);
    const record = gateway.records.filter((entry) => entry.path === '/v1/chat/completions').at(-1)!;
    await gateway.ledger!.flush();
    const database = new Database(join(gateway.config.dataDir, 'switchyard.db'), {
      readonly: true,
    });
    try {
      const row = database
        .prepare('SELECT route_reason FROM ledger_requests WHERE request_id = ?')
        .get(record.requestId) as { route_reason: string };
      expect(row.route_reason).toBe('sim-mistral/codestral-latest');
    } finally {
      database.close();
    }
  });

  it('rejects a bad explain body the way the chat endpoint would', async () => {
    const response = await fetch(`${gateway.url}/v1/route/explain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'auto', messages: [] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('messages');
  });
});
