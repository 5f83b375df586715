import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderSettings } from '../core/provider.js';
import { createAdapter, createProviderDispatcher } from './create-adapter.js';
import { DEFAULT_QUIRKS, PROVIDER_PRESETS, resolveQuirks } from './presets.js';

let server: Server;
let origin = '';
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request.headers);
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        request.url?.endsWith('/messages')
          ? JSON.stringify({
              id: 'msg',
              model: 'c',
              content: [{ type: 'text', text: 'ok' }],
              stop_reason: 'end_turn',
            })
          : JSON.stringify({
              id: 'x',
              model: 'm',
              created: 1,
              choices: [{ index: 0, message: { content: 'ok' }, finish_reason: 'stop' }],
            }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const base = (overrides: Partial<ProviderSettings>): ProviderSettings => ({
  id: 'p',
  wire: 'openai-compatible',
  baseUrl: `${origin}/v1`,
  headers: {},
  quirks: resolveQuirks(),
  ...overrides,
});

const context = () => ({
  upstreamModel: 'm',
  signal: new AbortController().signal,
  requestId: 'rid',
});
const hello = {
  kind: 'chat' as const,
  model: 'm',
  stream: false,
  messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }],
};

describe('createAdapter', () => {
  it('picks the adapter by wire and exposes completions only with the quirk', () => {
    const pool = createProviderDispatcher(origin);
    const plain = createAdapter(base({}), pool);
    expect(plain.wire).toBe('openai-compatible');
    expect(plain.complete).toBeUndefined();
    expect(plain.streamComplete).toBeUndefined();
    const withCompletions = createAdapter(
      base({ quirks: resolveQuirks({ completions: true }) }),
      pool,
    );
    expect(typeof withCompletions.complete).toBe('function');
    const anthropic = createAdapter(base({ wire: 'anthropic' }), pool);
    expect(anthropic.wire).toBe('anthropic');
    expect(anthropic.complete).toBeUndefined();
    const responses = createAdapter(base({ wire: 'openai-responses' }), pool);
    expect(responses.wire).toBe('openai-responses');
    expect(typeof responses.embed).toBe('function');
  });

  it('sends no credentials without a key, lower-cases extra headers, keeps protocol headers', async () => {
    seen.length = 0;
    const adapter = createAdapter(
      base({
        headers: {
          'X-Title': 'Switchyard',
          'Content-Type': 'text/plain',
          'HTTP-Referer': 'https://example.test',
        },
      }),
      createProviderDispatcher(origin),
    );
    await adapter.chat(hello, context());
    expect(seen[0]).toMatchObject({
      'x-title': 'Switchyard',
      'content-type': 'application/json',
      'http-referer': 'https://example.test',
    });
    expect(seen[0]).not.toHaveProperty('authorization');
    await adapter.close();
    await adapter.close();
  });

  it('sends x-api-key and the configured anthropic-version', async () => {
    seen.length = 0;
    const adapter = createAdapter(
      base({ wire: 'anthropic', apiKey: 'sk-ant-test', anthropicVersion: '2024-01-01' }),
      createProviderDispatcher(origin),
    );
    const response = await adapter.chat(hello, context());
    expect(response.choices[0]?.text).toBe('ok');
    expect(seen[0]).toMatchObject({
      'x-api-key': 'sk-ant-test',
      'anthropic-version': '2024-01-01',
    });
    expect(seen[0]).not.toHaveProperty('authorization');
    await adapter.close();
  });

  it('rejects (does not throw synchronously) on encoding errors', async () => {
    const adapter = createAdapter(
      base({ quirks: resolveQuirks({ noMultipleChoices: true }) }),
      createProviderDispatcher(origin),
    );
    const call = adapter.chat({ ...hello, n: 4 }, context());
    expect(call).toBeInstanceOf(Promise);
    await expect(call).rejects.toMatchObject({ code: 'unsupported' });
    await adapter.close();
  });
});

describe('createProviderDispatcher', () => {
  it('returns a Pool bound to the base URL origin', async () => {
    const pool = createProviderDispatcher('https://api.example.test/v1/', { connections: 4 });
    expect(pool).toBeInstanceOf(Pool);
    await pool.close();
  });
});

describe('presets', () => {
  it('fills quirks from the defaults', () => {
    expect(resolveQuirks({ noSeed: true, completions: undefined })).toEqual({
      ...DEFAULT_QUIRKS,
      noSeed: true,
    });
  });

  it('are all valid settings seeds with a source note', async () => {
    const ids = Object.keys(PROVIDER_PRESETS);
    for (const id of [
      'deepseek',
      'qwen',
      'mistral',
      'together',
      'fireworks',
      'groq',
      'openrouter',
      'openai',
      'anthropic',
      'vllm',
      'ollama',
      'llamacpp',
    ]) {
      expect(ids).toContain(id);
    }
    for (const [id, preset] of Object.entries(PROVIDER_PRESETS)) {
      const url = new URL(preset.baseUrl);
      expect(['http:', 'https:'], id).toContain(url.protocol);
      expect(preset.baseUrl.endsWith('/'), id).toBe(false);
      expect(preset.notes.length, id).toBeGreaterThan(20);
      expect(Object.keys(preset.quirks).sort(), id).toEqual(Object.keys(DEFAULT_QUIRKS).sort());
      const adapter = createAdapter(
        { id, wire: preset.wire, baseUrl: preset.baseUrl, headers: {}, quirks: preset.quirks },
        new Pool(url.origin),
      );
      expect(adapter.wire).toBe(preset.wire);
      await adapter.close();
    }
  });

  it('enable /completions only where the OpenAI-shaped endpoint exists at the base URL', () => {
    const withCompletions = Object.entries(PROVIDER_PRESETS)
      .filter(([, preset]) => preset.quirks.completions)
      .map(([id]) => id)
      .sort();
    expect(withCompletions).toEqual([
      'deepseek-beta',
      'fireworks',
      'llamacpp',
      'ollama',
      'openai',
      'openai-responses',
      'openrouter',
      'together',
      'vllm',
    ]);
  });
});
