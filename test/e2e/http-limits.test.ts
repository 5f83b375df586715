import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';
import { rawExchange } from '../helpers/raw-http.js';

let gateway: TestGateway;
let tight: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway({
    server: {
      body_limit: '64kb',
      max_buffered_body: '64kb',
      request_timeout_ms: 1000,
      headers_timeout_ms: 500,
    },
  });
  tight = await startTestGateway({ server: { max_connections: 2 } });
});
afterAll(async () => {
  await gateway.close(100);
  await tight.close(100);
});

/** A JSON schema nested `levels` deep (each level is an object and its `properties`). */
function nestedSchema(levels: number): string {
  let schema = '{"type":"string"}';
  for (let level = 0; level < levels / 2; level++)
    schema = `{"type":"object","properties":{"a":${schema}}}`;
  return schema;
}

const user = '[{"role":"user","content":"hi"}]';

async function post(
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('bounded nesting', () => {
  it('a 3,000-level tool schema is a 400 naming the limit and the path, in both dialects (was a 500 from the cache key)', async () => {
    const chat = await post(
      '/v1/chat/completions',
      `{"model":"auto","messages":${user},"tools":[{"type":"function","function":{"name":"f","parameters":${nestedSchema(3000)}}}]}`,
    );
    expect(chat.status).toBe(400);
    const error = chat.body.error as { message: string; code: string; param: string };
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('limit of 64 levels (server.max_json_depth)');
    expect(error.param).toMatch(/^tools\[0\]\.function\.parameters\.properties\.a\./);
    expect(error.message).not.toContain('call stack');

    const messages = await post(
      '/v1/messages',
      `{"model":"auto","max_tokens":5,"messages":${user},"tools":[{"name":"f","input_schema":${nestedSchema(3000)}}]}`,
    );
    expect(messages.status).toBe(400);
    expect(messages.body).toMatchObject({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: expect.stringContaining('tools[0].input_schema.properties'),
      },
    });
  });

  it('deep tool_use input and response_format schemas are refused the same way; nesting within the limit is served', async () => {
    let input = '1';
    for (let level = 0; level < 6000; level++) input = `[${input}]`;
    const history = `[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{"x":${input}}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}]`;
    const toolUse = await post(
      '/v1/messages',
      `{"model":"auto","max_tokens":5,"messages":${history}}`,
      { 'cache-control': 'no-cache' },
    );
    expect(toolUse.status).toBe(400);
    const format = await post(
      '/v1/chat/completions',
      `{"model":"auto","messages":${user},"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${nestedSchema(2000)}}}}`,
    );
    expect(format.status).toBe(400);
    expect((format.body.error as { message: string }).message).not.toContain('call stack');
    const fine = await post(
      '/v1/chat/completions',
      `{"model":"auto","messages":${user},"tools":[{"type":"function","function":{"name":"f","parameters":${nestedSchema(40)}}}]}`,
    );
    expect(fine.status).toBe(200);
  });
});

describe('HTTP-level errors in the dialect of the path', () => {
  it('malformed framing on /v1/messages → a 400 in the Anthropic shape', async () => {
    const reply = await rawExchange(gateway.url, [
      'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n',
    ]);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: expect.stringContaining('Malformed HTTP request'),
      },
    });
    const openai = await rawExchange(gateway.url, [
      'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n',
    ]);
    expect(openai.body).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_request' },
    });
  });

  it('oversized headers on /v1/messages → 431 in the Anthropic shape', async () => {
    const reply = await rawExchange(
      gateway.url,
      [
        `POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-big: ${'a'.repeat(20_000)}\r\nContent-Length: 2\r\n\r\n{}`,
      ],
      { untilClose: true },
    );
    expect(reply.status).toBe(431);
    expect(reply.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(reply.closedAfterMs).toBeDefined();
  });

  it('no Host header, or an unknown Expect, → an error with a body in the dialect (Node answered both with an empty body)', async () => {
    const noHost = await rawExchange(gateway.url, [
      'POST /v1/messages HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    ]);
    expect(noHost.status).toBe(400);
    expect(noHost.body).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('Host') },
    });
    const expectation = await rawExchange(gateway.url, [
      'POST /v1/messages HTTP/1.1\r\nHost: x\r\nExpect: fancy\r\nContent-Length: 2\r\n\r\n{}',
    ]);
    expect(expectation.status).toBe(417);
    expect(expectation.body).toMatchObject({
      type: 'error',
      error: { message: expect.stringContaining('Expect') },
    });
  });

  it('a malformed header in a later packet than the request line → the Anthropic shape on /v1/messages', async () => {
    // Node's rawPacket is only the packet that failed to parse: here it holds no request line.
    const reply = await rawExchange(
      gateway.url,
      ['POST /v1/messages HTTP/1.1\r\nHost: x\r\n', 'Broken header\r\n\r\n'],
      { gapMs: 50 },
    );
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('Malformed') },
    });
  });

  it('found by the fuzz suite: a malformed method and an absolute-form target on /v1/messages are answered in the Anthropic shape', async () => {
    const anthropic = { type: 'error', error: { type: expect.any(String) } };
    const method = await rawExchange(gateway.url, [
      'P@ST /v1/messages HTTP/1.1\r\nHost: x\r\n\r\n',
    ]);
    expect(method.status).toBe(400);
    expect(method.body).toMatchObject(anthropic);
    // An absolute-form target names the same endpoint (HTTP/1.1 servers must accept it).
    const absolute = await rawExchange(gateway.url, [
      'POST http://gateway.example/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    ]);
    expect(absolute.status).toBe(400);
    expect(absolute.body).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('model') },
    });
  });
});

