import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminCall,
  type ReplicaSet,
  replicaServicesMissing,
  startReplicaSet,
} from '../helpers/replica-set.js';
import type { TestGateway } from '../helpers/test-gateway.js';

/**
 * Identical requests across three replicas share one upstream call, with either cache store:
 * memory (each replica its own) and Redis (shared). The simulator runs at real speed so that the
 * requests overlap; each replica has its own simulator, so the sum of their request counts is
 * the number of upstream calls.
 */
const sets: { name: string; set?: ReplicaSet; secret: string }[] = [
  { name: 'memory', secret: '' },
  { name: 'redis', secret: '' },
];

beforeAll(async () => {
  if (replicaServicesMissing) return;
  for (const entry of sets) {
    const store =
      entry.name === 'redis'
        ? { type: 'redis' as const, key_prefix: `switchyard-test:${randomUUID()}:cache:` }
        : { type: 'memory' as const };
    entry.set = await startReplicaSet(3, {
      simulator: { time_scale: 1 },
      cache: { enabled: true, store },
    });
    entry.secret = (
      await adminCall(entry.set.replicas[0]!, 'POST', '/admin/keys', { name: `sf-${randomUUID()}` })
    ).key as string;
  }
});

afterAll(() => Promise.all(sets.map((entry) => entry.set?.close())));

const upstreamCalls = (replicas: TestGateway[]): number =>
  replicas.reduce((sum, replica) => sum + replica.simulator!.stats().requests, 0);

async function ask(
  replica: TestGateway,
  secret: string,
  content: string,
  stream = false,
): Promise<{ status: number; cache: string | null; text: string }> {
  const response = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'qwen2.5-coder-7b-instruct',
      stream,
      messages: [{ role: 'user', content }],
    }),
  });
  const body = await response.text();
  const text = stream
    ? body
        .split('\n')
        .filter((line) => line.startsWith('data: {'))
        .map(
          (line) =>
            (JSON.parse(line.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]
              ?.delta.content ?? '',
        )
        .join('')
    : ((JSON.parse(body) as { choices: { message: { content: string } }[] }).choices[0]?.message
        .content ?? '');
  return { status: response.status, cache: response.headers.get('x-switchyard-cache'), text };
}

describe.skipIf(replicaServicesMissing).each(sets)(
  'single-flight across replicas ($name cache store)',
  (entry) => {
    it('a burst of 6 identical concurrent requests over 3 replicas makes 1 upstream call', async () => {
      const { replicas } = entry.set!;
      const content = `Write a docstring #${randomUUID()} [[sim:tokens=40]] [[sim:ttft=400]]`;
      const before = upstreamCalls(replicas);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, index) => ask(replicas[index % 3]!, entry.secret, content)),
      );
      const calls = upstreamCalls(replicas) - before;
      process.stderr.write(
        `${entry.name} store: 6 identical requests over 3 replicas → ${calls} upstream call(s)\n`,
      );
      expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(new Set(results.map((result) => result.text)).size).toBe(1);
      expect(results.filter((result) => result.cache === 'miss')).toHaveLength(1);
      expect(calls).toBe(1);
    });

    it('stream joiners on other replicas get what was produced so far, then the rest', async () => {
      const { replicas } = entry.set!;
      const content = `Write a long comment #${randomUUID()} [[sim:tokens=60]] [[sim:tps=60]]`;
      const before = upstreamCalls(replicas);
      const leader = ask(replicas[0]!, entry.secret, content, true);
      // Join once the leader is well into its answer (60 tokens at 60/s: about a second).
      await new Promise((resolve) => setTimeout(resolve, 500));
      const joiners = await Promise.all([
        ask(replicas[1]!, entry.secret, content, true),
        ask(replicas[2]!, entry.secret, content, false),
      ]);
      const first = await leader;
      expect(first.cache).toBe('miss');
      expect(joiners.map((joiner) => joiner.cache)).toEqual(['shared', 'shared']);
      expect(joiners.map((joiner) => joiner.text)).toEqual([first.text, first.text]);
      expect(first.text.length).toBeGreaterThan(0);
      expect(upstreamCalls(replicas) - before).toBe(1);
    });
  },
);
