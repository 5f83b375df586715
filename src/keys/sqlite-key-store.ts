import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrateSqlite, SQLITE_FILE_NAME } from '../usage/ledger/sqlite-ledger.js';
import { KEY_COLUMN_NAMES, KEY_COLUMNS_SQL, keyToValues, newKey, rowToKey } from './key-rows.js';
import type { CreateKeyInput, KeyStore, VirtualKey } from './key-types.js';

export interface SqliteKeyStoreOptions {
  /** Directory of the database file shared with the ledger; created when missing. */
  dataDir: string;
  /** File name inside `dataDir` (default `switchyard.db`, the ledger's file). */
  fileName?: string;
}

/**
 * Keys in the ledger's SQLite file (`api_keys`, migration 3). Synchronous better-sqlite3 calls on
 * the caller's thread: key administration is rare and each statement is one indexed row, while the
 * gateway's hot path reads keys from the in-memory KeyDirectory.
 */
export function openSqliteKeyStore(options: SqliteKeyStoreOptions): KeyStore {
  mkdirSync(options.dataDir, { recursive: true });
  const database = new Database(path.join(options.dataDir, options.fileName ?? SQLITE_FILE_NAME));
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 5000');
    migrateSqlite(database);
  } catch (error) {
    database.close();
    throw error;
  }
  const insert = database.prepare(
    `INSERT INTO api_keys (${KEY_COLUMNS_SQL}) VALUES (${KEY_COLUMN_NAMES.map(() => '?').join(', ')})`,
  );
  const selectAll = database.prepare(
    `SELECT ${KEY_COLUMNS_SQL} FROM api_keys ORDER BY created_at, id`,
  );
  const selectById = database.prepare(`SELECT ${KEY_COLUMNS_SQL} FROM api_keys WHERE id = ?`);
  const selectByHash = database.prepare(
    `SELECT ${KEY_COLUMNS_SQL} FROM api_keys WHERE secret_hash = ?`,
  );
  const revoke = database.prepare(
    'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?',
  );
  let closed = false;
  const open = (): void => {
    if (closed) throw new Error('key store is closed');
  };
  const one = (row: unknown): VirtualKey | undefined =>
    row === undefined ? undefined : rowToKey(row as Record<string, unknown>);

  return {
    async create(input: CreateKeyInput) {
      open();
      const created = newKey(input);
      insert.run(...keyToValues(created.key));
      return created;
    },
    async list() {
      open();
      return selectAll.all().map((row) => rowToKey(row as Record<string, unknown>));
    },
    async get(id: string) {
      open();
      return one(selectById.get(id));
    },
    async findByHash(hash: string) {
      open();
      return one(selectByHash.get(hash));
    },
    async revoke(id: string) {
      open();
      return revoke.run(Date.now(), id).changes > 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      database.close();
    },
  };
}
