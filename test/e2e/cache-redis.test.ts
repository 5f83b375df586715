import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/** The gateway with the Redis cache store: shared by replicas, and a miss (never a failure) when Redis is gone. */
const url = process.env.REDIS_URL;
if (!url && process.env.CI === 'true')
  throw new Error(
    'REDIS_URL is required under CI=true: the Redis cache tests cannot run without Redis.',
  );

const started: TestGateway[] = [];
afterAll(() => Promise.all(started.map((gateway) => gateway.close())));

async function ask(
  gateway: TestGateway,
  content: string,
): Promise<{ status: number; cache: string | null; text: string }> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content }] }),
  });
  return {
    status: response.status,
    cache: response.headers.get('x-switchyard-cache'),
    text: await response.text(),
  };
}

describe.skipIf(!url)('Redis cache store (REDIS_URL)', () => {
  it('lets a second replica serve what the first one stored', async () => {
    const prefix = `switchyard-test:${randomUUID()}:`;
    const config = {
      cache: { store: { type: 'redis' as const, key_prefix: prefix, timeout_ms: 500 } },
    };
    const one = await startTestGateway(config, { REDIS_URL: url! });
    const two = await startTestGateway(config, { REDIS_URL: url! });
    started.push(one, two);
    const prompt = `Write a test stub ${randomUUID()}`;
    const first = await ask(one, prompt);
    const second = await ask(two, prompt);
    expect(first.cache).toBe('miss');
    expect(second.cache).toBe('hit');
    expect(JSON.parse(second.text).choices[0].message.content).toBe(
      JSON.parse(first.text).choices[0].message.content,
    );
  });
});

describe.skipIf(!url)('single-flight with the Redis cache store on one replica', () => {
  it('makes one upstream call for six identical concurrent requests (the key is claimed before the Redis lookup)', async () => {
    const prefix = `switchyard-test:${randomUUID()}:`;
    const gateway = await startTestGateway(
      {
        simulator: { time_scale: 1 },
        cache: { store: { type: 'redis', key_prefix: prefix, timeout_ms: 500 } },
      },
      { REDIS_URL: url! },
    );
    started.push(gateway);
    for (let round = 0; round < 3; round += 1) {
      const before = gateway.simulator!.stats().requests;
      const prompt = `Write a docstring ${randomUUID()} [[sim:tokens=40]]`;
      const answers = await Promise.all(Array.from({ length: 6 }, () => ask(gateway, prompt)));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(answers.filter((answer) => answer.cache === 'miss')).toHaveLength(1);
      expect(gateway.simulator!.stats().requests - before).toBe(1);
    }
  });
});

describe('Redis cache store unreachable', () => {
  it('serves every request (as misses) when Redis refuses connections', async () => {
    const gateway = await startTestGateway(
      { cache: { store: { type: 'redis', timeout_ms: 50 } } },
      { REDIS_URL: 'redis://127.0.0.1:9' },
    );
    started.push(gateway);
    const prompt = `Docstring ${randomUUID()}`;
    const first = await ask(gateway, prompt);
    const second = await ask(gateway, prompt);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.cache, second.cache]).toEqual(['miss', 'miss']);
  });
});
