import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminCall,
  eventually,
  type ReplicaSet,
  replicaServicesMissing,
  startReplicaSet,
} from '../helpers/replica-set.js';
import type { TestGateway } from '../helpers/test-gateway.js';

/**
 * Three replicas of one gateway on the real Redis and PostgreSQL (a schema and a key prefix of
 * this run's own): keys, budgets and rate limits hold across them.
 */
let set: ReplicaSet | undefined;
let replicas: TestGateway[] = [];

beforeAll(async () => {
  if (replicaServicesMissing) return;
  set = await startReplicaSet(3);
  replicas = set.replicas;
});

afterAll(() => set?.close());

async function ask(
  replica: TestGateway,
  secret: string,
  content: string,
  extra: Record<string, unknown> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.skipIf(replicaServicesMissing)('three replicas on Redis and PostgreSQL', () => {
  it('a key created on one replica works on the others, and a key revoked on one is refused by all (pub/sub, no reload)', async () => {
    const created = await adminCall(replicas[0]!, 'POST', '/admin/keys', {
      name: `k-${randomUUID()}`,
    });
    const secret = created.key as string;
    for (const replica of replicas)
      await eventually(async () => (await ask(replica, secret, 'hi')).status === 200);
    await adminCall(replicas[1]!, 'DELETE', `/admin/keys/${created.id as string}`);
    for (const replica of replicas)
      await eventually(async () => (await ask(replica, secret, 'hi')).status === 401);
  });

  it('one budget across replicas: concurrent requests spread over all three stay within it', async () => {
    // gpt-4.1: $2/M in, $8/M out; 100 output tokens ≈ $0.0008 reserved per request; $0.004 admits about five.
    const created = await adminCall(replicas[0]!, 'POST', '/admin/keys', {
      name: `budget-${randomUUID()}`,
      limits: { total_budget_usd: 0.004 },
    });
    const secret = created.key as string;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        ask(replicas[index % 3]!, secret, `task ${index} [[sim:tokens=100]]`, {
          model: 'gpt-4.1',
          max_tokens: 100,
        }),
      ),
    );
    const served = results.filter((result) => result.status === 200).length;
    expect(served).toBeGreaterThan(0);
    expect(served).toBeLessThanOrEqual(5); // per-replica budgets would admit about 15
    expect(
      results
        .filter((result) => result.status !== 200)
        .every((result) => result.status === 429 && JSON.stringify(result.body).includes('budget')),
    ).toBe(true);
    const usage = (await adminCall(replicas[2]!, 'GET', `/admin/keys/${created.id as string}`))
      .usage as { totalUsd: number };
    expect(usage.totalUsd).toBeLessThanOrEqual(0.004);
    expect(usage.totalUsd).toBeGreaterThan(0);
  });

  it('one requests-per-minute window across replicas', async () => {
    const created = await adminCall(replicas[0]!, 'POST', '/admin/keys', {
      name: `rpm-${randomUUID()}`,
      limits: { requests_per_minute: 5 },
    });
    const secret = created.key as string;
    const statuses: number[] = [];
    for (let index = 0; index < 12; index += 1)
      statuses.push((await ask(replicas[index % 3]!, secret, `rpm ${index}`)).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
  });
});
