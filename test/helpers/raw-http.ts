import { connect, type Socket } from 'node:net';

export interface RawReply {
  /** Everything the server sent. */
  text: string;
  /** The status of the first response, or 0 when none came. */
  status: number;
  /** The first response's body, parsed as JSON when it is JSON. */
  body: unknown;
  /** Milliseconds from connecting until the server closed the connection (undefined: still open at `waitMs`). */
  closedAfterMs: number | undefined;
  /** The connection ended with a reset rather than a clean close. */
  reset: boolean;
}

/**
 * Writes raw bytes to the gateway (each `parts` entry after `gapMs`) and collects what comes back
 * until the first response is complete (or, with `untilClose`, until the server closes the
 * connection) or `waitMs` passes; then the client closes it.
 */
export function rawExchange(
  base: string,
  parts: Array<string | Buffer>,
  options: { waitMs?: number; gapMs?: number; untilClose?: boolean } = {},
): Promise<RawReply> {
  const url = new URL(base);
  const waitMs = options.waitMs ?? 5000;
  return new Promise((resolve) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let reset = false;
    let done = false;
    const socket: Socket = connect(Number(url.port), url.hostname, () => void send());
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({
        text,
        ...parseFirstResponse(text),
        closedAfterMs: closed ? performance.now() - started : undefined,
        reset,
      });
      socket.destroy();
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (!options.untilClose && responseComplete(Buffer.concat(chunks).toString('utf8')))
        finish(false);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET') reset = true;
    });
    socket.on('close', () => finish(true));
    async function send(): Promise<void> {
      for (const [index, part] of parts.entries()) {
        if (index > 0 && options.gapMs)
          await new Promise((resolve) => setTimeout(resolve, options.gapMs));
        if (socket.destroyed) return;
        socket.write(part);
      }
    }
  });
}

function responseComplete(text: string): boolean {
  const split = text.indexOf('\r\n\r\n');
  if (split === -1) return false;
  const length = /\r\ncontent-length: (\d+)/i.exec(text.slice(0, split))?.[1];
  return length !== undefined && Buffer.byteLength(text.slice(split + 4)) >= Number(length);
}

function parseFirstResponse(text: string): { status: number; body: unknown } {
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
  const split = text.indexOf('\r\n\r\n');
  if (split === -1) return { status, body: undefined };
  const head = text.slice(0, split);
  let body = text.slice(split + 4);
  const length = /\r\ncontent-length: (\d+)/i.exec(head)?.[1];
  if (length !== undefined)
    body = Buffer.from(body, 'utf8').subarray(0, Number(length)).toString('utf8');
  try {
    return { status, body: JSON.parse(body) };
  } catch {
    return { status, body: body === '' ? undefined : body };
  }
}
