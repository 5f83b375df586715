import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_EPOCH, makeAttempt, makeEntry } from './ledger-fixtures.js';
import { entryToRows } from './ledger-rows.js';
import { migrateSqlite, SQLITE_BATCH_SQL } from './sqlite-ledger.js';
import { SqliteWorker } from './sqlite-worker.js';

const directory = mkdtempSync(path.join(os.tmpdir(), 'switchyard-worker-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('SqliteWorker', () => {
  it('runs queries off the main thread with exact integers, reports SQL errors and stays usable', async () => {
    const file = path.join(directory, 'worker.db');
    const setup = new Database(file);
    setup.exec('CREATE TABLE numbers (value INTEGER)');
    setup.prepare('INSERT INTO numbers VALUES (?)').run(2n ** 62n);
    setup.close();
    const worker = new SqliteWorker(file);
    expect(
      await worker.query('SELECT value + 1 AS value FROM numbers WHERE value > ?', [0]),
    ).toEqual([{ value: 2n ** 62n + 1n }]);
    await expect(worker.query('SELECT * FROM missing', [])).rejects.toThrow(
      'no such table: missing',
    );
    expect(await worker.query('SELECT COUNT(*) AS n FROM numbers', [])).toEqual([{ n: 1n }]);
    await worker.close();
    await expect(worker.query('SELECT 1', [])).rejects.toThrow('closed');
  });

  it('adds each inserted request to the rollup once: a retried batch skips rows already stored, deleted rows change nothing', async () => {
    const file = path.join(directory, 'batches.db');
    const setup = new Database(file);
    migrateSqlite(setup);
    setup.close();
    const rows = (id: string, offset: number) =>
      JSON.stringify(
        entryToRows(
          makeEntry(
            {
              requestId: id,
              startedAt: FIXTURE_EPOCH + offset,
              model: 'm',
              provider: 'p',
              usage: { inputTokens: 10, outputTokens: 5 },
            },
            [makeAttempt({ startedAt: FIXTURE_EPOCH + offset })],
          ),
          `entry-${id}`,
        ),
      );
    const worker = new SqliteWorker(file);
    const state = async () => ({
      requests: (await worker.query('SELECT COUNT(*) AS n FROM ledger_requests', []))[0]?.n,
      attempts: (await worker.query('SELECT COUNT(*) AS n FROM ledger_attempts', []))[0]?.n,
      rollup: await worker.query('SELECT requests, input_tokens FROM ledger_daily', []),
    });
    await worker.write(SQLITE_BATCH_SQL, [rows('a', 1), rows('b', 2)]);
    expect(await state()).toEqual({
      requests: 2n,
      attempts: 2n,
      rollup: [{ requests: 2n, input_tokens: 20n }],
    });
    // A batch retried after an ambiguous commit: 'b' is stored already and must not count twice.
    await worker.write(SQLITE_BATCH_SQL, [rows('b', 2), rows('c', 3)]);
    expect(await state()).toEqual({
      requests: 3n,
      attempts: 3n,
      rollup: [{ requests: 3n, input_tokens: 30n }],
    });
    // The newest row deleted (as a retention job might): the next batch's rows still count, once.
    await worker.query(
      "DELETE FROM ledger_requests WHERE entry_id = 'entry-c' RETURNING entry_id",
      [],
    );
    await worker.write(SQLITE_BATCH_SQL, [rows('d', 4)]);
    expect(await state()).toEqual({
      requests: 3n,
      attempts: 4n,
      rollup: [{ requests: 4n, input_tokens: 40n }],
    });
    // A batch of only stored entries adds nothing.
    await worker.write(SQLITE_BATCH_SQL, [rows('a', 1), rows('d', 4)]);
    expect(await state()).toEqual({
      requests: 3n,
      attempts: 4n,
      rollup: [{ requests: 4n, input_tokens: 40n }],
    });
    await worker.close();
  });
});
