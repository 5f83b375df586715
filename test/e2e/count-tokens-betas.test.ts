import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANTHROPIC_PRESET_BETAS } from '../../src/providers/presets.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * `anthropic-beta` on `POST /v1/messages/count_tokens` goes upstream by the provider's allow-list,
 * as on `/v1/messages`: here the `anthropic` preset (its list) in front of the simulator's Anthropic.
 */
let simulator: RunningSimulator;
let gateway: TestGateway;
beforeAll(async () => {
  simulator = await startSimulator({ timeScale: 0 });
  gateway = await startTestGateway({
    providers: {
      anthropic: {
        preset: 'anthropic',
        base_url: simulator.baseUrlFor('sim-anthropic'),
        api_key: 'sk-ant-test',
      },
    },
    models: { 'claude-sonnet-4-20250514': { deployments: [{ provider: 'anthropic' }] } },
    routing: {},
  });
});
afterAll(async () => {
  await gateway?.close();
  await simulator?.close();
});

function count(beta: string): Promise<Response> {
  return fetch(`${gateway.url}/v1/messages/count_tokens?beta=true`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': beta,
    },
    body: JSON.stringify({
      model: 'claude-sonnet-4-20250514',
      messages: [{ role: 'user', content: 'count me' }],
    }),
  });
}

describe('anthropic-beta on count_tokens', () => {
  it('forwards the betas on the preset allow-list to the upstream count', async () => {
    const betas = 'claude-code-20250219,token-counting-2024-11-01';
    expect(ANTHROPIC_PRESET_BETAS).toEqual(
      expect.arrayContaining(['claude-code-20250219', 'token-counting-2024-11-01']),
    );
    const response = await count(betas);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-token-count')).toBe('upstream');
    const upstream = simulator.recentRequests().at(-1)!;
    expect(upstream.path).toBe('/v1/messages/count_tokens');
    expect(upstream.headers['anthropic-beta']).toBe(betas);
  });

  it('refuses a beta off the allow-list by name, as /v1/messages does, without calling upstream', async () => {
    const before = simulator.recentRequests().length;
    const response = await count('no-such-beta-2099-01-01');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain('"no-such-beta-2099-01-01"');
    expect(body.error.message).toContain('anthropic_betas');
    expect(simulator.recentRequests().length).toBe(before);
  });
});
