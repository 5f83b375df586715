import { mkdtempSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildGateway, type ChildGateway } from '../helpers/child-gateway.js';

const started: ChildGateway[] = [];
afterAll(() => {
  for (const gateway of started) if (gateway.child.exitCode === null) gateway.child.kill('SIGKILL');
});

interface Served {
  socket: Socket;
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  requestId: string;
  at: number;
  stream: boolean;
}

/** A child gateway (SIGTERM goes to a real `switchyard serve` process) with a slowed simulator, so requests are in flight when the drain begins. */
async function startChild(dataDir: string, server: Record<string, unknown>): Promise<ChildGateway> {
  const gateway = await startChildGateway(dataDir, { server, simulator: { time_scale: 0.3 } });
  started.push(gateway);
  return gateway;
}

function send(agent: Agent, url: string, requestId: string, stream: boolean): Promise<Served> {
  const body = JSON.stringify({
    model: 'auto',
    stream,
    messages: [{ role: 'user', content: `Write a Python hello world (${requestId})` }],
  });
  return new Promise((resolveServed, reject) => {
    const request = httpRequest(
      `${url}/v1/chat/completions`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'x-request-id': requestId,
          'cache-control': 'no-cache',
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolveServed({
            socket: request.socket!,
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text,
            requestId,
            at: performance.now(),
            stream,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('SIGTERM drains keep-alive clients', () => {
  it('under keep-alive load: no resets, no keep-alive answer after the drain began, streams finish, every answer in the ledger', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-drain-'));
    const gateway = await startChild(dataDir, { shutdown_grace_ms: 8000 });
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const served: Served[] = [];
    const failures: string[] = [];
    let refused = 0;
    let drainSeenAt: number | undefined;
    let counter = 0;
    let stop = false;
    const worker = async (stream: boolean): Promise<void> => {
      while (!stop) {
        try {
          served.push(await send(agent, gateway.url, `drain-${counter++}`, stream));
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ECONNREFUSED') {
            refused += 1; // the listener is closed: expected once the drain began
            return;
          }
          failures.push(`${code ?? ''} ${(error as Error).message}`);
          return;
        }
      }
    };
    const workers = [
      ...Array.from({ length: 12 }, () => worker(false)),
      ...Array.from({ length: 4 }, () => worker(true)),
    ];
    // Load first: at least 100 answers (bounded in time, so a slow machine still runs the drain).
    const loadUntil = Date.now() + 10_000;
    while (served.length < 100 && Date.now() < loadUntil)
      await new Promise((done) => setTimeout(done, 20));
    const servedBeforeSignal = served.length;
    gateway.child.kill('SIGTERM');
    const watchdog = setInterval(() => {
      if (drainSeenAt === undefined && gateway.output().includes('SIGTERM'))
        drainSeenAt = performance.now();
    }, 1);
    const code = await gateway.exited;
    stop = true;
    clearInterval(watchdog);
    await Promise.all(workers);
    agent.destroy();

    expect(code).toBe(0);
    expect(servedBeforeSignal).toBeGreaterThan(16);
    expect(failures).toEqual([]);
    expect(refused).toBeGreaterThan(0);
    expect(served.every((answer) => answer.status === 200)).toBe(true);
    // Streams in flight at the signal ran to their end.
    for (const answer of served.filter((entry) => entry.stream))
      expect(answer.body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    // After the drain began, a JSON answer says Connection: close and is its connection's last.
    const seenAt = drainSeenAt ?? 0;
    const late = served.filter((answer) => !answer.stream && answer.at > seenAt + 20);
    expect(late.length).toBeGreaterThan(0);
    expect(
      late
        .filter((answer) => answer.headers.connection !== 'close')
        .map((answer) => answer.requestId),
    ).toEqual([]);
    const bySocket = new Map<Socket, Served[]>();
    for (const answer of served)
      bySocket.set(answer.socket, [...(bySocket.get(answer.socket) ?? []), answer]);
    for (const answers of bySocket.values()) {
      const closing = answers.findIndex((answer) => answer.headers.connection === 'close');
      if (closing !== -1) expect(closing).toBe(answers.length - 1);
    }
    // Every answered request left its ledger row before the process exited.
    const database = new Database(join(dataDir, 'switchyard.db'), { readonly: true });
    const rows = new Set(
      (
        database.prepare('SELECT request_id FROM ledger_requests').all() as Array<{
          request_id: string;
        }>
      ).map((row) => row.request_id),
    );
    database.close();
    expect(
      served.filter((answer) => !rows.has(answer.requestId)).map((answer) => answer.requestId),
    ).toEqual([]);
  }, 60_000);

  it('/ready says draining from the first moment (on a kept-alive connection) while an in-flight stream finishes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-drain-'));
    const gateway = await startChild(dataDir, { shutdown_grace_ms: 8000 });
    const probeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const streamAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const probe = (): Promise<{ status: number; body: string; connection: string | undefined }> =>
      new Promise((done, reject) => {
        const request = httpRequest(`${gateway.url}/ready`, { agent: probeAgent }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () =>
            done({
              status: response.statusCode ?? 0,
              body: text,
              connection: response.headers.connection,
            }),
          );
        });
        request.on('error', reject);
        request.end();
      });
    expect(await probe()).toEqual({
      status: 200,
      body: '{"status":"ready"}',
      connection: 'keep-alive',
    });
    const inFlight = send(streamAgent, gateway.url, 'ready-stream', true);
    await new Promise((done) => setTimeout(done, 50));
    gateway.child.kill('SIGTERM');
    while (!gateway.output().includes('SIGTERM')) await new Promise((done) => setTimeout(done, 2));
    // The probe's idle keep-alive connection is still open for a moment: its request is answered "draining", with Connection: close.
    expect(await probe()).toEqual({
      status: 503,
      body: '{"status":"draining"}',
      connection: 'close',
    });
    const answer = await inFlight;
    expect(answer.body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(await gateway.exited).toBe(0);
    probeAgent.destroy();
    streamAgent.destroy();
  }, 30_000);
});
