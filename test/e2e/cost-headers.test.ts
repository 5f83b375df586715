import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

function post(
  path: string,
  body: unknown,
): Promise<{
  status: number;
  headers: Record<string, unknown>;
  trailers: Record<string, unknown>;
  text: string;
}> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${gateway.url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            trailers: response.trailers,
            text,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

describe('x-switchyard-cost-usd', () => {
  it('prices a JSON answer from the tokens the provider reported and the catalog price', async () => {
    const answer = await post('/v1/chat/completions', {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello [[sim:tokens=40]]' }],
    });
    expect(answer.status).toBe(200);
    const usage = (
      JSON.parse(answer.text) as { usage: { prompt_tokens: number; completion_tokens: number } }
    ).usage;
    const price = gateway.config.models.get('gpt-4o-mini')!.deployments[0]!.price!;
    const expected =
      (usage.prompt_tokens * price.inputPerMillion! +
        usage.completion_tokens * price.outputPerMillion!) /
      1e6;
    expect(Number(answer.headers['x-switchyard-cost-usd'])).toBeCloseTo(expected, 10);
    expect(expected).toBeGreaterThan(0);
    expect(answer.headers['x-switchyard-cache']).toBe('miss');
  });

  it('sends the cost of a stream as an HTTP trailer, and records it', async () => {
    const record = gateway.nextRecord();
    const answer = await post('/v1/messages', {
      model: 'claude-3-5-haiku-20241022',
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'hi [[sim:tokens=30]]' }],
    });
    expect(answer.headers.trailer).toBe('x-switchyard-cost-usd');
    const cost = Number(answer.trailers['x-switchyard-cost-usd']);
    expect(cost).toBeGreaterThan(0);
    const done = await record;
    expect(done.costUsd).toBeCloseTo(cost, 8);
    expect(done.usage?.outputTokens).toBe(30);
    expect(done.costEstimated).toBe(false);
  });

  it('says 0 on a request that never reached a provider', async () => {
    const answer = await post('/v1/chat/completions', {
      model: 'nope',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(answer.status).toBe(404);
    expect(answer.headers['x-switchyard-cost-usd']).toBe('0');
  });
});
