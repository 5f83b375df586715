import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';
import type { ConfigFile } from '../../src/config/schema.js';

const ADMIN_TOKEN = 'admin-token-feedback-0123456789';
const KEY_A = 'sk-key-a-0123456789abcdef';
const KEY_B = 'sk-key-b-0123456789abcdef';
const ENVIRONMENT = { TEST_ADMIN_TOKEN: ADMIN_TOKEN, KEY_A, KEY_B };
const OVERRIDES = {
  auth: { api_keys_env: ['KEY_A', 'KEY_B'] },
  admin: { token_env: 'TEST_ADMIN_TOKEN' },
  routing: {
    policies: {
      auto: { type: 'cost-optimal', quality_margin: 10 },
      cascade: {
        type: 'cascade',
        rungs: [['qwen2.5-coder-7b-instruct'], ['deepseek-chat'], ['gpt-4.1']],
      },
    },
  },
} as unknown as Partial<ConfigFile>;

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(OVERRIDES, ENVIRONMENT);
});
afterAll(() => gateway.close());

async function chat(
  key: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ id: string; model: string; status: number }> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  await response.text();
  return {
    id: response.headers.get('x-request-id')!,
    model: response.headers.get('x-switchyard-model') ?? '',
    status: response.status,
  };
}

async function feedback(
  token: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}/v1/feedback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const hello = (model: string, text = 'Write a Python hello world') => ({
  model,
  messages: [{ role: 'user', content: text }],
});

describe('POST /v1/feedback', () => {
  it('takes an outcome from the key that made the request or the admin token, and refuses others', async () => {
    const answered = await chat(KEY_A, hello('auto'));
    expect(answered.status).toBe(200);
    const other = await feedback(KEY_B, { request_id: answered.id, outcome: 'pass' });
    expect(other.status).toBe(403);
    expect((other.body.error as { code: string }).code).toBe('feedback_forbidden');
    const own = await feedback(KEY_A, {
      request_id: answered.id,
      outcome: 'pass',
      source: 'pytest',
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      request_id: answered.id,
      model: answered.model,
      bucket: 'python/general/s',
      score: 1,
    });
    expect((own.body.posterior as { evidence: number }).evidence).toBe(1);
    // A second feedback replaces the first; the admin token may send it.
    const admin = await feedback(ADMIN_TOKEN, { request_id: answered.id, outcome: 0.25 });
    expect(admin.status).toBe(200);
    expect((admin.body.posterior as { evidence: number }).evidence).toBe(1);
    const unknown = await feedback(KEY_A, { request_id: 'no-such-request', outcome: 'fail' });
    expect(unknown.status).toBe(404);
    expect((unknown.body.error as { code: string }).code).toBe('request_not_found');
    const bad = await feedback(KEY_A, { request_id: answered.id, outcome: 'great', extra: 1 });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { message: string }).message).toContain('extra');
    const badOutcome = await feedback(KEY_A, { request_id: answered.id, outcome: 2 });
    expect((badOutcome.body.error as { param: string }).param).toBe('outcome');
  });

  it('stores outcomes in the ledger, with the bucket on the request row, and rebuilds the model from them at start', async () => {
    const answered = await chat(KEY_A, hello('auto', 'Write a hello world program in Go'));
    await feedback(KEY_A, { request_id: answered.id, outcome: 'fail', reason: 'does not compile' });
    await gateway.ledger!.flush();
    const report = await gateway.ledger!.outcomeReport({ from: 0, to: Date.now() + 1000 });
    expect(report.some((row) => row.bucket === 'go/general/s' && row.passed === 0)).toBe(true);
    expect((await gateway.ledger!.findRequest(answered.id, 0))!.bucket).toBe('go/general/s');
    const restarted = await startTestGateway(
      { ...OVERRIDES, data_dir: gateway.config.dataDir },
      ENVIRONMENT,
    );
    try {
      const evidence = restarted.quality.evidence();
      expect(evidence.some((row) => row.bucket === 'go/general/s' && row.failures === 1)).toBe(
        true,
      );
      const sorted = (rows: typeof evidence) =>
        [...rows].sort((a, b) => `${a.key}${a.bucket}`.localeCompare(`${b.key}${b.bucket}`));
      expect(sorted(evidence)).toEqual(sorted(gateway.quality.evidence()));
    } finally {
      await restarted.close();
    }
  });
});

