import { connect, type Socket } from 'node:net';
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway({
    server: { headers_timeout_ms: HEADERS_TIMEOUT_MS, request_timeout_ms: REQUEST_TIMEOUT_MS },
  });
});
afterAll(() => gateway.close(100));

/** A client that trickles its request a few bytes at a time and never finishes; resolves with how long the server kept it open. */
function slowloris(url: URL, phase: 'headers' | 'body'): Promise<{ openMs: number; text: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const socket: Socket = connect(Number(url.port), url.hostname, () => {
      const head =
        phase === 'headers'
          ? 'POST /v1/messages HTTP/1.1\r\nHost: x\r\n'
          : 'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"model":"auto",';
      socket.write(head);
      timer = setInterval(() => socket.write(phase === 'headers' ? 'x-a: b\r\n' : ' '), 150);
    });
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ openMs: performance.now() - started, text });
    });
    // Never longer than this: the test fails by measurement, not by hanging.
    setTimeout(() => socket.destroy(), 15_000).unref();
  });
}

function timedRequest(agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = httpRequest(
      `${gateway.url}/v1/chat/completions`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200
            ? resolve(performance.now() - started)
            : reject(new Error(`status ${response.statusCode}`)),
        );
      },
    );
    request.on('error', reject);
    request.end(
      '{"model":"auto","messages":[{"role":"user","content":"Write a Python hello world"}]}',
    );
  });
}

describe('slowloris', () => {
  it('200 trickling connections are all closed within their timeout + 1 s while normal requests stay fast', async () => {
    const url = new URL(gateway.url);
    const attackers = [
      ...Array.from({ length: 100 }, () => slowloris(url, 'headers')),
      ...Array.from({ length: 100 }, () => slowloris(url, 'body')),
    ];
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const latencies: number[] = [];
    const deadline = performance.now() + REQUEST_TIMEOUT_MS + 500;
    while (performance.now() < deadline) latencies.push(await timedRequest(agent));
    const closed = await Promise.all(attackers);
    agent.destroy();

    const headerPhase = closed.slice(0, 100);
    const bodyPhase = closed.slice(100);
    expect(Math.max(...headerPhase.map((entry) => entry.openMs))).toBeLessThan(
      HEADERS_TIMEOUT_MS + 1000,
    );
    expect(Math.max(...bodyPhase.map((entry) => entry.openMs))).toBeLessThan(
      REQUEST_TIMEOUT_MS + 1000,
    );
    for (const entry of closed) expect(entry.text).toMatch(/^HTTP\/1\.1 408 /);
    // The body-phase ones know their path: Anthropic's shape.
    for (const entry of bodyPhase) expect(entry.text).toContain('"type":"timeout_error"');

    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!;
    process.stdout.write(
      `slowloris: ${latencies.length} normal requests, p50 ${latencies[Math.floor(latencies.length / 2)]!.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; attackers closed after max ${Math.max(...headerPhase.map((e) => e.openMs)).toFixed(0)} ms (headers), ${Math.max(...bodyPhase.map((e) => e.openMs)).toFixed(0)} ms (body)\n`,
    );
    expect(latencies.length).toBeGreaterThan(20);
    // The target is a p99 under 50 ms (met on an idle machine); the bound here only catches a stalled
    // event loop, leaving room for a shared 2-core machine under a load of 8+.
    expect(p99).toBeLessThan(1000);
  }, 30_000);
});
