import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

async function scrape(): Promise<string> {
  const response = await fetch(`${gateway.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

function value(text: string, pattern: RegExp): number {
  const line = text.split('\n').find((candidate) => pattern.test(candidate));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('GET /metrics', () => {
  it('counts requests, errors, tokens and latency by model and provider', async () => {
    const done = gateway.nextRecord();
    await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi [[sim:tokens=7]]' }],
      }),
    });
    await done;
    const failed = gateway.nextRecord();
    await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x [[sim:fault=503]]' }],
      }),
    });
    await failed;
    const streamed = gateway.nextRecord();
    const stream = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'deepseek-chat',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    await stream.text();
    await streamed;
    await fetch(`${gateway.url}/v1/no-such-endpoint/${'x'.repeat(20)}`);

    const text = await scrape();
    expect(
      value(
        text,
        /^switchyard_requests_total\{endpoint="\/v1\/chat\/completions",model="gpt-4o-mini",provider="sim-openai",status="200",code=""\}/,
      ),
    ).toBe(1);
    expect(
      value(
        text,
        /^switchyard_requests_total\{.*model="gpt-4o-mini".*status="503",code="upstream_unavailable"\}/,
      ),
    ).toBe(1);
    expect(
      value(
        text,
        /^switchyard_tokens_total\{model="gpt-4o-mini",provider="sim-openai",kind="output"\}/,
      ),
    ).toBe(7);
    expect(
      value(
        text,
        /^switchyard_request_duration_seconds_count\{endpoint="\/v1\/chat\/completions",model="gpt-4o-mini"/,
      ),
    ).toBe(2);
    expect(
      value(
        text,
        /^switchyard_time_to_first_token_seconds_count\{model="deepseek-chat",provider="sim-deepseek"\}/,
      ),
    ).toBe(1);
    expect(text).toContain('endpoint="other"');
    expect(text).not.toContain('no-such-endpoint');
  });

  it('shows the ledger write path: queue depth, flushes and their latency, failed batches', async () => {
    const done = gateway.nextRecord();
    await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await done;
    await gateway.ledger!.flush();
    const text = await scrape();
    expect(value(text, /^switchyard_ledger_queue_depth /)).toBe(0);
    expect(value(text, /^switchyard_ledger_flushes_total /)).toBeGreaterThanOrEqual(1);
    expect(value(text, /^switchyard_ledger_written_entries_total /)).toBeGreaterThanOrEqual(1);
    expect(value(text, /^switchyard_ledger_flush_seconds_total /)).toBeGreaterThan(0);
    expect(value(text, /^switchyard_ledger_last_flush_seconds /)).toBeGreaterThan(0);
    expect(text).toMatch(/^switchyard_ledger_failed_batches_total 0$/m);
  });
});
