import { mkdtempSync, readdirSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildGateway, type ChildGateway } from '../helpers/child-gateway.js';

const started: ChildGateway[] = [];
afterAll(() => {
  for (const gateway of started) if (gateway.child.exitCode === null) gateway.child.kill('SIGKILL');
});

/** One chat completion; resolves with the time its whole answer arrived, undefined if it failed. */
function send(agent: Agent, url: string, requestId: string): Promise<number | undefined> {
  const body = JSON.stringify({
    model: 'auto',
    messages: [{ role: 'user', content: `Say hi (${requestId})` }],
  });
  return new Promise((resolve) => {
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
        response.resume();
        response.on('end', () => resolve(response.statusCode === 200 ? Date.now() : undefined));
        response.on('error', () => resolve(undefined));
      },
    );
    request.on('error', () => resolve(undefined));
    request.end(body);
  });
}

/**
 * Loads a child gateway over loopback (16 keep-alive clients, bounded: until `answers` are
 * answered or 15 s), SIGKILLs it mid-load and returns each answered request with the time its
 * answer arrived, and the kill time.
 */
async function answeredThenKilled(
  gateway: ChildGateway,
  answers: number,
): Promise<{ answered: Map<string, number>; killedAt: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const answered = new Map<string, number>();
  let counter = 0;
  let stop = false;
  const worker = async (): Promise<void> => {
    while (!stop) {
      const requestId = `crash-${counter++}`;
      const at = await send(agent, gateway.url, requestId);
      if (at !== undefined && !stop) answered.set(requestId, at);
    }
  };
  const workers = Array.from({ length: 16 }, worker);
  const until = Date.now() + 15_000;
  while (answered.size < answers && Date.now() < until)
    await new Promise((done) => setTimeout(done, 10));
  gateway.child.kill('SIGKILL');
  const killedAt = Date.now();
  stop = true;
  await gateway.exited;
  await Promise.all(workers);
  agent.destroy();
  return { answered, killedAt };
}

function ledgerRequestIds(dataDir: string): string[] {
  const database = new Database(join(dataDir, 'switchyard.db'), { readonly: true });
  const rows = database.prepare('SELECT request_id FROM ledger_requests').all() as Array<{
    request_id: string;
  }>;
  database.close();
  return rows.map((row) => row.request_id);
}

describe('SIGKILL under load: what the ledger keeps', () => {
  it('ledger.durability journal: every answered request is in the ledger after a restart, none twice', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-crash-journal-'));
    // A flush far longer than the test: without the journal nothing answered would be stored.
    const ledger = { durability: 'journal', flush_ms: 60_000, batch_size: 100_000 };
    const gateway = await startChildGateway(dataDir, { ledger });
    started.push(gateway);
    const { answered } = await answeredThenKilled(gateway, 400);
    expect(answered.size).toBeGreaterThanOrEqual(100);
    expect(readdirSync(join(dataDir, 'journal')).length).toBeGreaterThan(0);

    // The next start replays the journal; a clean stop then leaves it empty.
    const restarted = await startChildGateway(dataDir, { ledger });
    started.push(restarted);
    expect(restarted.output()).toMatch(/replay: \d+ journaled entries/);
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    const ids = ledgerRequestIds(dataDir);
    const stored = new Set(ids);
    expect([...answered.keys()].filter((id) => !stored.has(id))).toEqual([]);
    process.stdout.write(
      `crash-loss journal: ${answered.size} answered before SIGKILL, ${ids.length} ledger rows after the replay\n`,
    );
    expect(ids.length).toBe(stored.size); // no duplicates
    expect(readdirSync(join(dataDir, 'journal'))).toEqual([]);
  }, 90_000);

  it('ledger.durability batch: SIGKILL loses only requests answered within the last flush_ms (plus scheduling slack)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-crash-batch-'));
    const flushMs = 100;
    const gateway = await startChildGateway(dataDir, {
      ledger: { flush_ms: flushMs, batch_size: 100_000 },
    });
    started.push(gateway);
    const { answered, killedAt } = await answeredThenKilled(gateway, 400);
    expect(answered.size).toBeGreaterThanOrEqual(100);
    const stored = new Set(ledgerRequestIds(dataDir));
    const lost = [...answered].filter(([id]) => !stored.has(id));
    // Each lost answer arrived at most flush_ms (+ the batch being written, + a loaded machine's
    // scheduling delay: 1.5 s of slack) before the kill; everything older was committed.
    const oldestLostAge = Math.max(0, ...lost.map(([, at]) => killedAt - at));
    process.stdout.write(
      `crash-loss batch: ${answered.size} answered before SIGKILL, ${lost.length} lost, the oldest answered ${oldestLostAge} ms before the kill\n`,
    );
    expect(oldestLostAge).toBeLessThan(flushMs + 1500);
    expect(stored.size).toBeGreaterThan(answered.size / 2);
  }, 90_000);
});
