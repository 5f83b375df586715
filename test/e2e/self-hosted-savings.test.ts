import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfHostedPrices } from '../../src/config/self-hosted-prices.js';
import { makeEntry } from '../../src/usage/ledger/ledger-fixtures.js';
import { runCosts } from '../../src/usage/reports/format-costs.js';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * A self-hosted box (hourly_usd, no token price) in the savings: a seeded ledger with the box's
 * requests in two past hours and an API request. The box's hours come off the routing saving,
 * and `switchyard costs` and `GET /admin/usage` (what the dashboard shows) say the same.
 */
const MODEL = 'qwen2.5-coder-7b-instruct';
const ADMIN = 'savings-admin-token-0123456789';
const HOUR = 3_600_000;
let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(
    {
      admin: { token_env: 'SAVINGS_ADMIN' },
      providers: {
        box: { type: 'simulated', fleet_provider: 'sim-mistral' },
        'sim-qwen': { type: 'simulated' },
      },
      models: {
        [MODEL]: {
          deployments: [
            { provider: 'sim-qwen' },
            {
              provider: 'box',
              model: 'codestral-latest',
              capacity: { max_concurrency: 2, max_queue_ms: 100 },
              hourly_usd: 1.5,
            },
          ],
        },
      },
      routing: undefined,
      cache: { enabled: false },
    },
    { SAVINGS_ADMIN: ADMIN },
  );
});
afterAll(() => gateway.close());

describe("a self-hosted box's requests in the savings", () => {
  it('are not counted as wholly saved: the hours the box served come off, the same in the report and the admin API', async () => {
    expect(selfHostedPrices(gateway.config)).toEqual([
      { provider: 'box', model: MODEL, hourlyUsd: 1.5 },
    ]);
    // Two whole past hours, well inside the last 24 hours.
    const first = Math.floor(Date.now() / HOUR) * HOUR - 5 * HOUR;
    const seeded = [
      // Hour 1: two requests on the box (tokens 300 and 100), one on the API.
      { requestId: 'box-1', startedAt: first + 60_000, provider: 'box', tokens: 300, cost: 0 },
      { requestId: 'box-2', startedAt: first + 120_000, provider: 'box', tokens: 100, cost: 0 },
      {
        requestId: 'api-1',
        startedAt: first + 180_000,
        provider: 'sim-qwen',
        tokens: 200,
        cost: 0.001,
      },
      // Hour 2: one request on the box.
      {
        requestId: 'box-3',
        startedAt: first + HOUR + 60_000,
        provider: 'box',
        tokens: 50,
        cost: 0,
      },
    ];
    for (const row of seeded)
      gateway.ledger!.record(
        makeEntry({
          requestId: row.requestId,
          startedAt: row.startedAt,
          model: MODEL,
          provider: row.provider,
          apiKeyId: 'team',
          costUsd: row.cost,
          referenceCostUsd: 0.02,
          usage: { inputTokens: row.tokens / 2, outputTokens: row.tokens / 2 },
        }),
      );
    await gateway.ledger!.flush();

    const response = await fetch(`${gateway.url}/admin/usage?window=24h`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const usage = (await response.json()) as {
      from: string;
      to: string;
      totals: Record<string, number>;
      series: Array<Record<string, number>>;
      models: Array<Record<string, number | string>>;
    };
    // Reference $0.02 each; spent $0.001 on the API; the box: 2 hours at $1.50.
    const wholly = 4 * 0.02 - 0.001;
    expect(usage.totals.self_hosted_usd).toBeCloseTo(3, 9);
    expect(usage.totals.saved_by_routing_usd).toBeCloseTo(wholly - 3, 9);
    const sum = (key: string) => usage.series.reduce((total, slot) => total + slot[key]!, 0);
    expect(sum('self_hosted_usd')).toBeCloseTo(3, 9);
    expect(sum('saved_by_routing_usd')).toBeCloseTo(wholly - 3, 9);
    // Without the box's price the ledger reads it as wholly saved.
    const unpriced = await gateway.ledger!.report({
      from: Date.parse(usage.from),
      to: Date.parse(usage.to),
      groupBy: [],
    });
    expect(unpriced.totals.savedByRoutingUsd).toBeCloseTo(wholly, 9);

    // `switchyard costs` over the same window agrees.
    let output = '';
    const code = await runCosts({
      dataDir: gateway.config.dataDir,
      from: new Date(usage.from),
      to: new Date(usage.to),
      groupBy: 'provider',
      json: true,
      selfHosted: selfHostedPrices(gateway.config),
      now: () => Date.parse(usage.to),
      write: (text) => {
        output += text;
      },
    });
    expect(code).toBe(0);
    const report = JSON.parse(output) as {
      totals: Record<string, number>;
      rows: Array<{ group: { provider: string } } & Record<string, number>>;
    };
    expect(report.totals.savedByRoutingUsd).toBe(usage.totals.saved_by_routing_usd);
    expect(report.totals.selfHostedUsd).toBe(usage.totals.self_hosted_usd);
    const box = report.rows.find((row) => row.group.provider === 'box')!;
    expect(box.selfHostedUsd).toBeCloseTo(3, 9);
    expect(box.savedByRoutingUsd).toBeCloseTo(3 * 0.02 - 3, 9);
    // The table says it too.
    let table = '';
    await runCosts({
      dataDir: gateway.config.dataDir,
      from: new Date(usage.from),
      to: new Date(usage.to),
      selfHosted: selfHostedPrices(gateway.config),
      now: () => Date.parse(usage.to),
      write: (text) => {
        table += text;
      },
    });
    expect(table).toContain('Self-hosted boxes: $3.00 of their hourly cost');
  });
});
