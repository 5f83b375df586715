import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdapter, createProviderDispatcher } from '../../src/providers/create-adapter.js';
import { PROVIDER_PRESETS, resolveQuirks } from '../../src/providers/presets.js';
import { GatewayError } from '../../src/core/errors.js';
import type { ProviderSettings } from '../../src/core/provider.js';
import type { ChatRequest } from '../../src/core/request.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Server[] = [];

async function startServer(handler: Handler): Promise<{ origin: string; closed: Promise<void> }> {
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const server = createServer((request, response) => {
    request.socket.on('close', markClosed);
    handler(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, closed };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function settings(wire: ProviderSettings['wire'], baseUrl: string): ProviderSettings {
  return {
    id: `test-${wire}`,
    wire,
    baseUrl,
    apiKey: 'sk-connection-test',
    headers: {},
    quirks:
      wire === 'anthropic' ? resolveQuirks(PROVIDER_PRESETS['anthropic']?.quirks) : resolveQuirks(),
  };
}

const chatRequest: ChatRequest = {
  kind: 'chat',
  model: 'm',
  stream: true,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
};

const openAIChunk = `data: ${JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }],
})}\n\n`;

/** Resolves with how long the promise took, failing after `limitMs`. */
async function within<T>(promise: Promise<T>, limitMs: number): Promise<number> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not within ${limitMs} ms`)), limitMs);
    }),
  ]);
  clearTimeout(timer);
  return Date.now() - started;
}

function streamingHandler(first: string): Handler {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(first);
    // …and never finish: only the client can end this call.
  };
}

describe('client abort', () => {
  it('closes the upstream connection promptly while streaming (openai-compatible)', async () => {
    const { origin, closed } = await startServer(streamingHandler(openAIChunk));
    const adapter = createAdapter(
      settings('openai-compatible', `${origin}/v1`),
      createProviderDispatcher(origin),
    );
    const controller = new AbortController();
    const stream = await adapter.streamChat(chatRequest, {
      upstreamModel: 'm',
      signal: controller.signal,
      requestId: 'r1',
    });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'start' });
    expect((await iterator.next()).value).toMatchObject({ type: 'text-delta', text: 'Hel' });
    const pending = iterator.next();
    controller.abort();
    await expect(pending).rejects.toMatchObject({
      code: 'client_closed',
      provider: 'test-openai-compatible',
    });
    await within(closed, 1000);
    await adapter.close();
  });

  it('closes the upstream connection while streaming (anthropic)', async () => {
    const first =
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"claude","usage":{"input_tokens":1}}}\n\n';
    const { origin, closed } = await startServer(streamingHandler(first));
    const adapter = createAdapter(
      settings('anthropic', `${origin}/v1`),
      createProviderDispatcher(origin),
    );
    const controller = new AbortController();
    const stream = await adapter.streamChat(chatRequest, {
      upstreamModel: 'm',
      signal: controller.signal,
      requestId: 'r2',
    });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'start', id: 'msg_1' });
    const pending = iterator.next();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'client_closed' });
    await within(closed, 1000);
    await adapter.close();
  });

  it('closes the upstream connection when the consumer stops iterating early', async () => {
    const { origin, closed } = await startServer(streamingHandler(openAIChunk));
    const adapter = createAdapter(
      settings('openai-compatible', `${origin}/v1`),
      createProviderDispatcher(origin),
    );
    const stream = await adapter.streamChat(chatRequest, {
      upstreamModel: 'm',
      signal: new AbortController().signal,
      requestId: 'r3',
    });
    for await (const part of stream) if (part.type === 'text-delta') break;
    await within(closed, 1000);
    await adapter.close();
  });

  it('aborts a call still waiting for headers and rethrows a GatewayError reason as is', async () => {
    const { origin, closed } = await startServer(() => undefined);
    const adapter = createAdapter(
      settings('openai-compatible', `${origin}/v1`),
      createProviderDispatcher(origin),
    );
    const controller = new AbortController();
    const reason = new GatewayError('upstream_timeout', 'gateway deadline passed');
    const call = adapter.chat(
      { ...chatRequest, stream: false },
      { upstreamModel: 'm', signal: controller.signal, requestId: 'r4' },
    );
    setTimeout(() => controller.abort(reason), 50);
    await expect(call).rejects.toBe(reason);
    await within(closed, 1000);
    await adapter.close();
  });

  it('rejects at once when the signal is already aborted, without calling upstream', async () => {
    let requests = 0;
    const { origin } = await startServer((_request, response) => {
      requests += 1;
      response.end();
    });
    const adapter = createAdapter(
      settings('anthropic', `${origin}/v1`),
      createProviderDispatcher(origin),
    );
    const call = adapter.streamChat(chatRequest, {
      upstreamModel: 'm',
      signal: AbortSignal.abort(),
      requestId: 'r5',
    });
    await expect(call).rejects.toMatchObject({ code: 'client_closed' });
    expect(requests).toBe(0);
    await adapter.close();
  });
});

describe('transport failures', () => {
  it('maps a refused connection to upstream_unavailable', async () => {
    const { origin } = await startServer(() => undefined);
    const server = servers.pop();
    await new Promise((resolve) => server?.close(resolve));
    const adapter = createAdapter(
      settings('openai-compatible', `${origin}/v1`),
      createProviderDispatcher(origin),
    );
    const call = adapter.chat(
      { ...chatRequest, stream: false },
      { upstreamModel: 'm', signal: new AbortController().signal, requestId: 'r6' },
    );
    await expect(call).rejects.toMatchObject({
      code: 'upstream_unavailable',
      provider: 'test-openai-compatible',
    });
    await adapter.close();
  });

  it('maps an undici headers timeout to upstream_timeout', async () => {
    const { origin } = await startServer(() => undefined);
    const adapter = createAdapter(
      settings('anthropic', `${origin}/v1`),
      createProviderDispatcher(origin, { headersTimeoutMs: 100 }),
    );
    const call = adapter.chat(
      { ...chatRequest, stream: false },
      { upstreamModel: 'm', signal: new AbortController().signal, requestId: 'r7' },
    );
    await expect(call).rejects.toMatchObject({ code: 'upstream_timeout' });
    await adapter.close();
  });
});

/** Records where every request is dispatched, then forwards it. */
class RecordingDispatcher extends Dispatcher {
  readonly origins: string[] = [];
  constructor(private readonly inner: Dispatcher) {
    super();
  }
  override dispatch(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): boolean {
    this.origins.push(`${String(options.origin)}${options.path}`);
    return this.inner.dispatch(options, handler);
  }
  override close(): Promise<void> {
    return this.inner.close();
  }
}

describe('upstream origin', () => {
  it('sends every call only to the configured base URL, whatever the request contains', async () => {
    const paths: string[] = [];
    const { origin } = await startServer((request, response) => {
      paths.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'x',
          model: 'm',
          created: 1,
          choices: [{ index: 0, message: { content: 'ok' }, finish_reason: 'stop' }],
        }),
      );
    });
    // An Agent would follow any origin it is given: the adapter must name the configured one.
    const recorder = new RecordingDispatcher(new Agent());
    const adapter = createAdapter(
      settings('openai-compatible', `${origin}/proxy/v1?api-version=2024-10-21`),
      recorder,
    );
    const hostile: ChatRequest = {
      ...chatRequest,
      stream: false,
      model: 'http://attacker.invalid/v1',
      messages: [
        {
          role: 'user',
          content: [{ type: 'image', url: 'http://169.254.169.254/latest/meta-data' }],
        },
      ],
    };
    const response = await adapter.chat(hostile, {
      upstreamModel: '../../../attacker.invalid',
      signal: new AbortController().signal,
      requestId: 'r8',
    });
    expect(response.choices[0]?.text).toBe('ok');
    expect(recorder.origins).toEqual([
      `${origin}/proxy/v1/chat/completions?api-version=2024-10-21`,
    ]);
    expect(paths).toEqual(['/proxy/v1/chat/completions?api-version=2024-10-21']);
    await adapter.close();
  });
});
