import { randomUUID } from 'node:crypto';
import pg from 'pg';
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
 * Three replicas on the real Redis and PostgreSQL: breakers and cooldowns, latency statistics and
 * the ledger's replica column across them.
 */
let set: ReplicaSet | undefined;
let replicas: TestGateway[] = [];
let secret = '';

beforeAll(async () => {
  if (replicaServicesMissing) return;
  set = await startReplicaSet(3, {
    resilience: {
      retries: { max_per_deployment: 0 },
      breaker: { consecutive_failures: 2, open_ms: 60_000 },
    },
    shared_state: { latency_interval_ms: 100 },
  });
  replicas = set.replicas;
  secret = (await adminCall(replicas[0]!, 'POST', '/admin/keys', { name: `h-${randomUUID()}` }))
    .key as string;
  for (const replica of replicas)
    await eventually(async () => (await ask(replica, 'deepseek-reasoner', 'hi')).status === 200);
});

afterAll(() => set?.close());

async function ask(
  replica: TestGateway,
  model: string,
  content: string,
): Promise<{ status: number; provider: string | null }> {
  const response = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
  });
  await response.text();
  return { status: response.status, provider: response.headers.get('x-switchyard-provider') };
}

interface Plan {
  candidates: { deployment: string; latency_samples: number; reason: string }[];
}

async function explain(replica: TestGateway, model: string): Promise<Plan> {
  const response = await fetch(`${replica.url}/v1/route/explain`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  return (await response.json()) as Plan;
}

async function breakerOf(replica: TestGateway, deployment: string): Promise<string> {
  const list = (await adminCall(replica, 'GET', '/admin/breakers')).data as {
    deployment: string;
    state: string;
  }[];
  return list.find((entry) => entry.deployment === deployment)?.state ?? 'missing';
}

describe.skipIf(replicaServicesMissing)('three replicas: breakers, latency, ledger', () => {
  it('a breaker opened on one replica is skipped by all of them within 1 s', async () => {
    const deployment = 'sim-deepseek/deepseek-chat';
    for (let index = 0; index < 2; index += 1)
      expect(
        (await ask(replicas[0]!, 'deepseek-chat', `fail ${index} [[sim:fault=503]]`)).status,
      ).toBe(503);
    expect(await breakerOf(replicas[0]!, deployment)).toBe('open');
    const delays = await Promise.all(
      replicas
        .slice(1)
        .map((replica) =>
          eventually(async () => (await breakerOf(replica, deployment)) === 'open', 1000),
        ),
    );
    process.stderr.write(
      `breaker propagation: ${delays.map((delay) => delay.toFixed(1)).join(', ')} ms\n`,
    );
    // The others' routers rank it as unavailable: other deployments first, it only as a last resort.
    const reason = async (replica: TestGateway): Promise<string> => {
      const plan = await explain(replica, 'deepseek-chat');
      return plan.candidates.find((candidate) => candidate.deployment === deployment)?.reason ?? '';
    };
    for (const replica of replicas) expect(await reason(replica)).toContain('unavailable');
  });

  it('latency statistics measured on one replica reach the others (merged, no per-request Redis call)', async () => {
    const samples = async (replica: TestGateway): Promise<number> =>
      (await explain(replica, 'codestral-latest')).candidates[0]?.latency_samples ?? -1;
    expect(await samples(replicas[1]!)).toBe(0);
    for (let index = 0; index < 5; index += 1)
      expect((await ask(replicas[0]!, 'codestral-latest', `measure ${index}`)).status).toBe(200);
    const delays = await Promise.all(
      replicas
        .slice(1)
        .map((replica) => eventually(async () => (await samples(replica)) === 5, 3000)),
    );
    process.stderr.write(
      `latency summaries reached the others after ${delays.map((delay) => delay.toFixed(0)).join(', ')} ms\n`,
    );
  });

  it('every ledger row names the replica that served it', async () => {
    for (const replica of replicas) await replica.ledger!.flush();
    const client = new pg.Client({ connectionString: set!.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ replica_id: string; requests: string }>(
      'SELECT replica_id, COUNT(*) AS requests FROM ledger_requests GROUP BY replica_id ORDER BY replica_id',
    );
    await client.end();
    expect(rows.map((row) => row.replica_id)).toEqual(['replica-0', 'replica-1', 'replica-2']);
  });
});
