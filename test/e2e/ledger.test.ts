import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ resilience: { retries: { max_per_deployment: 0 } } });
});
afterAll(() => gateway.close());

interface RequestRow {
  request_id: string;
  model_asked: string | null;
  model: string | null;
  provider: string | null;
  attempts: number;
  output_tokens: number;
  cost_nano_usd: number;
  reference_cost_nano_usd: number | null;
  status: number;
  error_code: string | null;
  stream: number;
  first_token_ms: number | null;
}

async function send(path: string, body: string, signal?: AbortSignal): Promise<string | null> {
  const done = gateway.nextRecord();
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    ...(signal ? { signal } : {}),
  }).catch(() => undefined);
  if (response) await response.text().catch(() => undefined);
  return (await done).requestId;
}

describe('usage ledger', () => {
  it('leaves one row per model request — success, stream, upstream failure, rejection, disconnect — and one per upstream attempt', async () => {
    const ok = await send(
      '/v1/chat/completions',
      JSON.stringify({
        model: 'auto',
        messages: [{ role: 'user', content: 'hi [[sim:tokens=12]]' }],
      }),
    );
    const streamed = await send(
      '/v1/messages',
      JSON.stringify({
        model: 'gpt-4o-mini',
        max_tokens: 50,
        stream: true,
        messages: [{ role: 'user', content: 'hi [[sim:tokens=9]]' }],
      }),
    );
    const failed = await send(
      '/v1/chat/completions',
      JSON.stringify({
        model: 'codestral-latest',
        messages: [{ role: 'user', content: 'x [[sim:fault=503]]' }],
      }),
    );
    const rejected = await send('/v1/chat/completions', '{"model": "auto", "messages": ');
    const unknown = await send(
      '/v1/chat/completions',
      JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
    );
    const controller = new AbortController();
    const disconnected = send(
      '/v1/chat/completions',
      JSON.stringify({
        model: 'gpt-4.1',
        messages: [{ role: 'user', content: 'x [[sim:fault=hang]]' }],
      }),
      controller.signal,
    );
    while (gateway.simulator!.stats().inFlight === 0)
      await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const closed = await disconnected;

    await gateway.ledger!.flush();
    const database = new Database(join(gateway.config.dataDir, 'switchyard.db'), {
      readonly: true,
    });
    try {
      const rows = new Map(
        (database.prepare('SELECT * FROM ledger_requests').all() as RequestRow[]).map((row) => [
          row.request_id,
          row,
        ]),
      );
      expect(rows.size).toBe(6);
      expect(rows.get(ok!)).toMatchObject({
        model_asked: 'auto',
        model: 'deepseek-chat',
        provider: 'sim-deepseek',
        status: 200,
        attempts: 1,
        output_tokens: 12,
        error_code: null,
        stream: 0,
      });
      expect(rows.get(ok!)!.cost_nano_usd).toBeGreaterThan(0);
      expect(rows.get(ok!)!.reference_cost_nano_usd).toBeGreaterThan(rows.get(ok!)!.cost_nano_usd);
      expect(rows.get(streamed!)).toMatchObject({
        model: 'gpt-4o-mini',
        status: 200,
        output_tokens: 9,
        stream: 1,
        attempts: 1,
      });
      expect(rows.get(streamed!)!.first_token_ms).not.toBeNull();
      expect(rows.get(failed!)).toMatchObject({
        model: 'codestral-latest',
        status: 503,
        error_code: 'upstream_unavailable',
        attempts: 1,
        cost_nano_usd: 0,
      });
      expect(rows.get(rejected!)).toMatchObject({
        model: null,
        status: 400,
        error_code: 'invalid_json',
        attempts: 0,
      });
      expect(rows.get(unknown!)).toMatchObject({
        model_asked: 'nope',
        model: null,
        status: 404,
        error_code: 'model_not_found',
        attempts: 0,
      });
      expect(rows.get(closed!)).toMatchObject({
        model: 'gpt-4.1',
        error_code: 'client_closed',
        attempts: 1,
      });

      const attempts = database
        .prepare(
          'SELECT request_id, provider, upstream_model, status, error_code FROM ledger_attempts',
        )
        .all() as Array<Record<string, unknown>>;
      expect(attempts).toHaveLength(4);
      expect(attempts).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            request_id: failed,
            provider: 'sim-mistral',
            status: 503,
            error_code: 'upstream_unavailable',
          }),
          expect.objectContaining({
            request_id: ok,
            provider: 'sim-deepseek',
            upstream_model: 'deepseek-chat',
            status: 200,
          }),
        ]),
      );
    } finally {
      database.close();
    }

    const report = await gateway.ledger!.report({
      from: Date.now() - 60_000,
      to: Date.now() + 60_000,
      groupBy: ['model'],
    });
    expect(report.totals.requests).toBe(6);
    expect(report.totals.errors).toBe(4);
    expect(report.totals.outputTokens).toBeGreaterThanOrEqual(21);
    expect(report.totals.savedByRoutingUsd).toBeGreaterThan(0);
  });
});
