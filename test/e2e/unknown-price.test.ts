import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCostsTable } from '../../src/usage/reports/format-costs.js';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;

/** `own-box` is a self-hosted deployment with no price (a vLLM box, say); deepseek-chat is priced. */
beforeAll(async () => {
  gateway = await startTestGateway(
    {
      models: {
        'own-box': { deployments: [{ provider: 'sim-qwen', model: 'qwen2.5-coder-7b-instruct' }] },
        'deepseek-chat': { deployments: [{ provider: 'sim-deepseek' }] },
      },
      catalog: {
        models: {
          'own-box': {
            tier: 1,
            vendor: 'self-hosted',
            deployments: { 'sim-qwen': { upstream_model: 'qwen2.5-coder-7b-instruct' } },
          },
        },
      },
    },
    { SWITCHYARD_REPLICA_ID: 'gw-test-1' },
  );
});
afterAll(() => gateway.close());

async function ask(model: string, stream: boolean): Promise<{ cost: string | null }> {
  const done = gateway.nextRecord();
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify({
      model,
      stream,
      messages: [{ role: 'user', content: `hi ${model} ${stream} [[sim:tokens=9]]` }],
    }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  await done;
  // A stream carries its cost in a trailer, which fetch does not expose: the record has it.
  return { cost: stream ? null : response.headers.get('x-switchyard-cost-usd') };
}

describe('a deployment with no price', () => {
  it('is recorded as unknown (NULL), never $0 nor saved by routing, and reports count it', async () => {
    expect((await ask('own-box', false)).cost).toBe('unknown');
    await ask('own-box', true);
    const priced = await ask('deepseek-chat', false);
    expect(Number(priced.cost)).toBeGreaterThan(0);
    await gateway.ledger!.flush();

    const database = new Database(join(gateway.config.dataDir, 'switchyard.db'), {
      readonly: true,
    });
    const rows = database
      .prepare(
        'SELECT model, stream, cost_nano_usd, reference_cost_nano_usd, replica_id FROM ledger_requests ORDER BY started_at, stream',
      )
      .all() as {
      model: string;
      cost_nano_usd: number | null;
      reference_cost_nano_usd: number | null;
      replica_id: string | null;
    }[];
    const attempts = database
      .prepare("SELECT cost_nano_usd FROM ledger_attempts WHERE model = 'own-box'")
      .all() as { cost_nano_usd: number | null }[];
    database.close();
    expect(rows.map((row) => [row.model, row.cost_nano_usd === null])).toEqual([
      ['own-box', true],
      ['own-box', true],
      ['deepseek-chat', false],
    ]);
    // The reference model is priced, so a $0 cost would have counted its whole price as saved.
    expect(rows[0]!.reference_cost_nano_usd).toBeGreaterThan(0);
    expect(attempts.map((row) => row.cost_nano_usd)).toEqual([null, null]);
    // Each row names the replica that served it (SWITCHYARD_REPLICA_ID).
    expect(rows.map((row) => row.replica_id)).toEqual(['gw-test-1', 'gw-test-1', 'gw-test-1']);

    const report = await gateway.ledger!.report({
      from: Date.now() - 60_000,
      to: Date.now() + 1000,
      groupBy: ['model'],
    });
    const ownBox = report.rows.find((row) => row.group.model === 'own-box')!;
    expect(ownBox).toMatchObject({
      requests: 2,
      unpricedRequests: 2,
      costUsd: 0,
      savedByRoutingUsd: 0,
    });
    expect(report.totals.unpricedRequests).toBe(2);
    const table = formatCostsTable(report);
    expect(table).toContain('No price');
    expect(table).toContain('2 requests have no price');
  });
});
