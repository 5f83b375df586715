import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the fake upstream received. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the fake upstream answers with. */
export interface FixtureResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Write the body in small pieces at odd byte offsets (streams), else in one write. */
  pieces: boolean;
  /** How the answer ends: a normal end, or the socket destroyed after the body (a dropped connection). */
  ending: 'end' | 'destroy';
}

/** Piece sizes cycled through when writing a body in pieces: odd, uneven, some single bytes. */
const PIECE_SIZES = [1, 7, 3, 13, 2, 5, 11, 1, 17, 4];

/**
 * A real `node:http` server on 127.0.0.1, port 0, that records every request and answers each
 * with the current fixture response. Pieces are written on separate event-loop turns so they
 * reach the client as separate reads.
 */
export class FixtureServer {
  readonly requests: RecordedRequest[] = [];
  private response: FixtureResponse | undefined;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.requests.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        void this.answer(response);
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts listening; resolves with the origin (`http://127.0.0.1:<port>`). */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** Sets the answer for the next requests and forgets earlier requests. */
  respondWith(response: FixtureResponse): void {
    this.response = response;
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(response: ServerResponse): Promise<void> {
    const fixture = this.response;
    if (fixture === undefined) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end('no fixture');
      return;
    }
    response.writeHead(fixture.status, fixture.headers);
    if (fixture.pieces) {
      let offset = 0;
      let turn = 0;
      while (offset < fixture.body.length) {
        const size = PIECE_SIZES[turn % PIECE_SIZES.length] ?? 1;
        response.write(fixture.body.subarray(offset, offset + size));
        offset += size;
        turn += 1;
        await new Promise((resolve) => setImmediate(resolve));
        if (response.destroyed) return;
      }
    } else {
      response.write(fixture.body);
    }
    if (fixture.ending === 'destroy') {
      await new Promise((resolve) => setImmediate(resolve));
      response.socket?.destroy();
      return;
    }
    response.end();
  }
}