describe('timeouts that bite', () => {
  it('a body that never completes → 408 in the dialect, the connection closed within the timeout + 1 s', async () => {
    const reply = await rawExchange(
      gateway.url,
      [
        'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"model":',
      ],
      { waitMs: 6000, untilClose: true },
    );
    expect(reply.status).toBe(408);
    expect(reply.body).toMatchObject({
      type: 'error',
      error: { type: 'timeout_error', message: expect.stringContaining('request_timeout_ms') },
    });
    expect(reply.closedAfterMs).toBeLessThan(1000 + 1000);
    const record = gateway.records.findLast((entry) => entry.path === '/v1/messages');
    expect(record).toMatchObject({ status: 408, errorCode: 'request_timeout' });
  });

  it('headers that never complete on a fresh connection → 408 in the dialect of the path, closed within the headers timeout + 1 s', async () => {
    // Request line and part of the headers, trickled, never finished: Node's parser holds the
    // path, so the gateway reads it from the bytes it captured when they arrived.
    const [anthropic, openai] = await Promise.all(
      ['/v1/messages', '/v1/chat/completions'].map((path) =>
        rawExchange(gateway.url, [`POST ${path} HTTP/1.1\r\n`, 'Host: x\r\n', 'X-Slow: a'], {
          waitMs: 6000,
          gapMs: 50,
          untilClose: true,
        }),
      ),
    );
    expect(anthropic!.status).toBe(408);
    expect(anthropic!.body).toEqual({
      type: 'error',
      error: { type: 'timeout_error', message: expect.stringContaining('headers_timeout_ms') },
    });
    expect(anthropic!.closedAfterMs).toBeLessThan(500 + 1000);
    expect(openai!.status).toBe(408);
    expect(openai!.body).toMatchObject({
      error: {
        type: 'invalid_request_error',
        code: 'request_timeout',
        message: expect.stringContaining('headers_timeout_ms'),
      },
    });
    expect(openai!.body).not.toHaveProperty('type');
    expect(openai!.closedAfterMs).toBeLessThan(500 + 1000);
  });

  it('on a keep-alive connection, the next request whose headers never finish → 408 in the dialect of its own path', async () => {
    const reply = await rawExchange(
      gateway.url,
      [
        'GET /health HTTP/1.1\r\nHost: x\r\n\r\n',
        'POST /v1/messages HTTP/1.1\r\nHost: x\r\n',
        'X-Slow: a',
      ],
      { waitMs: 6000, gapMs: 100, untilClose: true },
    );
    expect(reply.status).toBe(200);
    const second = reply.text.slice(reply.text.indexOf('HTTP/1.1', 1));
    expect(second).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4))).toMatchObject({
      type: 'error',
      error: { type: 'timeout_error' },
    });
  });

  it('an anthropic-version header among headers that never complete → 408 in the Anthropic shape', async () => {
    const reply = await rawExchange(
      gateway.url,
      ['POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n', 'anthropic-version: 2023-06-01\r\n'],
      { waitMs: 6000, gapMs: 50, untilClose: true },
    );
    expect(reply.status).toBe(408);
    expect(reply.body).toMatchObject({ type: 'error', error: { type: 'timeout_error' } });
  });
});

describe('caps on connections and buffered bytes', () => {
  it('over server.max_connections → 503 overloaded with Retry-After, in the dialect', async () => {
    const url = new URL(tight.url);
    const held: Socket[] = [];
    for (let index = 0; index < 2; index++) {
      held.push(
        await new Promise<Socket>((resolve) => {
          const socket = connect(Number(url.port), url.hostname, () => resolve(socket));
        }),
      );
    }
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const response = await fetch(`${tight.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"model":"auto","max_tokens":5,"messages":${user}}`,
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toMatchObject({
        type: 'error',
        error: { type: 'overloaded_error' },
      });
    } finally {
      for (const socket of held) socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await fetch(`${tight.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: `{"model":"auto","messages":${user}}`,
    });
    expect(after.status).toBe(200);
  });

  it('over server.max_buffered_body across requests → 503 overloaded with Retry-After; served again once the bytes are released', async () => {
    const url = new URL(gateway.url);
    const holder = await new Promise<Socket>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => resolve(socket));
    });
    holder.on('error', () => {});
    holder.write(
      'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{"model":',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] }),
    );
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toMatchObject({ error: { code: 'overloaded' } });
    holder.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const served = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] }),
    );
    expect(served.status).toBe(200);
  });

  it('/ready reports ready while serving', async () => {
    const ready = await fetch(`${gateway.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});
