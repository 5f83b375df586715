import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
let gateway: TestGateway;

/** `cheap` (sim-qwen, $1/M) fails with 500 on every call; `pricey` (sim-deepseek) costs 1000× as much. */
beforeAll(async () => {
  gateway = await startTestGateway(
    {
      auth: { require_keys: true },
      admin: { token_env: 'TEST_ADMIN_TOKEN' },
      models: {
        cheap: { deployments: [{ provider: 'sim-qwen', model: 'qwen2.5-coder-7b-instruct' }] },
        pricey: { deployments: [{ provider: 'sim-deepseek', model: 'deepseek-chat' }] },
      },
      catalog: {
        models: {
          cheap: {
            tier: 1,
            vendor: 'test',
            deployments: {
              'sim-qwen': {
                upstream_model: 'qwen2.5-coder-7b-instruct',
                price: { input: 1, output: 1 },
                max_output_tokens: 100,
              },
            },
          },
          pricey: {
            tier: 4,
            vendor: 'test',
            deployments: {
              'sim-deepseek': {
                upstream_model: 'deepseek-chat',
                price: { input: 1000, output: 1000 },
                max_output_tokens: 100,
              },
            },
          },
        },
      },
      routing: {
        default_model: 'cheap',
        policies: {
          auto: {
            type: 'tiers',
            tiers: { a: ['cheap'], b: ['pricey'] },
            rules: [],
            fallback: 'stronger',
            latency_budget_mode: 'demote',
          },
        },
      } as never,
      resilience: {
        retries: { max_per_deployment: 0 },
        breaker: { consecutive_failures: 1000, min_requests: 100_000 },
      },
    },
    { TEST_ADMIN_TOKEN: ADMIN_TOKEN },
  );
});
afterAll(() => gateway.close(100));

async function createKey(body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const response = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

function ask(key: string, model: string, index: number, maxTokens?: number): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'cache-control': 'no-cache',
    },
    body: JSON.stringify({
      model,
      ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
      messages: [{ role: 'user', content: `write a for loop ${index} [[sim:fault=500@sim-qwen]]` }],
    }),
  });
}

describe('every attempt of a plan is admitted against the key', () => {
  it('a key scoped to cheap is never served by pricey through failover; the route says why pricey was skipped', async () => {
    const { key } = await createKey({ name: 'scoped', allowed_models: ['cheap'] });
    const response = await ask(key, 'auto', 0, 50);
    if (response.status !== 503) throw new Error(`${response.status} ${await response.text()}`);
    expect(response.headers.get('x-switchyard-model')).not.toBe('pricey');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'upstream_unavailable',
    );
    const record = gateway.records.findLast(
      (entry) => entry.apiKeyId !== null && entry.path === '/v1/chat/completions',
    )!;
    expect(record.attempts?.map((attempt) => attempt.model)).toEqual(['cheap']);
    expect(record.route).toContain('skipped: sim-deepseek/pricey: model not allowed for this key');
    expect((await ask(key, 'pricey', 1, 50)).status).toBe(403);
  });

  it('/v1/route/explain with a scoped key says which targets the plan skips and why', async () => {
    const { key } = await createKey({ name: 'scoped-explain', allowed_models: ['cheap'] });
    const explain = async (authorization?: string) => {
      const response = await fetch(`${gateway.url}/v1/route/explain`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({
          model: 'auto',
          messages: [{ role: 'user', content: 'a for loop' }],
        }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as {
        attempts: string[];
        skipped_for_key?: Array<{ deployment: string; model: string; reason: string }>;
      };
    };
    const scoped = await explain(`Bearer ${key}`);
    expect(scoped.attempts).toEqual(['sim-qwen/cheap']);
    expect(scoped.skipped_for_key).toEqual([
      {
        deployment: 'sim-deepseek/pricey',
        model: 'pricey',
        reason: 'model not allowed for this key (allowed_models: cheap)',
      },
    ]);
    // An unscoped key sees the whole plan and no skipped list.
    const { key: open } = await createKey({ name: 'unscoped-explain' });
    const whole = await explain(`Bearer ${open}`);
    expect(whole.attempts).toEqual(['sim-qwen/cheap', 'sim-deepseek/pricey']);
    expect(whole.skipped_for_key).toBeUndefined();
  });

  it('200 concurrent requests failing over to a 1000× pricier model: spend overshoots the budget by no more than the reservations in flight', async () => {
    const budgetUsd = 1;
    const { id, key } = await createKey({
      name: 'budget',
      limits: { total_budget_usd: budgetUsd },
    });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        ask(key, 'auto', index, 100).then(async (response) => ({
          status: response.status,
          model: response.headers.get('x-switchyard-model'),
          body: await response.text(),
        })),
      ),
    );
    const served = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(served.length).toBeGreaterThan(0);
    expect(served.every((answer) => answer.model === 'pricey')).toBe(true);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((answer) => answer.body.includes('budget_exceeded'))).toBe(true);
    const spent = gateway.records
      .filter((record) => record.apiKeyId === id)
      .reduce((sum, record) => sum + (record.costUsd ?? 0), 0);
    // One pricey attempt reserves (prompt + 100 output tokens) × $1000/M ≈ $0.11; its actual cost is at most that.
    const oneReservationUsd = ((20 + 100) * 1000) / 1_000_000;
    process.stdout.write(
      `attempt admission: ${served.length} served, ${refused.length} refused, spent $${spent.toFixed(4)} of a $${budgetUsd} budget\n`,
    );
    expect(spent).toBeLessThanOrEqual(budgetUsd + oneReservationUsd);
  }, 60_000);

  it('without max_tokens a request reserves the deployment max output (documented bound), so the budget still holds', async () => {
    const { id, key } = await createKey({ name: 'no-max', limits: { total_budget_usd: 0.5 } });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        ask(key, 'auto', 1000 + index).then((response) => response.status),
      ),
    );
    expect(answers.filter((status) => status === 429).length).toBeGreaterThan(0);
    const spent = gateway.records
      .filter((record) => record.apiKeyId === id)
      .reduce((sum, record) => sum + (record.costUsd ?? 0), 0);
    expect(spent).toBeLessThanOrEqual(0.5 + ((20 + 100) * 1000) / 1_000_000);
  }, 60_000);
});
