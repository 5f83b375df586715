import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeLedgerContract,
  type LedgerStoreHandle,
} from '../../../test/contracts/ledger-contract.js';
import { makeEntry } from './ledger-fixtures.js';
import { MIGRATIONS, MIGRATIONS_TABLE_SQL } from './migrations.js';
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

  it('migration 7 keeps the rows of an older ledger: old costs stay, unknown costs may now be NULL', async () => {
    const dataDir = temporaryDirectory();
    const file = path.join(dataDir, 'switchyard.db');
    const old = new Database(file);
    old.exec(MIGRATIONS_TABLE_SQL);
    for (const migration of MIGRATIONS.filter((candidate) => candidate.version < 7)) {
      for (const statement of migration.statements('sqlite')) old.exec(statement);
      old
        .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)')
        .run(migration.version, migration.name);
    }
    old.exec(`INSERT INTO ledger_requests (entry_id, request_id, started_at, attempts, input_tokens,
      cached_input_tokens, output_tokens, reasoning_tokens, cost_nano_usd, cost_estimated, saved_nano_usd,
      latency_ms, status, cache_status, stream, endpoint)
      VALUES ('old-1', 'r-old', 1000, 0, 5, 0, 7, 0, 42, 0, 0, 10, 200, 'miss', 0, '/v1/messages')`);
    old.close();
    const ledger = await openSqliteLedger({ dataDir, flushIntervalMs: 10 });
    ledger.record(
      makeEntry({ requestId: 'r-new', startedAt: 2000, costUsd: null, replicaId: 'gw-9' }),
    );
    await ledger.flush();
    await ledger.close();
    const database = new Database(file, { readonly: true });
    expect(
      database
        .prepare(
          'SELECT rowid, request_id, cost_nano_usd, endpoint, replica_id FROM ledger_requests ORDER BY rowid',
        )
        .all(),
    ).toEqual([
      {
        rowid: 1,
        request_id: 'r-old',
        cost_nano_usd: 42,
        endpoint: '/v1/messages',
        replica_id: null,
      },
      { rowid: 2, request_id: 'r-new', cost_nano_usd: null, endpoint: null, replica_id: 'gw-9' },
    ]);
    const indexes = database
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ledger_requests'",
      )
      .all()
      .map((row) => (row as { name: string }).name);
    expect(indexes).toContain('ledger_requests_started_at');
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
