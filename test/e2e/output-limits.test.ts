import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeCodeRequest, opencodeRequest } from '../helpers/agent-requests.js';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

async function post(target: TestGateway, path: string, body: unknown): Promise<Response> {
  return fetch(`${target.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('output limits as a routing constraint', () => {
  it("answers Claude Code's default request (claude-opus-4-8, max_tokens 32000, streamed) through auto on a deployment that fits", async () => {
    const response = await post(
      gateway,
      '/v1/messages',
      claudeCodeRequest('Write a Python function that reverses a string'),
    );
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('event: message_stop');
    expect(response.headers.get('x-switchyard-max-tokens-clamped')).toBeNull();
    expect(gateway.simulator!.recentRequests().at(-1)!.body).toMatchObject({ max_tokens: 32_000 });
  });

  it("answers opencode's default request (gpt-5, max_tokens 32000, streamed) through auto", async () => {
    const response = await post(
      gateway,
      '/v1/chat/completions',
      opencodeRequest('Write a Python function that reverses a string'),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('data: [DONE]');
    expect(response.headers.get('x-switchyard-route')).toMatch(/^gpt-5 = auto cost-optimal -> /);
  });

  it("clamps max_tokens to the only deployment's limit and says so in a header", async () => {
    const response = await post(gateway, '/v1/chat/completions', {
      model: 'deepseek-chat',
      max_tokens: 32_000,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-max-tokens-clamped')).toBe('8192');
    expect(gateway.simulator!.recentRequests().at(-1)!.body).toMatchObject({
      model: 'deepseek-chat',
      max_tokens: 8_192,
    });
  });

  it('shows the clamp in explain', async () => {
    const response = await post(gateway, '/v1/route/explain', {
      model: 'auto',
      max_tokens: 32_000,
      messages: [{ role: 'user', content: 'Rename this variable' }],
    });
    const explanation = (await response.json()) as {
      candidates: Array<{
        deployment: string;
        rank: number | null;
        max_tokens_clamped_to?: number;
        reason: string;
      }>;
    };
    const deepseek = explanation.candidates.find(
      (candidate) => candidate.deployment === 'sim-deepseek/deepseek-chat',
    )!;
    expect(deepseek.max_tokens_clamped_to).toBe(8_192);
    expect(deepseek.reason).toContain('ranked after the deployments that fit');
    expect(explanation.candidates[0]!.max_tokens_clamped_to).toBeUndefined();
  });
});
