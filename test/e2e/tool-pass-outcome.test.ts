import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';
import type { ConfigFile } from '../../src/config/schema.js';

const ADMIN_TOKEN = 'admin-token-tool-pass-0123456789';
const KEY = 'sk-key-tool-pass-0123456789abcdef';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(
    {
      auth: { api_keys_env: ['KEY'] },
      admin: { token_env: 'TEST_ADMIN_TOKEN' },
    } as unknown as Partial<ConfigFile>,
    { TEST_ADMIN_TOKEN: ADMIN_TOKEN, KEY },
  );
});
afterAll(() => gateway.close());

async function chat(body: Record<string, unknown>): Promise<{ id: string; model: string }> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.text();
  expect(response.status).toBe(200);
  return {
    id: response.headers.get('x-request-id')!,
    model: response.headers.get('x-switchyard-model') ?? '',
  };
}

describe('a passing test run in the tool result', () => {
  it("counts as a pass of the model's previous answer, at half a failure's weight", async () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'bash',
          parameters: { type: 'object', properties: { command: { type: 'string' } } },
        },
      },
    ];
    const task = { role: 'user', content: 'Fix the failing test in tests/test_dates.py' };
    const first = await chat({ model: 'auto', messages: [task], tools });
    const toolCall = {
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: 'call_1',
          type: 'function',
          function: { name: 'bash', arguments: '{"command":"pytest -q"}' },
        },
      ],
    };
    await chat({
      model: 'auto',
      tools,
      messages: [
        task,
        toolCall,
        { role: 'tool', tool_call_id: 'call_1', content: '========= 6 passed in 0.41s =========' },
      ],
    });
    await gateway.ledger!.flush();
    const response = await fetch(`${gateway.url}/admin/outcomes?window=1h`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    // biome-ignore lint/suspicious/noExplicitAny: the test reads fields of the JSON answer
    const body = (await response.json()) as Record<string, any>;
    const outcome = body.recent.find((row: { request_id: string }) => row.request_id === first.id);
    expect(outcome).toMatchObject({
      signal: 'tool-result',
      score: 1,
      passed: true,
      source: 'pytest',
    });
    expect(outcome.deployment.endsWith(`/${first.model}`)).toBe(true);
    // The rebuild from the ledger weighs the inferred pass as the live model does: half an outcome.
    const evidence = await gateway.ledger!.outcomeEvidence(0);
    expect(evidence).toEqual([
      expect.objectContaining({ model: first.model, successes: 0.5, failures: 0 }),
    ]);
  });

  it('a zero exit of a command that is not a test or build records nothing', async () => {
    const before = await gateway.ledger!.recentOutcomes({ from: 0, to: Date.now() + 1000 });
    const task = { role: 'user', content: 'List the files of the repository' };
    await chat({ model: 'auto', messages: [task] });
    await chat({
      model: 'auto',
      messages: [
        task,
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_ls',
              type: 'function',
              function: { name: 'bash', arguments: '{"command":"ls"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_ls', content: 'README.md\nsrc\nexit code 0' },
      ],
      tools: [{ type: 'function', function: { name: 'bash', parameters: { type: 'object' } } }],
    });
    await gateway.ledger!.flush();
    const after = await gateway.ledger!.recentOutcomes({ from: 0, to: Date.now() + 1000 });
    expect(after.length).toBe(before.length);
  });
});
