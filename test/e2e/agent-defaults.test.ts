import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeCodeRequest, opencodeRequest } from '../helpers/agent-requests.js';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('agent CLIs with no flags, against the embedded defaults', () => {
  it("answers Claude Code's default model name through auto and names the model that served", async () => {
    const response = await post(
      '/v1/messages',
      claudeCodeRequest('Write a Python function that reverses a string', {
        maxTokens: 4_096,
        stream: false,
      }),
      { 'anthropic-version': '2023-06-01' },
    );
    expect(response.status).toBe(200);
    const served = response.headers.get('x-switchyard-model')!;
    expect(served).not.toBe('claude-opus-4-8');
    expect(response.headers.get('x-switchyard-route')).toMatch(
      /^claude-opus-4-8 = auto cost-optimal -> /,
    );
    const body = (await response.json()) as { model: string; content: Array<{ type: string }> };
    expect(['text', 'tool_use']).toContain(body.content[0]!.type);
    expect(gateway.simulator!.recentRequests().at(-1)!.body).toMatchObject({ model: served });
  });

  it("answers `--model sonnet` (claude-sonnet-5) and Codex CLI's gpt-5-codex the same way", async () => {
    for (const [path, body] of [
      [
        '/v1/messages',
        claudeCodeRequest('Rename this variable', {
          model: 'claude-sonnet-5',
          maxTokens: 2_048,
          stream: false,
        }),
      ],
      [
        '/v1/chat/completions',
        {
          ...opencodeRequest('Rename this variable', { model: 'gpt-5-codex', maxTokens: 2_048 }),
          stream: false,
        },
      ],
    ] as const) {
      const response = await post(path, body);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('x-switchyard-route')).toContain(' = auto cost-optimal -> ');
    }
  });

  it("still refuses a name no alias or pattern covers, in the client's dialect", async () => {
    const response = await post(
      '/v1/messages',
      claudeCodeRequest('hi', { model: 'mistral-large-latest', stream: false }),
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
  });
});
