import Database from 'better-sqlite3';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/** Hedging (opt-in): a first attempt silent past its deployment's p95 TTFT gets a second one on the next candidate. */
describe('hedging', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      models: {
        hedged: {
          deployments: [
            { provider: 'sim-qwen', model: 'qwen2.5-coder-7b-instruct' },
            { provider: 'sim-deepseek', model: 'deepseek-chat' },
          ],
        },
      },
      routing: { default_model: 'hedged' },
      resilience: {
        hedging: {
          mode: 'p95',
          models: ['hedged'],
          min_samples: 1,
          min_delay_ms: 30,
          max_delay_ms: 100,
        },
      },
    });
  });
  afterAll(() => gateway.close());

  it('starts a hedge when the first deployment hangs; the hedge answers, the hung attempt is aborted, both are in the ledger', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    await client.chat.completions.create({
      model: 'hedged',
      messages: [{ role: 'user', content: 'warm up' }],
    }); // one TTFT sample for sim-qwen
    const { response } = await client.chat.completions
      .create({
        model: 'hedged',
        messages: [{ role: 'user', content: 'x [[sim:fault=hang@sim-qwen]]' }],
      })
      .withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-deepseek');
    expect(response.headers.get('x-switchyard-route')).toContain(
      'sim-qwen/hedged hedge lost, sim-deepseek/hedged hedge won',
    );
    const record = gateway.records.at(-1)!;
    for (let index = 0; index < 100 && gateway.simulator!.stats().inFlight > 0; index += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(gateway.simulator!.stats().inFlight).toBe(0);
    await gateway.ledger!.flush();
    const database = new Database(join(gateway.config.dataDir, 'switchyard.db'), {
      readonly: true,
    });
    try {
      const attempts = database
        .prepare(
          'SELECT provider, status, cost_nano_usd FROM ledger_attempts WHERE request_id = ? ORDER BY attempt',
        )
        .all(record.requestId) as Array<{
        provider: string;
        status: number;
        cost_nano_usd: number;
      }>;
      expect(attempts.map((attempt) => [attempt.provider, attempt.status])).toEqual([
        ['sim-qwen', 499],
        ['sim-deepseek', 200],
      ]);
      expect(attempts[0]!.cost_nano_usd).toBeGreaterThan(0); // the loser is charged its prompt
      // The request is charged both attempts: the winner's answer and the loser's estimate.
      const request = database
        .prepare('SELECT cost_nano_usd FROM ledger_requests WHERE request_id = ?')
        .get(record.requestId) as { cost_nano_usd: number };
      expect(
        Math.abs(request.cost_nano_usd - (attempts[0]!.cost_nano_usd + attempts[1]!.cost_nano_usd)),
      ).toBeLessThanOrEqual(1);
    } finally {
      database.close();
    }
  });
});
