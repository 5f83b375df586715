import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedConfigFile } from '../../src/config/load-config.js';

/** The built CLI (`npm test` builds first): SIGTERM goes to a real `switchyard serve` process. */
const BIN = resolve(import.meta.dirname, '../../bin/switchyard.js');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
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

async function startChild(
  dataDir: string,
  server: Record<string, unknown>,
  timeScale = 0.3,
): Promise<{
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}> {
  const file = {
    ...embeddedConfigFile(),
    data_dir: dataDir,
    server: { host: '127.0.0.1', port: 0, ...server },
    simulator: { enabled: true, time_scale: timeScale },
  };
  const configPath = join(dataDir, 'switchyard.json');
  writeFileSync(configPath, JSON.stringify(file));
  const environment: Record<string, string | undefined> = {
    ...process.env,
    PORT: undefined,
    HOST: undefined,
    DATABASE_URL: undefined,
    SWITCHYARD_DATA_DIR: undefined,
  };
  const child = spawn(process.execPath, [BIN, 'serve', '--config', configPath], {
    env: environment as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match = /listening on (http:\/\/[^\s]+)/.exec(text);
    if (match) return { child, url: match[1]!, output: () => text, exited };
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`gateway did not start:\n${text}`);
    await new Promise((done) => setTimeout(done, 25));
  }
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
    const gateway = await startChild(dataDir, { shutdown_grace_ms: 8000 }, 0.3);
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