describe('implicit outcomes and the cascade', () => {
  it('a failure feedback sends the conversation one rung up; a retry header one more', async () => {
    const session = { 'x-switchyard-session': 'cascade-1' };
    const first = await chat(KEY_A, hello('cascade'), session);
    expect(first.model).toBe('qwen2.5-coder-7b-instruct');
    const failed = await feedback(KEY_A, { request_id: first.id, outcome: 'fail' });
    expect(failed.body.escalated_to_rung).toBe(2);
    const second = await chat(KEY_A, hello('cascade', 'Now in Go'), session);
    expect(second.model).toBe('deepseek-chat');
    const retried = await chat(KEY_A, hello('cascade', 'Now in Go'), {
      ...session,
      'x-switchyard-retry-of': second.id,
    });
    expect(retried.model).toBe('gpt-4.1');
    // Another session starts at the bottom again.
    expect(
      (await chat(KEY_A, hello('cascade'), { 'x-switchyard-session': 'cascade-2' })).model,
    ).toBe('qwen2.5-coder-7b-instruct');
    await gateway.ledger!.flush();
    const report = await gateway.ledger!.outcomeReport({ from: 0, to: Date.now() + 1000 });
    expect(report.some((row) => row.signal === 'retry' && row.model === 'deepseek-chat')).toBe(
      true,
    );
  });

  it('the same prompt again from the same key marks the earlier answer failed, unless the cache answers it', async () => {
    const cached = hello('auto', 'Write a Rust function that sorts a vector');
    await chat(KEY_B, cached);
    await chat(KEY_B, cached); // a cache hit: the same answer again, no retry
    const prompt = hello('auto', 'Write a Rust function that reverses a string');
    const first = await chat(KEY_B, prompt);
    await chat(KEY_B, prompt, { 'cache-control': 'no-cache' });
    await gateway.ledger!.flush();
    const report = await gateway.ledger!.outcomeReport({ from: 0, to: Date.now() + 1000 });
    expect(
      report.some(
        (row) =>
          row.signal === 'retry' && row.model === first.model && row.bucket === 'rust/general/s',
      ),
    ).toBe(true);
  });

  it("a failing test run in the tool result counts against the model's previous answer", async () => {
    const system = {
      role: 'system',
      content: 'You are a coding agent. Run the tests with the bash tool.',
    };
    const task = { role: 'user', content: 'Fix the failing test in tests/test_parse.py' };
    const tools = [
      {
        type: 'function',
        function: {
          name: 'bash',
          parameters: { type: 'object', properties: { command: { type: 'string' } } },
        },
      },
    ];
    const first = await chat(KEY_A, { model: 'cascade', messages: [system, task], tools });
    expect(first.status).toBe(200);
    const second = await chat(KEY_A, {
      model: 'cascade',
      tools,
      messages: [
        system,
        task,
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'bash', arguments: '{"command":"pytest"}' },
            },
          ],
        },
        {
          role: 'tool',
          tool_call_id: 'call_1',
          content:
            'FAILED tests/test_parse.py::test_dates - AssertionError\n=== 1 failed, 4 passed in 0.31s ===',
        },
      ],
    });
    expect(second.status).toBe(200);
    expect(second.model).toBe('deepseek-chat');
    await gateway.ledger!.flush();
    const report = await gateway.ledger!.outcomeReport({ from: 0, to: Date.now() + 1000 });
    expect(report.some((row) => row.signal === 'tool-result' && row.model === first.model)).toBe(
      true,
    );
  });
});

describe('GET /admin/outcomes', () => {
  const outcomes = async (query = 'window=1h', token = ADMIN_TOKEN) => {
    const response = await fetch(`${gateway.url}/admin/outcomes?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    // biome-ignore lint/suspicious/noExplicitAny: the test reads fields of the JSON answer
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it('records the executor escalating away from invalid JSON, and a cascade rung raise', async () => {
    const session = { 'x-switchyard-session': 'outcomes-json' };
    const before = (await outcomes()).body.escalations;
    const answered = await chat(
      KEY_B,
      {
        model: 'cascade',
        response_format: { type: 'json_object' },
        messages: [{ role: 'user', content: 'Reply in json [[sim:fault=malformed]]' }],
      },
      session,
    );
    expect(answered.status).toBe(502);
    await gateway.ledger!.flush();
    const { body } = await outcomes();
    const json = body.escalations.data.filter(
      (row: { kind: string }) => row.kind === 'structured-output',
    );
    // Two invalid answers per model, then the next rung's model; none left after the last.
    expect(json.map((row: { model: string; target: string }) => [row.model, row.target])).toEqual([
      ['deepseek-chat', 'sim-openai/gpt-4.1'],
      ['gpt-4.1', null],
      ['qwen2.5-coder-7b-instruct', 'sim-deepseek/deepseek-chat'],
    ]);
    expect(body.escalations.structured_output - before.structured_output).toBe(3);
    // The cascade conversation went up a rung too.
    expect(body.escalations.cascade - before.cascade).toBe(1);
  });

  it('answers the counts the ledger holds, per deployment, bucket and signal, with escalations and the newest outcomes', async () => {
    const now = Date.now();
    const report = await gateway.ledger!.outcomeReport({ from: now - 3_600_000, to: now + 1000 });
    const escalations = await gateway.ledger!.escalationReport({
      from: now - 3_600_000,
      to: now + 1000,
    });
    const { status, body } = await outcomes();
    expect(status).toBe(200);
    const total = report.reduce((sum, row) => sum + row.outcomes, 0);
    expect(body.totals.outcomes).toBe(total);
    expect(body.totals.passed + body.totals.failed).toBe(total);
    expect(body.data).toHaveLength(report.length);
    // Explicit feedback and each implicit signal the earlier tests caused, apart.
    const signals = body.signals.map((row: { signal: string }) => row.signal);
    expect(signals).toEqual(
      expect.arrayContaining(['feedback', 'retry', 'tool-result', 'structured-output']),
    );
    expect(body.signals.find((row: { signal: string }) => row.signal === 'feedback').explicit).toBe(
      true,
    );
    // The first cascade test: a failure feedback on the bottom rung raised it to rung 2.
    expect(body.escalations.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'cascade',
          model: 'qwen2.5-coder-7b-instruct',
          target: 'rung 2',
        }),
        expect.objectContaining({ kind: 'cascade', model: 'deepseek-chat', target: 'rung 3' }),
      ]),
    );
    expect(body.escalations.total).toBe(escalations.reduce((sum, row) => sum + row.escalations, 0));
    expect(body.escalations.cascade + body.escalations.structured_output).toBe(
      body.escalations.total,
    );
    expect(body.recent.length).toBe(Math.min(20, total));
    expect(body.recent[0].recorded_at >= body.recent.at(-1).recorded_at).toBe(true);
    expect((await outcomes('window=1h&limit=2')).body.recent).toHaveLength(2);
    expect((await outcomes('window=1h', KEY_A)).status).toBe(401);
    expect((await outcomes('window=nonsense')).status).toBe(400);
  });
});
