import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;
let keyed: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway({ server: { body_limit: '64kb' } });
  keyed = await startTestGateway(
    { auth: { api_keys_env: ['TEST_CLIENT_KEY'] } },
    { TEST_CLIENT_KEY: 'sy-client-key-123' },
  );
});
afterAll(async () => {
  await gateway.close();
  await keyed.close();
});

interface RawAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function post(
  base: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const response = await fetch(`${base}${path}`, {
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

function upstreamCalls(target: TestGateway): number {
  return target.simulator!.stats().requests;
}

const CHAT = '/v1/chat/completions';
const MESSAGES = '/v1/messages';

describe('bad input gets a clear error in the caller dialect and changes no state', () => {
  const cases: Array<{
    name: string;
    path: string;
    body: string;
    status: number;
    code?: string;
    param?: string;
  }> = [
    {
      name: 'malformed JSON (OpenAI)',
      path: CHAT,
      body: '{"model": "auto", "messages": [',
      status: 400,
      code: 'invalid_json',
    },
    { name: 'empty body', path: CHAT, body: '', status: 400, code: 'invalid_json' },
    {
      name: 'JSON that is not an object',
      path: CHAT,
      body: '[1,2]',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'missing messages',
      path: CHAT,
      body: '{"model":"auto"}',
      status: 400,
      code: 'invalid_request',
      param: 'messages',
    },
    {
      name: 'wrong type for model',
      path: CHAT,
      body: '{"model":42,"messages":[{"role":"user","content":"x"}]}',
      status: 400,
      code: 'invalid_request',
      param: 'model',
    },
    {
      name: 'bad role',
      path: CHAT,
      body: '{"model":"auto","messages":[{"role":"wizard","content":"x"}]}',
      status: 400,
      code: 'invalid_request',
      param: 'messages[0].role',
    },
    {
      name: 'n out of range',
      path: CHAT,
      body: '{"model":"auto","n":0,"messages":[{"role":"user","content":"x"}]}',
      status: 400,
      code: 'invalid_request',
      param: 'n',
    },
    {
      name: 'unknown model',
      path: CHAT,
      body: '{"model":"nope","messages":[{"role":"user","content":"x"}]}',
      status: 404,
      code: 'model_not_found',
      param: 'model',
    },
    {
      name: 'token-array prompt',
      path: '/v1/completions',
      body: '{"model":"deepseek-chat","prompt":[1,2,3]}',
      status: 400,
      code: 'invalid_request',
      param: 'prompt',
    },
  ];
  for (const testCase of cases) {
    it(`${testCase.name} → ${testCase.status}`, async () => {
      const before = upstreamCalls(gateway);
      const answer = await post(gateway.url, testCase.path, testCase.body);
      expect(answer.status).toBe(testCase.status);
      const error = answer.body.error as Record<string, unknown>;
      expect(typeof error.message).toBe('string');
      expect(error.type).toBe(
        testCase.status === 404 ? 'invalid_request_error' : 'invalid_request_error',
      );
      if (testCase.code) expect(error.code).toBe(testCase.code);
      if (testCase.param) expect(error.param).toBe(testCase.param);
      expect(answer.headers.get('x-request-id')).toBeTruthy();
      expect(upstreamCalls(gateway)).toBe(before);
    });
  }

  it('Anthropic-shaped errors on /v1/messages', async () => {
    const malformed = await post(gateway.url, MESSAGES, '{"model":');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('JSON') },
    });
    const wrongType = await post(
      gateway.url,
      MESSAGES,
      '{"model":"auto","max_tokens":"ten","messages":[{"role":"user","content":"x"}]}',
    );
    expect(wrongType.status).toBe(400);
    expect((wrongType.body.error as { message: string }).message).toContain('max_tokens');
    const unknown = await post(
      gateway.url,
      MESSAGES,
      '{"model":"nope","max_tokens":5,"messages":[{"role":"user","content":"x"}]}',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('a body over the limit → 413, by Content-Length and when streamed in chunks', async () => {
    const big = JSON.stringify({
      model: 'auto',
      messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }],
    });
    const before = upstreamCalls(gateway);
    const declared = await post(gateway.url, CHAT, big);
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ error: { code: 'body_too_large' } });
    const anthropic = await post(gateway.url, MESSAGES, big);
    expect(anthropic.status).toBe(413);
    expect(anthropic.body).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });

    const chunked = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        `${gateway.url}${CHAT}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      for (let offset = 0; offset < big.length; offset += 8192)
        request.write(big.slice(offset, offset + 8192));
      request.end();
    });
    expect(chunked).toBe(413);
    expect(upstreamCalls(gateway)).toBe(before);
  });

  it('unknown endpoint → 404, wrong method → 405 with Allow', async () => {
    const missing = await fetch(`${gateway.url}/v1/audio/speech`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    const wrongMethod = await fetch(`${gateway.url}${CHAT}`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it('a garbage HTTP request gets a 400 and the server keeps serving', async () => {
    const { connect } = await import('node:net');
    const url = new URL(gateway.url);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () =>
        socket.write('THIS IS NOT HTTP\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    const health = await fetch(`${gateway.url}/health`);
    expect(health.status).toBe(200);
  });
});

describe('client API keys', () => {
  const body = '{"model":"auto","messages":[{"role":"user","content":"hi"}]}';
  it('rejects a missing or wrong key with 401 in both dialects, without calling upstream', async () => {
    const before = upstreamCalls(keyed);
    const none = await post(keyed.url, CHAT, body);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({
      error: { type: 'authentication_error', code: 'unauthorized' },
    });
    const wrong = await post(
      keyed.url,
      MESSAGES,
      '{"model":"auto","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}',
      { 'x-api-key': 'wrong-key-999' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const models = await fetch(`${keyed.url}/v1/models`);
    expect(models.status).toBe(401);
    expect(upstreamCalls(keyed)).toBe(before);
  });

  it('accepts the key as a bearer token or x-api-key', async () => {
    expect(
      (await post(keyed.url, CHAT, body, { authorization: 'Bearer sy-client-key-123' })).status,
    ).toBe(200);
    expect(
      (
        await post(
          keyed.url,
          MESSAGES,
          '{"model":"auto","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}',
          { 'x-api-key': 'sy-client-key-123' },
        )
      ).status,
    ).toBe(200);
  });
});
