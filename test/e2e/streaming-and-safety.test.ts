import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/start-simulator.js';
import type { RunningSimulator } from '../../src/sim/sim-types.js';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function chatBody(model: string, content: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ model, messages: [{ role: 'user', content }], ...extra });
}

describe('stream relay', () => {
  it('relays chunks as they arrive: the client sees content while the upstream is still stalled', async () => {
    const controller = new AbortController();
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chatBody('gpt-4o-mini', 'stall after a few chunks [[sim:fault=stall]]', {
        stream: true,
      }),
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    while (!/"content":"[^"]/.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended; it should be stalled');
      text += new TextDecoder().decode(value);
    }
    // The upstream has not finished (it is stalled) yet the client already has content.
    expect(gateway.simulator!.stats().inFlight).toBe(1);
    expect(text).not.toContain('[DONE]');
    controller.abort();
    await reader.cancel().catch(() => undefined);
    await waitFor(
      () => gateway.simulator!.stats().inFlight === 0,
      'the stalled upstream request to close',
    );
  });

  it('a client disconnect aborts the upstream call', async () => {
    const before = gateway.simulator!.stats().outcomes.client_closed ?? 0;
    const controller = new AbortController();
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'deepseek-chat',
        max_tokens: 500,
        stream: true,
        messages: [{ role: 'user', content: 'slow [[sim:tps=5]] [[sim:tokens=200]]' }],
      }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    expect(gateway.simulator!.stats().inFlight).toBe(1);
    controller.abort();
    await waitFor(() => gateway.simulator!.stats().inFlight === 0, 'the upstream request to close');
    expect(gateway.simulator!.stats().outcomes.client_closed ?? 0).toBe(before + 1);
  });

  it('a client disconnect during a non-streamed call aborts the upstream too', async () => {
    const controller = new AbortController();
    const pending = fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chatBody('gpt-4o-mini', 'never answers [[sim:fault=hang]]'),
      signal: controller.signal,
    }).catch(() => undefined);
    await waitFor(() => gateway.simulator!.stats().inFlight === 1, 'the upstream call to start');
    const recordPromise = gateway.nextRecord();
    controller.abort();
    await pending;
    await waitFor(() => gateway.simulator!.stats().inFlight === 0, 'the upstream request to close');
    expect((await recordPromise).errorCode).toBe('client_closed');
  });
});

describe('safety', () => {
  let decoy: ReturnType<typeof createServer>;
  let decoyHits = 0;
  let decoyUrl = '';
  beforeAll(async () => {
    decoy = createServer((_request, response) => {
      decoyHits += 1;
      response.end('{}');
    });
    await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
    decoyUrl = `http://127.0.0.1:${(decoy.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => decoy.close(() => resolve())));

  it('nothing a client sends can redirect the upstream call', async () => {
    const sneaky = {
      base_url: `${decoyUrl}/v1`,
      baseURL: `${decoyUrl}/v1`,
      api_base: `${decoyUrl}/v1`,
      url: decoyUrl,
      extra_headers: { host: decoyUrl },
      provider: { base_url: decoyUrl },
    };
    const headers = {
      'content-type': 'application/json',
      'x-forwarded-host': decoyUrl,
      'x-portkey-custom-host': decoyUrl,
      'x-upstream-url': decoyUrl,
      forwarded: `host=${decoyUrl}`,
    };
    // Body fields the chat dialect does not have are refused by name (docs/compatibility.md).
    const refused = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: chatBody('gpt-4o-mini', 'hello', sneaky),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { param: string } }).error.param).toBe('base_url');
    // Headers are not fields: the request is served, by the configured upstream only.
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: chatBody('gpt-4o-mini', 'hello'),
    });
    expect(response.status).toBe(200);
    expect(decoyHits).toBe(0);
    const upstream = gateway.simulator!.recentRequests().at(-1)!;
    expect(upstream.providerId).toBe('sim-openai');
    expect(upstream.headers['x-forwarded-host']).toBeUndefined();
  });

  it('a provider key rejected upstream never appears in the error, and the gateway says whose key failed', async () => {
    const simulator: RunningSimulator = await startSimulator({
      timeScale: 0,
      fleet: {
        providers: [
          {
            id: 'locked',
            wire: 'openai-compatible',
            apiKey: 'the-right-key',
            models: [
              {
                name: 'm1',
                ttftMs: 0,
                tokensPerSecond: 0,
                contextWindow: 8000,
                maxOutputTokens: 1000,
              },
            ],
          },
        ],
      },
    });
    const secret = 'sk-live-SUPERSECRET-0123456789';
    const locked = await startTestGateway(
      {
        providers: {
          locked: {
            type: 'openai-compatible',
            base_url: simulator.baseUrlFor('locked'),
            api_key_env: 'LOCKED_KEY',
          },
        },
        models: { m1: { deployments: [{ provider: 'locked' }] } },
        routing: { default_model: 'm1' },
        simulator: { enabled: false },
      },
      { LOCKED_KEY: secret },
    );
    try {
      const response = await fetch(`${locked.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: chatBody('m1', 'hi'),
      });
      const text = await response.text();
      expect(response.status).toBe(502);
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'upstream_auth' } });
      expect(text).toContain('locked');
      expect(text).not.toContain(secret);
      expect(text).not.toContain('SUPERSECRET');
    } finally {
      await locked.close();
      await simulator.close();
    }
  });
});
