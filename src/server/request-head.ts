import type { Socket } from 'node:net';

/** Head bytes kept per connection at most: Node's limit on a request line and headers. */
const HEAD_LIMIT_BYTES = 16 * 1024;

/** The parts of Node's (undocumented) HTTP parser binding this reads; absent parts disable it. */
interface NodeHttpParser {
  constructor: { kOnExecute?: unknown };
  getCurrentBuffer?: () => Buffer;
  [slot: number]: unknown;
}

/**
 * The bytes of the request head a connection is receiving, kept from the moment they are read
 * until the request begins, so an error raised before there is a request (a headers timeout, a
 * malformed header in a later packet than the request line) still knows the path it came on.
 *
 * Node's native parser reads the socket itself: the bytes never reach JavaScript, and a `data`
 * listener would take the socket off that path for good (ADR 0020). But after each read the
 * parser calls its execute callback (slot `kOnExecute`), and there `getCurrentBuffer()` returns
 * the bytes just read. The wrapper copies a read only while the connection has no request: a
 * read that completes a request head has already begun the request (and stopped the capture)
 * when the callback runs, so a request that arrives whole costs nothing.
 */
export class RequestHead {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private capturing = true;

  /** Watches `socket`'s parser (right after Node's `connection` listener set it up); undefined when Node does not expose it. */
  static watch(socket: Socket): RequestHead | undefined {
    const parser = (socket as Socket & { parser?: NodeHttpParser | null }).parser;
    const slot = parser?.constructor.kOnExecute;
    if (!parser || typeof slot !== 'number' || typeof parser.getCurrentBuffer !== 'function')
      return undefined;
    const onExecute = parser[slot];
    if (typeof onExecute !== 'function') return undefined;
    const head = new RequestHead();
    parser[slot] = function (this: unknown, ...args: unknown[]): unknown {
      if (head.capturing && parser.getCurrentBuffer) head.add(parser.getCurrentBuffer());
      return onExecute.apply(this, args);
    };
    return head;
  }

  /** A request began on the connection: its head is parsed, the capture stops. */
  requestBegan(): void {
    this.capturing = false;
    this.chunks = [];
    this.bytes = 0;
  }

  /** The connection is idle again: the next bytes read begin the next request. */
  idle(): void {
    this.capturing = true;
  }

  /** The head bytes read since the connection opened or went idle; undefined when none. */
  packet(): Buffer | undefined {
    if (this.bytes === 0) return undefined;
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  private add(chunk: Buffer): void {
    const room = HEAD_LIMIT_BYTES - this.bytes;
    const kept = chunk.length > room ? Buffer.from(chunk.subarray(0, room)) : chunk;
    this.chunks.push(kept);
    this.bytes += kept.length;
    if (this.bytes >= HEAD_LIMIT_BYTES) this.capturing = false;
  }
}
