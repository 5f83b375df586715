import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_PATHS, fuzzBody, seeded, type FuzzEndpoint } from '../helpers/fuzz-bodies.js';
import { fuzzFraming } from '../helpers/fuzz-framing.js';
import { rawExchange } from '../helpers/raw-http.js';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * The fuzz suite: seeded, deterministic, bounded. Per endpoint a few thousand generated bodies
 * (`FUZZ_BODIES`, default 3,000), then malformed framing over raw sockets. Each answer must come
 * before the timeout, must not be a 5xx, must be the dialect of its path, and the process's RSS
 * must stay bounded throughout. Knobs: FUZZ_BODIES, FUZZ_SEED; FUZZ_DEBUG prints status counts and
 * slow answers, FUZZ_DUMP=file appends every failing body to the file (to replay it by hand).
 */
const BODIES = Number(process.env.FUZZ_BODIES ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 19);
const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 2000;
/** An answer later than this is a hang (the gateway's own timeout plus a loaded machine's slack). */
const HANG_MS = REQUEST_TIMEOUT_MS + 3000;
const RSS_GROWTH_LIMIT = 256 * 1024 * 1024;

let gateway: TestGateway;
let rssBaseline = 0;
let rssPeak = 0;
let sampler: NodeJS.Timeout;
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

beforeAll(async () => {
  gateway = await startTestGateway({
    server: { request_timeout_ms: REQUEST_TIMEOUT_MS, headers_timeout_ms: REQUEST_TIMEOUT_MS },
    // The fuzz tests the front; a ledger row per request would only add disk writes.
    ledger: { enabled: false },
    logging: { requests: false },
  });
  rssBaseline = process.memoryUsage().rss;
  rssPeak = rssBaseline;
  sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 50);
});
afterAll(async () => {
  clearInterval(sampler);
  agent.destroy();
  await gateway.close(100);
});

interface Answer {
  status: number;
  contentType: string;
  text: string;
  ms: number;
}

function post(path: string, body: Buffer): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = httpRequest(
      `${gateway.url}${path}`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
        timeout: HANG_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        response.on('error', () =>
          resolve({ status: -1, contentType: '', text: '', ms: performance.now() - started }),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error('hang')));
    request.on('error', (error) =>
      resolve({
        status: -1,
        contentType: '',
        text: error.message,
        ms: performance.now() - started,
      }),
    );
    request.end(body);
  });
}

/** What is wrong with an error body for the dialect of its path; undefined when it is right. */
function dialectProblem(path: string, text: string): string | undefined {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return 'error body is not JSON';
  }
  const error = body.error as Record<string, unknown> | undefined;
  if (typeof error?.message !== 'string' || typeof error.type !== 'string')
    return 'no error.message / error.type';
  const anthropic = path.startsWith('/v1/messages');
  if (anthropic && body.type !== 'error') return 'not the Anthropic shape (type: "error")';
  if (!anthropic && body.type !== undefined) return 'not the OpenAI shape (a top-level type)';
  return undefined;
}

/**
 * The one 5xx a body can rightly cause: 502 `invalid_structured_output`, the documented answer
 * when the upstream (here the simulator) gives no answer valid against the request's schema after
 * the retries, for a schema no value satisfies (`"required": ["q"]` with `"q": false`).
 */
function upstreamVerdict(answer: Answer): boolean {
  return answer.status === 502 && answer.text.includes('"invalid_structured_output"');
}

function problemOf(path: string, answer: Answer): string | undefined {
  if (answer.status === -1) return `no answer within ${HANG_MS} ms: ${answer.text}`;
  if (answer.status >= 500 && !upstreamVerdict(answer)) return `status ${answer.status}`;
  if (answer.status >= 400) return dialectProblem(path, answer.text);
  if (answer.contentType.startsWith('text/event-stream')) return undefined;
  try {
    JSON.parse(answer.text);
  } catch {
    return `200 with a body that is not JSON`;
  }
  return undefined;
}

const ENDPOINTS: FuzzEndpoint[] = ['chat', 'messages', 'responses', 'count_tokens', 'embeddings'];

describe('fuzz: generated bodies per endpoint', () => {
  for (const [index, endpoint] of ENDPOINTS.entries()) {
    it(`${endpoint}: ${BODIES} seeded bodies, no 5xx, no hang, the path's dialect`, async () => {
      const random = seeded(SEED * 100 + index);
      const path = FUZZ_PATHS[endpoint];
      const problems: string[] = [];
      const statuses = new Map<number, number>();
      let next = 0;
      const worker = async (): Promise<void> => {
        // Generated when taken, in index order: deterministic, and never all held at once.
        while (next < BODIES) {
          next += 1;
          const body = fuzzBody(endpoint, random);
          const answer = await post(path, body);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (process.env.FUZZ_DEBUG && answer.ms > 300)
            process.stderr.write(
              `slow ${answer.ms.toFixed(0)} ms ${answer.status} ${body.length} B ${body.subarray(0, 200).toString('utf8')}\n`,
            );
          const problem = problemOf(path, answer);
          if (problem && process.env.FUZZ_DUMP)
            (await import('node:fs')).appendFileSync(
              process.env.FUZZ_DUMP,
              `${body.toString('utf8')}\n`,
            );
          if (problem && problems.length < 10)
            problems.push(
              `${problem} — body ${body.subarray(0, 300).toString('utf8')} → ${answer.text.slice(0, 300)}`,
            );
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      if (process.env.FUZZ_DEBUG)
        process.stderr.write(
          `${endpoint} statuses ${JSON.stringify([...statuses])} rss +${((rssPeak - rssBaseline) / 1048576).toFixed(0)} MB\n`,
        );
      expect(problems).toEqual([]);
      // The generator reaches both the happy path and the refusals.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
      expect(rssPeak - rssBaseline).toBeLessThan(RSS_GROWTH_LIMIT);
    }, 120_000);
  }
});

describe('fuzz: malformed framing over raw sockets', () => {
  it('every malformed request is answered or closed within the timeout, never a 5xx, in the dialect of its path', async () => {
    const cases = fuzzFraming(seeded(SEED), 400);
    const problems: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cases.length) {
        const sample = cases[next++]!;
        const reply = await rawExchange(gateway.url, sample.parts, {
          waitMs: HANG_MS,
          gapMs: 5,
        });
        const problem =
          reply.status === 0 && reply.closedAfterMs === undefined
            ? `no answer and still open after ${HANG_MS} ms`
            : reply.status >= 500
              ? `status ${reply.status}`
              : reply.status >= 400 && sample.path !== undefined
                ? dialectProblem(sample.path, JSON.stringify(reply.body))
                : undefined;
        if (problem && problems.length < 10)
          problems.push(`${sample.name}: ${problem} → ${reply.text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    expect(problems).toEqual([]);
    expect(rssPeak - rssBaseline).toBeLessThan(RSS_GROWTH_LIMIT);
  }, 120_000);
});
