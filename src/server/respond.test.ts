import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Cancel } from '../core/cancel.js';
import { GatewayError } from '../core/errors.js';
import { STREAM_BUFFER_LIMIT, writeText } from './respond.js';

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A streaming response to a raw client that reads nothing until told to (`client.resume()`). */
async function slowClient(): Promise<{ response: ServerResponse; client: Socket }> {
  let handed!: (response: ServerResponse) => void;
  const handedOver = new Promise<ServerResponse>((resolve) => (handed = resolve));
  // A 16 KiB socket mark on every Node version (Node 22 raised the default to 64 KiB, which is
  // the relay's limit, so "past the socket mark, under the limit" needs a mark set here).
  const server = createServer({ highWaterMark: 16 * 1024 }, (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    handed(response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  sockets.push(client);
  client.pause();
  client.write('GET / HTTP/1.1\r\nhost: test\r\n\r\n');
  return { response: await handedOver, client };
}

const EVENT = `data: ${'x'.repeat(16 * 1024 - 8)}\n\n`;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Writes events until writeText asks to wait and the wait outlasts two event-loop turns (the
 * kernel's loopback buffers take a few MiB first); bounded so a broken limit fails instead of
 * looping.
 */
async function fillUntilBlocked(
  response: ServerResponse,
  signal: Cancel,
): Promise<{ waiting?: Promise<void> }> {
  for (let writes = 1; writes <= 8192; writes += 1) {
    const waiting = writeText(response, EVENT, signal);
    if (waiting === undefined) continue;
    expect(response.writableLength).toBeGreaterThan(STREAM_BUFFER_LIMIT);
    let settled = false;
    void waiting.then(
      () => (settled = true),
      () => (settled = true),
    );
    await turn();
    await turn();
    if (!settled) return { waiting };
  }
  return {};
}

describe('writeText: relaying SSE text under backpressure', () => {
  it('does not wait for a drain while the buffered text stays under the limit, even past the socket mark', async () => {
    const { response } = await slowClient();
    // 40 KiB in one write: over the socket's 16 KiB mark, so response.write() returns false.
    const text = `data: ${'y'.repeat(40 * 1024)}\n\n`;
    expect(writeText(response, text, new Cancel())).toBeUndefined();
    expect(response.writableNeedDrain).toBe(true);
  });

  it('waits, once more than the limit waits for a client that does not read, until the client reads', async () => {
    const { response, client } = await slowClient();
    const signal = new Cancel();
    const { waiting } = await fillUntilBlocked(response, signal);
    expect(waiting).toBeInstanceOf(Promise);
    client.on('data', () => {});
    client.resume();
    await waiting;
    expect(response.writableLength).toBeLessThanOrEqual(STREAM_BUFFER_LIMIT);
  });

  it('stops waiting with client_closed when the client goes away', async () => {
    const { response } = await slowClient();
    const signal = new Cancel();
    const { waiting } = await fillUntilBlocked(response, signal);
    expect(waiting).toBeInstanceOf(Promise);
    signal.abort(new GatewayError('client_closed', 'The client closed the connection.'));
    await expect(waiting).rejects.toMatchObject({ code: 'client_closed' });
  });
});
