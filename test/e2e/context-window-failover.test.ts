import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/** A prompt too long for a 128k-token model fails over past every deployment that is no larger. */
describe('context-length failover', () => {
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

  it('skips the deployment whose context window is not larger and answers from the 256k one', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const prompt = 'word '.repeat(150_000); // ≈ 150k tokens: over 128k, under 256k
    const { response } = await client.chat.completions.create({ model: 'long', max_tokens: 50, messages: [{ role: 'user', content: prompt }] }).withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-mistral');
    const attempts = gateway.records.at(-1)!.attempts!;
    expect(attempts.map((attempt) => [attempt.provider, attempt.errorCode ?? 'ok'])).toEqual([['sim-deepseek', 'context_length_exceeded'], ['sim-mistral', 'ok']]);
    expect(response.headers.get('x-switchyard-route')).toContain('sim-deepseek/long failover: context window too small');
  });
});
