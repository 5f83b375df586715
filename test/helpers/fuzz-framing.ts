import type { Random } from './fuzz-bodies.js';

export interface FramingCase {
  name: string;
  /** The path the request line names, when it names one (decides the expected dialect). */
  path: string | undefined;
  /** Raw bytes, written in order. */
  parts: Array<string | Buffer>;
}

const PATHS = [
  '/v1/chat/completions',
  '/v1/messages',
  '/v1/responses',
  '/v1/messages/count_tokens',
  '/v1/embeddings',
];
const BODY = '{"model":"auto","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}';

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

type Builder = (path: string, random: Random) => Array<string | Buffer>;

/** Each builder: one kind of malformed framing, for a path. */
const BUILDERS: Record<string, Builder> = {
  'bad content-length': (path) => [
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 12abc\r\n\r\n${BODY}`,
  ],
  'two content-lengths': (path) => [
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 9\r\n\r\n${BODY}`,
  ],
  'content-length and chunked': (path) => [
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{}{}\r\n0\r\n\r\n`,
  ],
  'invalid chunk size': (path) => [
    `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n${BODY}\r\n0\r\n\r\n`,
  ],
  'chunk longer than announced': (path) => [
    `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n${BODY}\r\n0\r\n\r\n`,
  ],
  'header without colon': (path) => [`POST ${path} HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n`],
  'NUL in a header': (path) => [`POST ${path} HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n`],
  'obs-fold header': (path) => [`POST ${path} HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\n\r\n`],
  'header over 16 KiB': (path) => [
    `POST ${path} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  ],
  'invalid UTF-8 in a header': (path) => [
    Buffer.concat([
      Buffer.from(`POST ${path} HTTP/1.1\r\nHost: x\r\nX-A: `),
      Buffer.from([0xff, 0xfe, 0x80]),
      Buffer.from('\r\nContent-Length: 2\r\n\r\n{}'),
    ]),
  ],
  'garbage method': (path) => [`P@ST ${path} HTTP/1.1\r\nHost: x\r\n\r\n`],
  'bad version': (path) => [`POST ${path} HTTP/9.Z\r\nHost: x\r\n\r\n`],
  'absolute-form target': (path) => [
    `POST http://evil.example${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}`,
  ],
  'no Host on HTTP/1.1': (path) => [`POST ${path} HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}`],
  'unknown Expect': (path) => [
    `POST ${path} HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}`,
  ],
  'body shorter than Content-Length': (path) => [
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"model":`,
  ],
  'headers never finish': (path) => [`POST ${path} HTTP/1.1\r\nHost: x\r\nX-Slow: `],
  'body then pipelined garbage': (path) => [
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}GARBAGE\r\n\r\n`,
  ],
  'random bytes after a request line': (path, random) => [
    Buffer.concat([
      Buffer.from(`POST ${path} HTTP/1.1\r\n`),
      Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))),
      Buffer.from('\r\n\r\n'),
    ]),
  ],
  'headers trickled, never finished': (path) => [
    `POST ${path} HTTP/1.1\r\n`,
    'Host: x\r\n',
    'X-A: b\r\n',
  ],
  'malformed header after the request line packet': (path) => [
    `POST ${path} HTTP/1.1\r\nHost: x\r\n`,
    'X-A: b\r\nBroken header\r\n\r\n',
  ],
  'trickled headers': (path) => [
    `POST ${path} HTTP/1.1\r\n`,
    'Host: x\r\n',
    `Content-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n`,
    BODY,
  ],
};

/** `count` seeded malformed requests over the model paths (and some with no path at all). */
export function fuzzFraming(random: Random, count: number): FramingCase[] {
  const names = Object.keys(BUILDERS);
  const cases: FramingCase[] = [];
  for (let index = 0; index < count; index++) {
    if (random() < 0.05) {
      const bytes = Buffer.from(Array.from({ length: 200 }, () => Math.floor(random() * 256)));
      cases.push({ name: 'random bytes', path: undefined, parts: [bytes, '\r\n\r\n'] });
      continue;
    }
    const name = pick(random, names);
    const path = pick(random, PATHS);
    cases.push({ name: `${name} ${path}`, path, parts: BUILDERS[name]!(path, random) });
  }
  return cases;
}
