import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

  it.runIf(process.platform === 'linux')('runs its thread at the given nice value, leaving the main thread as it was', async () => {
    const niceOf = (task: string): number => {
      // /proc/<pid>/task/<tid>/stat: the 19th field is the nice value (after the parenthesized name).
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const before = new Map(readdirSync('/proc/self/task').map((task) => [task, niceOf(task)]));
    const worker = new SqliteWorker(path.join(directory, 'nice.db'), { nice: 7 });
    await worker.query('SELECT 1', []);
    const niced = readdirSync('/proc/self/task').filter((task) => !before.has(task) && niceOf(task) === 7);
    expect(niced.length).toBe(1);
    expect(niceOf(String(process.pid))).toBe(before.get(String(process.pid)));
    await worker.close();
  });
});
