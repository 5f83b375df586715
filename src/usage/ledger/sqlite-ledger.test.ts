import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeLedgerContract,
  type LedgerStoreHandle,
} from '../../../test/contracts/ledger-contract.js';
import { openLedger } from './open-ledger.js';
import { openSqliteLedger } from './sqlite-ledger.js';

const directories: string[] = [];
function temporaryDirectory(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'switchyard-ledger-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

async function createSqliteStore(): Promise<LedgerStoreHandle> {
  const dataDir = path.join(temporaryDirectory(), 'data');
  let reader: Database.Database | undefined;
  return {
    open: (options) => openSqliteLedger({ ...options, dataDir }),
    async query(sql) {
      reader ??= new Database(path.join(dataDir, 'switchyard.db'));
      const statement = reader.prepare(sql).safeIntegers(true);
      if (statement.reader) return statement.all() as Record<string, unknown>[];
      statement.run();
      return [];
    },
    async dispose() {
      reader?.close();
    },
  };
}

describeLedgerContract('SQLite', createSqliteStore);

describe('openSqliteLedger', () => {
  it('creates <dataDir>/switchyard.db, directories included, in WAL mode', async () => {
    const dataDir = path.join(temporaryDirectory(), 'nested', 'data');
    const ledger = await openSqliteLedger({ dataDir });
    await ledger.close();
    const file = path.join(dataDir, 'switchyard.db');
    expect(existsSync(file)).toBe(true);
    const database = new Database(file, { readonly: true });
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    database.close();
  });

  it('refuses a database written by a newer version', async () => {
    const dataDir = temporaryDirectory();
    await (await openSqliteLedger({ dataDir })).close();
    const database = new Database(path.join(dataDir, 'switchyard.db'));
    database
      .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, 0)')
      .run('from the future');
    database.close();
    await expect(openSqliteLedger({ dataDir })).rejects.toThrow(/schema version 99 is newer/);
  });

  it('openLedger picks SQLite without a database URL and rejects a URL that is not PostgreSQL', async () => {
    const dataDir = temporaryDirectory();
    const ledger = await openLedger({ dataDir, databaseUrl: '' });
    expect(ledger.kind).toBe('sqlite');
    await ledger.close();
    await expect(openLedger({ dataDir, databaseUrl: 'mysql://localhost/x' })).rejects.toThrow(
      /postgres/,
    );
  });
});
