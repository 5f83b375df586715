import Database from 'better-sqlite3';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/** A model served by two providers: a failure on the first moves on to the second. */
describe('failover across the deployments of one model', () => {
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startTestGateway({
      models: {
        'coder-7b': {
          deployments: [
            { provider: 'sim-qwen', model: 'qwen2.5-coder-7b-instruct' },
            { provider: 'sim-deepseek', model: 'deepseek-chat' },
          ],
        },
        // Same deployments, separate breakers: the 429 above cools sim-qwen/coder-7b down for its Retry-After.
        'stream-coder': {
          deployments: [
            { provider: 'sim-qwen', model: 'qwen2.5-coder-7b-instruct' },
            { provider: 'sim-deepseek', model: 'deepseek-chat' },
          ],
        },
      },
      routing: { default_model: 'coder-7b' },
      resilience: { retries: { max_per_deployment: 0 } },
    });
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(() => gateway.close());

  it('answers from the second provider when the first rate-limits, and says so in the route header', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'coder-7b',
        messages: [{ role: 'user', content: 'hello [[sim:fault=429@sim-qwen]]' }],
      })
      .withResponse();
    expect(data.choices[0]!.message.content).toContain('simulated');
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-deepseek');
    expect(response.headers.get('x-switchyard-route')).toContain(
      'attempts: sim-qwen/coder-7b failover: upstream_rate_limited, sim-deepseek/coder-7b ok',
    );
    const record = gateway.records.at(-1)!;
    expect(record.attempts?.map((attempt) => [attempt.provider, attempt.status])).toEqual([
      ['sim-qwen', 429],
      ['sim-deepseek', 200],
    ]);
  });

  it('fails a stream over when the first provider breaks before any content, and writes both attempts to the ledger', async () => {
    const stream = await client.chat.completions.create({
      model: 'stream-coder',
      stream: true,
      messages: [{ role: 'user', content: 'stream me [[sim:fault=503@sim-qwen]]' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('simulated');
    const record = gateway.records.at(-1)!;
    expect(record.provider).toBe('sim-deepseek');
    await gateway.ledger!.flush();
    const database = new Database(join(gateway.config.dataDir, 'switchyard.db'), {
      readonly: true,
    });
    try {
      const attempts = database
        .prepare(
          'SELECT provider, status, error_code FROM ledger_attempts WHERE request_id = ? ORDER BY attempt',
        )
        .all(record.requestId);
      expect(attempts).toEqual([
        { provider: 'sim-qwen', status: 503, error_code: 'upstream_unavailable' },
        { provider: 'sim-deepseek', status: 200, error_code: null },
      ]);
      const row = database
        .prepare(
          'SELECT attempts, status, provider, route_reason FROM ledger_requests WHERE request_id = ?',
        )
        .get(record.requestId);
      expect(row).toMatchObject({ attempts: 2, status: 200, provider: 'sim-deepseek' });
    } finally {
      database.close();
    }
  });

  it('reports the last failure when every deployment fails', async () => {
    const failed = await client.chat.completions
      .create({ model: 'coder-7b', messages: [{ role: 'user', content: 'x [[sim:fault=500]]' }] })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect(gateway.records.at(-1)!.attempts).toHaveLength(2);
  });
});
