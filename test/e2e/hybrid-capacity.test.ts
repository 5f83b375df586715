import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * Hybrid routing: one model on a self-hosted box (declared capacity, hourly cost, no token
 * price) and on an API deployment. The box is slow (about 800 ms to the first token, from the
 * simulator's own timing), so a burst saturates it: the router prefers it while it has room and
 * spills the rest to the API, and says why. Everything on loopback.
 */
const MODEL = 'qwen2.5-coder-7b-instruct';
const ADMIN = 'hybrid-admin-token-0123456789';
let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(
    {
      admin: { token_env: 'HYBRID_ADMIN' },
      providers: {
        // The box: the simulator's sim-mistral fleet member standing in for a vLLM server.
        box: { type: 'simulated', fleet_provider: 'sim-mistral' },
        'sim-qwen': { type: 'simulated' },
      },
      models: {
        [MODEL]: {
          deployments: [
            { provider: 'sim-qwen' },
            {
              provider: 'box',
              model: 'codestral-latest',
              capacity: { max_concurrency: 2, max_queue_ms: 100 },
              hourly_usd: 1.332,
            },
          ],
        },
      },
      routing: undefined,
      cache: { enabled: false },
    },
    { HYBRID_ADMIN: ADMIN },
  );
});
afterAll(() => gateway.close());

const chat = (content: string) =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content }] }),
  });
const explain = async () =>
  (await (
    await fetch(`${gateway.url}/v1/route/explain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
    })
  ).json()) as { attempts: string[]; candidates: Array<{ deployment: string; reason: string }> };
const capacity = async () =>
  (
    (await (
      await fetch(`${gateway.url}/admin/capacity`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).json()) as { data: Array<Record<string, unknown>> }
  ).data;

describe('hybrid routing to a self-hosted box', () => {
  it('prefers the box while it has room, spills to the API when it is saturated, and says why', async () => {
    // Idle box: it goes first, at zero marginal cost.
    const idle = await explain();
    expect(idle.attempts[0]).toBe(`box/${MODEL}`);
    const boxLine = idle.candidates.find((candidate) => candidate.deployment === `box/${MODEL}`)!;
    expect(boxLine.reason).toContain('self-hosted with capacity: 0/2 in flight');
    expect(boxLine.reason).toContain('$1.332/h paid either way');

    // A burst of 6 slow requests (800 ms to the first token).
    const burst = Array.from({ length: 6 }, (_, index) =>
      chat(`request ${index} [[sim:ttft=800]] [[sim:tokens=5]]`).then(async (response) => ({
        status: response.status,
        provider: response.headers.get('x-switchyard-provider'),
        cost: Number(response.headers.get('x-switchyard-cost-usd') ?? 'NaN'),
        body: await response.text(),
      })),
    );
    // While the box holds its two, the router says it is saturated and plans the API first.
    await expect
      .poll(async () => JSON.stringify(await capacity()), { timeout: 5000 })
      .toContain('"in_flight":2');
    const busy = await explain();
    expect(busy.attempts[0]).toBe(`sim-qwen/${MODEL}`);
    const saturated = busy.candidates.find((candidate) => candidate.deployment === `box/${MODEL}`)!;
    expect(saturated.reason).toContain('self-hosted and saturated: 2/2 in flight');
    expect(saturated.reason).toContain('spills to API deployments');

    const answers = await Promise.all(burst);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const onBox = answers.filter((answer) => answer.provider === 'box');
    const onApi = answers.filter((answer) => answer.provider === 'sim-qwen');
    // Never more than its capacity at once; the others spilled (at planning or after max_queue_ms).
    expect(onBox.length).toBe(2);
    expect(onApi.length).toBe(4);
    for (const answer of onBox) expect(answer.cost).toBe(0);
    for (const answer of onApi) expect(answer.cost).toBeGreaterThan(0);
    const [box] = await capacity();
    expect(box).toMatchObject({ deployment: `box/${MODEL}`, in_flight: 0, queued: 0, served: 2 });
    expect(box!.mean_service_ms as number).toBeGreaterThanOrEqual(700);

    // Room again: the box is first again (its measured service time says a slot is free now).
    const after = await chat('after the burst [[sim:tokens=5]]');
    expect(after.headers.get('x-switchyard-provider')).toBe('box');
  }, 30_000);
});
