import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startOwnRedis, stopOwnRedis } from '../helpers/own-redis.js';
import {
  adminCall,
  eventually,
  type ReplicaSet,
  replicaServicesMissing,
  startReplicaSet,
} from '../helpers/replica-set.js';
import type { TestGateway } from '../helpers/test-gateway.js';

/**
 * Three replicas on a Redis of this test's own, stopped and started again mid-run (never the shared
 * one), with budgets failing closed while it is down.
 */
let set: ReplicaSet | undefined;
let replicas: TestGateway[] = [];
let redis: ChildProcess | undefined;
let port = 0;

beforeAll(async () => {
  if (replicaServicesMissing) return;
  port = await freePort();
  redis = await startOwnRedis(port);
  set = await startReplicaSet(
    3,
    {
      resilience: {
        retries: { max_per_deployment: 0 },
        breaker: { consecutive_failures: 2, open_ms: 60_000 },
      },
      shared_state: { budgets_when_down: 'fail_closed', timeout_ms: 500 },
    },
    `redis://127.0.0.1:${port}`,
  );
  replicas = set.replicas;
});

afterAll(async () => {
  await set?.close();
  if (redis) await stopOwnRedis(redis);
});

async function metric(replica: TestGateway, name: string): Promise<number> {
  const text = await (await fetch(`${replica.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(' ').at(-1));
}

async function ask(replica: TestGateway, secret: string, content: string, model = 'gpt-4o-mini') {
  const response = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 20, messages: [{ role: 'user', content }] }),
  });
  const body = await response.text();
  return { status: response.status, body };
}

async function breakerOf(replica: TestGateway, deployment: string): Promise<string> {
  const list = (await adminCall(replica, 'GET', '/admin/breakers')).data as {
    deployment: string;
    state: string;
  }[];
  return list.find((entry) => entry.deployment === deployment)?.state ?? 'missing';
}

describe.skipIf(replicaServicesMissing)('replicas across a Redis outage', () => {
  it('fall back to local enforcement (budgets fail closed), show it on /metrics, and share again when Redis returns', async () => {
    const open = (
      await adminCall(replicas[0]!, 'POST', '/admin/keys', { name: `o-${randomUUID()}` })
    ).key as string;
    const budgeted = (
      await adminCall(replicas[0]!, 'POST', '/admin/keys', {
        name: `b-${randomUUID()}`,
        limits: { total_budget_usd: 1 },
      })
    ).key as string;
    for (const replica of replicas) {
      await eventually(async () => (await ask(replica, budgeted, 'hi')).status === 200);
      expect(await metric(replica, 'switchyard_shared_state_up')).toBe(1);
    }

    await stopOwnRedis(redis!);
    for (const replica of replicas)
      await eventually(
        async () => (await metric(replica, 'switchyard_shared_state_up')) === 0,
        10_000,
      );
    for (const replica of replicas) {
      expect(await metric(replica, 'switchyard_shared_state_outages')).toBeGreaterThanOrEqual(1);
      // Keys without a budget are served, limited by this replica alone.
      expect((await ask(replica, open, 'while down')).status).toBe(200);
      // Budgeted keys fail closed: no replica can know the others' spend.
      const refused = await ask(replica, budgeted, 'while down');
      expect(refused.status).toBe(503);
      expect(refused.body).toContain('storage_unavailable');
    }
    // A breaker opened meanwhile stays on its replica.
    for (let index = 0; index < 2; index += 1)
      await ask(replicas[0]!, open, `fail ${index} [[sim:fault=503]]`, 'deepseek-chat');
    expect(await breakerOf(replicas[0]!, 'sim-deepseek/deepseek-chat')).toBe('open');
    expect(await breakerOf(replicas[1]!, 'sim-deepseek/deepseek-chat')).toBe('closed');
    expect(await breakerOf(replicas[2]!, 'sim-deepseek/deepseek-chat')).toBe('closed');

    redis = await startOwnRedis(port); // restarted empty
    for (const replica of replicas)
      await eventually(
        async () => (await metric(replica, 'switchyard_shared_state_up')) === 1,
        15_000,
      );
    // Budgets are shared again (reconciled from the ledger) and breaker changes travel again.
    for (const replica of replicas)
      await eventually(async () => (await ask(replica, budgeted, 'back')).status === 200, 5000);
    for (let index = 0; index < 2; index += 1)
      await ask(replicas[1]!, open, `fail again ${index} [[sim:fault=503]]`, 'codestral-latest');
    expect(await breakerOf(replicas[1]!, 'sim-mistral/codestral-latest')).toBe('open');
    for (const replica of [replicas[0]!, replicas[2]!])
      await eventually(
        async () => (await breakerOf(replica, 'sim-mistral/codestral-latest')) === 'open',
        1000,
      );
  });
});
