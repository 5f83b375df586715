import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEntry } from '../ledger/ledger-fixtures.js';
import { openSqliteLedger } from '../ledger/sqlite-ledger.js';
import { openJournaledLedger } from './journaled-ledger.js';

const directories: string[] = [];
function temporaryDirectory(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'switchyard-journaled-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

function requestIds(dataDir: string): string[] {
  const database = new Database(path.join(dataDir, 'switchyard.db'), { readonly: true });
  const rows = database
    .prepare('SELECT request_id FROM ledger_requests ORDER BY request_id')
    .all() as Array<{ request_id: string }>;
  database.close();
  return rows.map((row) => row.request_id);
}

const entry = (index: number) =>
  makeEntry({ startedAt: Date.UTC(2026, 11, 3) + index, requestId: `journaled-${index}` });
const quiet = { log: () => undefined };

describe('openJournaledLedger', () => {
  it('replays what a killed process journaled but never committed, and a second replay adds no duplicate', async () => {
    const dead = temporaryDirectory();
    // A process whose ledger never commits (one-minute flush), killed after journaling 12 answers:
    // its journal directory is what the next process finds.
    const ledger = await openSqliteLedger({ dataDir: dead, flushIntervalMs: 60_000, ...quiet });
    const journaled = await openJournaledLedger(ledger, {
      directory: path.join(dead, 'journal'),
      checkpointMs: 60_000,
      ...quiet,
    });
    await Promise.all(
      Array.from({ length: 12 }, (_, index) => journaled.recordDurably(entry(index))),
    );
    const snapshot = temporaryDirectory();
    cpSync(path.join(dead, 'journal'), snapshot, { recursive: true });
    await journaled.close();

    const dataDir = temporaryDirectory();
    const restore = () => cpSync(snapshot, path.join(dataDir, 'journal'), { recursive: true });
    restore();
    const next = await openJournaledLedger(await openSqliteLedger({ dataDir, ...quiet }), {
      directory: path.join(dataDir, 'journal'),
      checkpointMs: 50,
      ...quiet,
    });
    expect(next.journalStats().replayed).toBe(12);
    // The replayed segment is deleted once the ledger committed its entries.
    expect(readdirSync(path.join(dataDir, 'journal'))).toHaveLength(1);
    expect(requestIds(dataDir)).toHaveLength(12);
    await next.close();
    expect(readdirSync(path.join(dataDir, 'journal'))).toEqual([]);

    // Killed again after the ledger committed but before the segment was deleted: same entry ids.
    restore();
    const again = await openJournaledLedger(await openSqliteLedger({ dataDir, ...quiet }), {
      directory: path.join(dataDir, 'journal'),
      checkpointMs: 50,
      ...quiet,
    });
    expect(again.journalStats().replayed).toBe(12);
    await again.close();
    const ids = requestIds(dataDir);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  it('resolves recordDurably only once the line is on disk, and checkpoints delete committed segments', async () => {
    const dataDir = temporaryDirectory();
    const journalDir = path.join(dataDir, 'journal');
    const ledger = await openSqliteLedger({ dataDir, flushIntervalMs: 20, ...quiet });
    const journaled = await openJournaledLedger(ledger, {
      directory: journalDir,
      checkpointMs: 40,
      ...quiet,
    });
    await journaled.recordDurably(entry(1));
    expect(journaled.journalStats().committed).toBe(1);
    journaled.record(entry(2)); // not answered through the journal: the ledger only
    const deadline = Date.now() + 10_000;
    while (readdirSync(journalDir).length > 1 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readdirSync(journalDir)).toHaveLength(1);
    await journaled.close();
    expect(requestIds(dataDir)).toEqual(['journaled-1', 'journaled-2']);
    expect(readdirSync(journalDir)).toEqual([]);
  });

  it('keeps the journal when the ledger cannot write everything at close', async () => {
    const dataDir = temporaryDirectory();
    const journalDir = path.join(dataDir, 'journal');
    const ledger = await openSqliteLedger({ dataDir, flushIntervalMs: 60_000, ...quiet });
    const failing = {
      ...ledger,
      close: async () => {
        throw new Error('store down');
      },
    };
    const journaled = await openJournaledLedger(failing, {
      directory: journalDir,
      checkpointMs: 60_000,
      ...quiet,
    });
    await journaled.recordDurably(entry(3));
    await expect(journaled.close()).rejects.toThrow('store down');
    expect(readdirSync(journalDir)).toHaveLength(1);
    await ledger.close();
  });
});
