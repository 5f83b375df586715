import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../usage/ledger/migrations.js';
import { openSqliteLedger } from '../usage/ledger/sqlite-ledger.js';
import { describeKeyStoreContract } from '../../test/contracts/key-store-contract.js';
import { openKeyStore } from './open-key-store.js';

const directories: string[] = [];
function temporaryDirectory(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'switchyard-keys-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

describeKeyStoreContract('SQLite', async () => {
  const dataDir = path.join(temporaryDirectory(), 'data');
  return {
    open: () => openKeyStore({ dataDir }),
    async rows() {
      const database = new Database(path.join(dataDir, 'switchyard.db'), { readonly: true });
      try {
        return database.prepare('SELECT * FROM api_keys').all() as Record<string, unknown>[];
      } finally {
        database.close();
      }
    },
    async dispose() {},
  };
});

describe('SQLite key store and ledger', () => {
  const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  function versions(dataDir: string): number[] {
    const database = new Database(path.join(dataDir, 'switchyard.db'), { readonly: true });
    try {
      return (
        database.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as {
          version: number;
        }[]
      ).map((row) => row.version);
    } finally {
      database.close();
    }
  }

  it('opens the ledger file in WAL mode and migrates it when the ledger has not', async () => {
    const dataDir = path.join(temporaryDirectory(), 'fresh');
    const store = await openKeyStore({ dataDir });
    const { key } = await store.create({ name: 'first' });
    const ledger = await openSqliteLedger({ dataDir });
    await ledger.close();
    expect((await store.get(key.id))?.name).toBe('first');
    await store.close();
    expect(versions(dataDir)).toEqual(MIGRATIONS.map((migration) => migration.version));
    const database = new Database(path.join(dataDir, 'switchyard.db'), { readonly: true });
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    database.close();
  });

  it('works on a file the ledger created first, and alongside an open ledger', async () => {
    const dataDir = temporaryDirectory();
    const ledger = await openSqliteLedger({ dataDir });
    const store = await openKeyStore({ dataDir });
    const { key } = await store.create({ name: 'beside the ledger' });
    ledger.record({
      request: {
        requestId: 'r1',
        startedAt: Date.now(),
        apiKeyId: key.id,
        costUsd: 0.5,
        latencyMs: 1,
        status: 200,
        cacheStatus: 'miss',
        stream: false,
      },
      attempts: [],
    });
    await ledger.flush();
    const report = await ledger.report({ from: 0, to: Date.now() + 1000, groupBy: ['key'] });
    expect(report.rows[0]?.group.key).toBe(key.id);
    await ledger.close();
    await store.close();
    expect(versions(dataDir).at(-1)).toBe(latest);
  });

  it('refuses a non-PostgreSQL database URL', async () => {
    await expect(
      openKeyStore({ dataDir: temporaryDirectory(), databaseUrl: 'mysql://x' }),
    ).rejects.toThrow(/postgres:\/\//);
  });
});
