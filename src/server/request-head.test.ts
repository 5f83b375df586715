import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestHead } from './request-head.js';

interface Watched {
  head: RequestHead;
  /** Times the wrapper asked Node's parser for the bytes just read (each is a copy). */
  copies: () => number;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** An HTTP server whose connections are watched the way the gateway's tracker does it. */
async function watchedServer(): Promise<{ port: number; next: () => Promise<Watched> }> {
  const waiting: Array<(watched: Watched) => void> = [];
  server = createServer((request, response) => {
    const head = heads.get(request.socket);
    head?.requestBegan();
    response.once('close', () => head?.idle());
    response.end('ok');
  });
  const heads = new Map<Socket, RequestHead>();
  server.on('connection', (socket: Socket) => {
    const parser = (socket as Socket & { parser: { getCurrentBuffer: () => Buffer } }).parser;
    const original = parser.getCurrentBuffer;
    let copies = 0;
    parser.getCurrentBuffer = function (this: unknown) {
      copies += 1;
      return original.call(this);
    };
    const head = RequestHead.watch(socket);
    if (!head)
      throw new Error("Node's HTTP parser no longer exposes kOnExecute / getCurrentBuffer");
    heads.set(socket, head);
    waiting.shift()?.({ head, copies: () => copies });
  });
  server.on('clientError', (_error, socket: Socket) => socket.destroy());
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { port, next: () => new Promise((resolve) => waiting.push(resolve)) };
}

const settle = (): Promise<void> => new Promise((done) => setTimeout(done, 50));

describe('RequestHead', () => {
  it('copies nothing when each request head arrives whole, on a fresh connection or a kept-alive one', async () => {
    const { port, next } = await watchedServer();
    const watched = next();
    const socket = connect(port, '127.0.0.1');
    socket.on('data', () => {});
    socket.write('GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n');
    const { head, copies } = await watched;
    await settle();
    socket.write('GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n');
    await settle();
    expect(copies()).toBe(0);
    expect(head.packet()).toBeUndefined();
    socket.destroy();
  });

  it('keeps a trickled head from its first byte until the request begins, then again once idle', async () => {
    const { port, next } = await watchedServer();
    const watched = next();
    const socket = connect(port, '127.0.0.1');
    socket.on('data', () => {});
    socket.write('POST /v1/mess');
    const { head } = await watched;
    await settle();
    socket.write('ages HTTP/1.1\r\nHost: x\r\n');
    await settle();
    expect(head.packet()?.toString()).toBe('POST /v1/messages HTTP/1.1\r\nHost: x\r\n');
    socket.write('Content-Length: 0\r\n\r\n');
    await settle();
    expect(head.packet()).toBeUndefined();
    socket.write('GET /health HTTP/1.1\r\n');
    await settle();
    expect(head.packet()?.toString()).toBe('GET /health HTTP/1.1\r\n');
    socket.destroy();
  });

  it('keeps 16 KiB of a head at most', async () => {
    const { port, next } = await watchedServer();
    const watched = next();
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write('POST /v1/messages HTTP/1.1\r\n');
    const { head } = await watched;
    for (let part = 0; part < 4; part++) {
      await settle();
      socket.write(`x-big-${part}: ${'a'.repeat(6000)}\r\n`);
    }
    await settle();
    expect(head.packet()?.length).toBe(16 * 1024);
    expect(head.packet()?.toString().startsWith('POST /v1/messages HTTP/1.1\r\n')).toBe(true);
    socket.destroy();
  });
});
