import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { Cancel } from '../core/cancel.js';
import { GatewayError } from '../core/errors.js';
import { postJson, readJson, resolveTarget, type UpstreamResponse } from './upstream-http.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const running: Array<{ server: Server; pool: Pool }> = [];

async function upstream(
  handler: Handler,
): Promise<{ call: (signal?: Cancel) => Promise<UpstreamResponse>; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 1 });
  running.push({ server, pool });
  const call = (signal = new Cancel()): Promise<UpstreamResponse> =>
    postJson({
      dispatcher: pool,
      target: resolveTarget(`http://127.0.0.1:${port}/v1`),
      endpoint: '/chat',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal,
      context: { provider: 'test' },
    });
  return { call, server };
}

afterEach(async () => {
  for (const { server, pool } of running.splice(0)) {
    await pool.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const closed = (request: IncomingMessage): Promise<void> =>
  new Promise((resolve) => request.socket.once('close', () => resolve()));

describe('postJson: the upstream exchange', () => {
  it('reads a body sent in many chunks whole, and its headers', async () => {
    const { call } = await upstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'x-thing': 'a' });
      response.write('{"a":');
      setTimeout(() => response.end('"é"}'), 5);
    });
    const answer = await call();
    expect(answer.headers['x-thing']).toBe('a');
    await expect(readJson(answer, new Cancel(), { provider: 'test' })).resolves.toEqual({ a: 'é' });
  });

  it('turns a non-2xx answer into a GatewayError with its status', async () => {
    const { call } = await upstream((_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' });
      response.end('{"error":{"message":"slow down"}}');
    });
    const error = await call().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('upstream_rate_limited');
    expect((error as GatewayError).retryAfterMs).toBe(2000);
  });

  it('hands out chunks as they arrive and pauses the socket while the reader lags (backpressure)', async () => {
    let written = 0;
    let blocked = false;
    const { call } = await upstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = `data: ${'x'.repeat(16 * 1024)}\n\n`;
      const pump = (): void => {
        while (written < 8 * 1024 * 1024) {
          written += chunk.length;
          if (!response.write(chunk)) {
            blocked = true;
            response.once('drain', pump);
            return;
          }
        }
        response.end();
      };
      pump();
    });
    const answer = await call();
    const iterator = answer.body[Symbol.asyncIterator]();
    const first = (await iterator.next()).value as Buffer;
    // Unread, the body stops the upstream: it cannot push all 8 MiB into our queue.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(blocked).toBe(true);
    expect(written).toBeLessThan(8 * 1024 * 1024);
    let read = 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      read += next.value.length;
    expect(written).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    expect(read).toBe(written - first.length);
  });

  it('hands out what arrived together as one chunk: many HTTP chunks of one socket read, one step', async () => {
    const events = Array.from({ length: 30 }, (_, index) => `data: {"n":${index}}\n\n`);
    let finish!: () => void;
    const { call } = await upstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      // Written in one tick: one socket write of 30 HTTP chunks, as an upstream sends a burst.
      for (const event of events) response.write(event);
      finish = () => response.end('data: [DONE]\n\n');
    });
    const answer = await call();
    const steps: string[] = [];
    for await (const chunk of answer.body) {
      steps.push(chunk.toString('utf8'));
      if (steps.length === 1) finish();
    }
    expect(steps.join('')).toBe(`${events.join('')}data: [DONE]\n\n`);
    // The burst is one step (not 30), and the later end another.
    expect(steps[0]).toBe(events.join(''));
    expect(steps).toHaveLength(2);
  });

  it('aborts the upstream call when the signal aborts mid-body, with the signal reason', async () => {
    let gone: Promise<void> | undefined;
    const { call } = await upstream((request, response) => {
      gone = closed(request);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"partial":');
    });
    const signal = new Cancel();
    const answer = await call(signal);
    const reading = readJson(answer, signal, { provider: 'test' });
    signal.abort(new GatewayError('upstream_timeout', 'too slow'));
    await expect(reading).rejects.toMatchObject({ code: 'upstream_timeout' });
    await gone;
  });

  it('never sends a call whose signal aborted before it started', async () => {
    let calls = 0;
    const { call } = await upstream((_request, response) => {
      calls += 1;
      response.end('{}');
    });
    const signal = new Cancel();
    signal.abort(new GatewayError('client_closed', 'gone'));
    await expect(call(signal)).rejects.toMatchObject({ code: 'client_closed' });
    expect(calls).toBe(0);
  });

  it('aborts the upstream call when the body is released before its end, and reuses the connection after a full read', async () => {
    let gone: Promise<void> | undefined;
    const sockets = new Set<unknown>();
    const { call } = await upstream((request, response) => {
      sockets.add(request.socket);
      if (request.headers['x-hang'] === undefined && sockets.size === 1 && gone === undefined) {
        gone = closed(request);
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('data: 1\n\n');
        return;
      }
      response.end('{"ok":true}');
    });
    const first = await call();
    for await (const _chunk of first.body) break;
    expect(first.body.destroyed).toBe(true);
    await gone;
    const second = await call();
    await second.body.text();
    const third = await call();
    await third.body.text();
    // The released call's socket was closed; the two full reads shared one kept-alive socket.
    expect(sockets.size).toBe(2);
  });
});
