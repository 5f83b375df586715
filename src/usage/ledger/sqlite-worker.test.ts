import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
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
    expect(await worker.query('SELECT value + 1 AS value FROM numbers WHERE value > ?', [0])).toEqual([{ value: 2n ** 62n + 1n }]);
    await expect(worker.query('SELECT * FROM missing', [])).rejects.toThrow('no such table: missing');
    expect(await worker.query('SELECT COUNT(*) AS n FROM numbers', [])).toEqual([{ n: 1n }]);
    await worker.close();
    await expect(worker.query('SELECT 1', [])).rejects.toThrow('closed');
  });
});
