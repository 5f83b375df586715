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
 * Two replicas on the real Redis share one slow self-hosted box (max_concurrency 2): its limit
 * holds across both — the fleet never has more than two requests on it — and the overflow spills
 * to the API deployment. Counted per process, each replica would put two on it.
 */
const MODEL = 'qwen2.5-coder-7b-instruct';
let set: ReplicaSet | undefined;
let replicas: TestGateway[] = [];
let secret = '';

beforeAll(async () => {
  if (replicaServicesMissing) return;
  set = await startReplicaSet(2, {
    providers: {
      box: { type: 'simulated', fleet_provider: 'sim-mistral' },
      'sim-qwen': { type: 'simulated' },
    },
    models: {
      [MODEL]: {
        deployments: [
          { provider: 'sim-qwen' },
          {
            provider: 'box',
            model: 'codestral-latest',
            capacity: { max_concurrency: 2, max_queue_ms: 100 },
            hourly_usd: 1.332,
          },
        ],
      },
    },
    routing: undefined,
  });
  replicas = set.replicas;
  secret = (await adminCall(replicas[0]!, 'POST', '/admin/keys', { name: `cap-${randomUUID()}` }))
    .key as string;
  for (const replica of replicas)
    await eventually(async () => (await chat(replica, 'warm up [[sim:tokens=2]]')).status === 200);
}, 30_000);
afterAll(() => set?.close());

async function chat(
  replica: TestGateway,
  content: string,
): Promise<{ status: number; provider: string | null }> {
  const response = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content }] }),
  });
  await response.text();
  return { status: response.status, provider: response.headers.get('x-switchyard-provider') };
}

interface BoxLine {
  in_flight: number;
  fleet_in_flight: number | null;
  served: number;
  spilled: number;
}
const box = async (replica: TestGateway): Promise<BoxLine> =>
  ((await adminCall(replica, 'GET', '/admin/capacity')).data as BoxLine[])[0]!;

describe.skipIf(replicaServicesMissing)('a self-hosted box shared by two replicas', () => {
  it("holds the box's concurrency limit across both replicas and spills the overflow to the API", async () => {
    const before = await Promise.all(replicas.map(box));
    // Three slow requests on each replica at once (800 ms to the first token on the box).
    const burst = replicas.flatMap((replica, index) =>
      Array.from({ length: 3 }, (_, n) =>
        chat(replica, `replica ${index} request ${n} [[sim:ttft=800]] [[sim:tokens=5]]`),
      ),
    );
    // While the box holds its two, both replicas see the fleet's two.
    await eventually(async () => {
      const lines = await Promise.all(replicas.map(box));
      return lines.every((line) => line.fleet_in_flight === 2);
    }, 5000);
    const during = await Promise.all(replicas.map(box));
    expect(during.reduce((sum, line) => sum + line.in_flight, 0)).toBe(2);

    const answers = await Promise.all(burst);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.filter((answer) => answer.provider === 'box')).toHaveLength(2);
    expect(answers.filter((answer) => answer.provider === 'sim-qwen')).toHaveLength(4);
    const after = await Promise.all(replicas.map(box));
    const served = after.reduce((sum, line, index) => sum + line.served - before[index]!.served, 0);
    expect(served).toBe(2);
    expect(after.every((line) => line.in_flight === 0)).toBe(true);
    // The slots were given back: the fleet's count drops to zero on both.
    await eventually(async () =>
      (await Promise.all(replicas.map(box))).every((line) => line.fleet_in_flight === 0),
    );
    expect((await chat(replicas[1]!, 'after the burst [[sim:tokens=5]]')).provider).toBe('box');
  }, 30_000);
});
