import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(
    { auth: { require_keys: true }, admin: { token_env: 'TEST_ADMIN_TOKEN' } },
    { TEST_ADMIN_TOKEN: ADMIN_TOKEN },
  );
});
afterAll(() => gateway.close());

async function admin(
  method: string,
  path: string,
  body?: unknown,
  token = ADMIN_TOKEN,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function client(key: string): OpenAI {
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
}

describe('virtual keys through the admin API', () => {
  it('refuses the admin API without the admin token', async () => {
    expect((await admin('GET', '/admin/keys', undefined, 'wrong-token')).status).toBe(401);
    expect((await admin('POST', '/admin/keys', { name: '' })).status).toBe(400);
  });

  it('creates a key shown once, stored hashed, that clients use as their bearer token', async () => {
    const created = await admin('POST', '/admin/keys', {
      name: 'ci-bot',
      allowed_models: ['auto', 'gpt-4o-mini'],
    });
    expect(created.status).toBe(201);
    const secret = created.body.key as string;
    expect(secret).toMatch(/^sy-/);
    expect(created.body).toMatchObject({
      name: 'ci-bot',
      allowed_models: ['auto', 'gpt-4o-mini'],
      revoked_at: null,
    });

    const listed = await admin('GET', '/admin/keys');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(JSON.stringify(listed.body)).not.toContain('hash');

    const answer = await client(secret).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(answer.choices[0]!.message.content).toContain('[simulated');
    await expect(
      client(secret).chat.completions.create({
        model: 'gpt-4.1',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toMatchObject({ status: 403, code: 'model_not_allowed' });
    await expect(
      client('sy-not-a-real-key').chat.completions.create({
        model: 'auto',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toMatchObject({ status: 401 });

    const revoked = await admin('DELETE', `/admin/keys/${created.body.id as string}`);
    expect(revoked.body).toMatchObject({ revoked: true });
    await expect(
      client(secret).chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('enforces a budget: refusals in the caller dialect, spend never far over the limit, ledger rows per key', async () => {
    // gpt-4.1 costs $2/M in, $8/M out: a 100-token answer ≈ $0.0008; the budget allows a handful.
    const created = await admin('POST', '/admin/keys', {
      name: 'budgeted',
      limits: { total_budget_usd: 0.004 },
    });
    const secret = created.body.key as string;
    const keyId = created.body.id as string;
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, index) =>
        client(secret).chat.completions.create({
          model: 'gpt-4.1',
          max_tokens: 100,
          messages: [{ role: 'user', content: `task ${index} [[sim:tokens=100]]` }],
        }),
      ),
    );
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const result of refused)
      expect((result as PromiseRejectedResult).reason).toMatchObject({
        status: 429,
        code: 'budget_exceeded',
      });
    const served = results.length - refused.length;
    expect(served).toBeGreaterThan(0);

    const shown = await admin('GET', `/admin/keys/${keyId}`);
    const spent = (shown.body.usage as { totalUsd: number }).totalUsd;
    expect(spent).toBeLessThanOrEqual(0.004);

    const anthropic = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': secret, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4.1',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'more' }],
      }),
    });
    expect(anthropic.status).toBe(429);
    expect(await anthropic.json()).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });

    await gateway.ledger!.flush();
    const report = await gateway.ledger!.report({
      from: Date.now() - 60_000,
      to: Date.now() + 60_000,
      groupBy: ['key'],
    });
    const row = report.rows.find((candidate) => candidate.group.key === keyId)!;
    expect(row.requests).toBe(31);
    expect(row.errors).toBe(refused.length + 1);
    expect(row.costUsd).toBeCloseTo(spent, 9);
  });

  it('requires a key when require_keys is set', async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(401);
  });
});
