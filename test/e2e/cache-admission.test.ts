import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/** Admission (allowed models, rate limits, budgets) applies to cache hits and joiners too. */
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(
    { auth: { require_keys: true }, admin: { token_env: 'TEST_ADMIN_TOKEN' } },
    { TEST_ADMIN_TOKEN: ADMIN_TOKEN },
  );
});
afterAll(() => gateway.close());

async function createKey(body: Record<string, unknown>): Promise<OpenAI> {
  const response = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `k-${randomUUID()}`, ...body }),
  });
  const created = (await response.json()) as { key: string };
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: created.key, maxRetries: 0 });
}

describe('admission on cached answers', () => {
  it('refuses a cached answer to a key that may not use the model', async () => {
    const allowed = await createKey({ allowed_models: ['gpt-4o-mini'] });
    const other = await createKey({ allowed_models: ['auto'] });
    const request = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: `Cached for one key ${randomUUID()}` }],
    };
    await allowed.chat.completions.create(request);
    const hit = await allowed.chat.completions.create(request).withResponse();
    expect(hit.response.headers.get('x-switchyard-cache')).toBe('hit');
    await expect(other.chat.completions.create(request)).rejects.toMatchObject({
      status: 403,
      code: 'model_not_allowed',
    });
  });

  it('counts a hit against the key’s request rate limit', async () => {
    const limited = await createKey({ limits: { requests_per_minute: 1 } });
    const request = {
      model: 'auto',
      messages: [{ role: 'user' as const, content: `Rate limited ${randomUUID()}` }],
    };
    await limited.chat.completions.create(request);
    await expect(limited.chat.completions.create(request)).rejects.toMatchObject({
      status: 429,
      code: 'rate_limited',
    });
  });

  it('serves a request that joined a call whose leader admission then refused: it makes its own call', async () => {
    // The leader claims the cache key, then waits for its key's spend baseline and is refused;
    // the identical request that arrived meanwhile joined the claim, and calls upstream itself.
    const broke = await createKey({ limits: { total_budget_usd: 0.000000001 } });
    const paying = await createKey({});
    const request = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: `Joined an abandoned call ${randomUUID()}` }],
    };
    const before = gateway.simulator!.stats().requests;
    const [refused, served] = await Promise.allSettled([
      broke.chat.completions.create(request),
      paying.chat.completions.create(request),
    ]);
    expect(served.status).toBe('fulfilled');
    if (refused.status === 'rejected')
      expect(refused.reason).toMatchObject({ status: 429, code: 'budget_exceeded' });
    expect(gateway.simulator!.stats().requests - before).toBe(1);
  });
});
