import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigFile } from '../../src/config/schema.js';
import {
  adminCall,
  eventually,
  type ReplicaSet,
  replicaServicesMissing,
  startReplicaSet,
} from '../helpers/replica-set.js';
import type { TestGateway } from '../helpers/test-gateway.js';

/**
 * The learning loop across replicas on the real Redis and PostgreSQL: feedback that reaches
 * another replica before the ledger row is written, and a replica started after a cascade raise.
 * The ledger flushes once a minute here, so no replica can find a request in the ledger.
 */
const OVERRIDES = {
  ledger: { database_url_env: 'TEST_DATABASE_URL', flush_interval_ms: 60_000 },
  routing: {
    policies: {
      cascade: {
        type: 'cascade',
        rungs: [['qwen2.5-coder-7b-instruct'], ['deepseek-chat'], ['gpt-4.1']],
      },
    },
  },
} as unknown as Partial<ConfigFile>;

let set: ReplicaSet | undefined;
let secret = '';

beforeAll(async () => {
  if (replicaServicesMissing) return;
  set = await startReplicaSet(2, OVERRIDES);
  const created = await adminCall(set.replicas[0]!, 'POST', '/admin/keys', {
    name: `learning-${randomUUID()}`,
  });
  secret = created.key as string;
  for (const replica of set.replicas)
    await eventually(async () => (await ask(replica, `warm-${randomUUID()}`)).status === 200);
});

afterAll(() => set?.close());

async function ask(
  replica: TestGateway,
  session: string,
  text = 'Write a Python hello world',
): Promise<{ status: number; id: string; model: string }> {
  const response = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${secret}`,
      'content-type': 'application/json',
      'x-switchyard-session': session,
    },
    body: JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: text }] }),
  });
  await response.text();
  return {
    status: response.status,
    id: response.headers.get('x-request-id') ?? '',
    model: response.headers.get('x-switchyard-model') ?? '',
  };
}

async function feedback(
  replica: TestGateway,
  requestId: string,
  outcome: 'pass' | 'fail',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${replica.url}/v1/feedback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ request_id: requestId, outcome, source: 'test' }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.skipIf(replicaServicesMissing)('the learning loop across replicas', () => {
  it('takes feedback on another replica before the ledger row is written, and raises the conversation there too', async () => {
    const [first, second] = set!.replicas;
    const session = `s-${randomUUID()}`;
    const answered = await ask(first!, session);
    expect(answered.status).toBe(200);
    expect(answered.model).toBe('qwen2.5-coder-7b-instruct');
    const reported = await feedback(second!, answered.id, 'fail');
    expect(reported.status).toBe(200);
    expect(reported.body).toMatchObject({
      request_id: answered.id,
      model: 'qwen2.5-coder-7b-instruct',
      bucket: 'python/general/s',
      score: 0,
      escalated_to_rung: 2,
    });
    // The conversation's next request starts on rung 2 on either replica.
    expect((await ask(second!, session, 'Now in Go')).model).toBe('deepseek-chat');
    await eventually(
      async () => (await ask(first!, session, 'Now in Rust')).model === 'deepseek-chat',
    );
    // A second report of the same answer on the same replica replaces the first.
    const again = await feedback(second!, answered.id, 'pass');
    expect(again.status).toBe(200);
    expect(again.body.escalated_to_rung).toBeUndefined();
  });

  it('a replica started after a raise reads the conversation’s rung from the shared state', async () => {
    const [first] = set!.replicas;
    const session = `s-${randomUUID()}`;
    const answered = await ask(first!, session);
    expect(answered.model).toBe('qwen2.5-coder-7b-instruct');
    expect((await feedback(first!, answered.id, 'fail')).body.escalated_to_rung).toBe(2);
    const late = await set!.add();
    await eventually(async () => (await ask(late, `warm-${randomUUID()}`)).status === 200);
    expect((await ask(late, session, 'Now in Go')).model).toBe('deepseek-chat');
    // A conversation nobody raised still starts at the bottom there.
    expect((await ask(late, `s-${randomUUID()}`)).model).toBe('qwen2.5-coder-7b-instruct');
  });
});
