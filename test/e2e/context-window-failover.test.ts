import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * A prompt too long for a 128k-token model: the router already drops the deployments whose
 * context window cannot hold it (the executor's own context-length failover, for when the
 * upstream refuses a prompt the router's estimate let through, is covered in src/execution/).
 */
describe('context-window routing', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      server: { body_limit: '2mb' },
      models: {
        long: {
          deployments: [
            { provider: 'sim-deepseek', model: 'deepseek-chat' },
            { provider: 'sim-openai', model: 'gpt-4o-mini' },
            { provider: 'sim-mistral', model: 'codestral-latest' },
          ],
        },
      },
      routing: { default_model: 'long' },
    });
  });
  afterAll(() => gateway.close());

  it('sends a ~190k-token prompt straight to the 256k deployment and explains why the others lost', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const prompt = 'word '.repeat(150_000); // 750k characters ≈ 190k tokens: over 128k, under 256k
    const { response } = await client.chat.completions
      .create({ model: 'long', max_tokens: 50, messages: [{ role: 'user', content: prompt }] })
      .withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-mistral');
    expect(
      gateway.records
        .at(-1)!
        .attempts!.map((attempt) => [attempt.provider, attempt.errorCode ?? 'ok']),
    ).toEqual([['sim-mistral', 'ok']]);

    const explained = await fetch(`${gateway.url}/v1/route/explain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'long',
        max_tokens: 50,
        messages: [{ role: 'user', content: prompt }],
      }),
    });
    expect(explained.status).toBe(200);
    const plan = (await explained.json()) as {
      candidates: Array<{ provider: string; reason: string; rank?: number }>;
    };
    for (const provider of ['sim-deepseek', 'sim-openai']) {
      const candidate = plan.candidates.find((entry) => entry.provider === provider)!;
      expect(candidate.rank ?? null).toBeNull();
      expect(candidate.reason).toMatch(/context window/);
    }
  });
});
