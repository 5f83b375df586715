import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrateSqlite, SQLITE_FILE_NAME } from '../ledger/sqlite-ledger.js';
import { SqliteWorker } from '../ledger/sqlite-worker.js';
import {
  ownerColumn,
  responseBody,
  RESPONSE_COLUMNS,
  rowToStoredResponse,
} from './response-rows.js';
import type { ResponseStoreBackend } from './response-store.js';

export interface SqliteResponseStoreOptions {
  /** Directory of the ledger's database file; created when missing. */
  dataDir: string;
  /** File name inside `dataDir` (default `switchyard.db`, the ledger's file). */
  fileName?: string;
}

/**
 * Stored responses in the ledger's SQLite file (`stored_responses`, migration 5). Migrations run
 * at open; after that every statement runs on a worker thread of its own, so neither saves nor
 * lookups block the gateway's event loop.
 */
export function openSqliteResponseStore(options: SqliteResponseStoreOptions): ResponseStoreBackend {
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, options.fileName ?? SQLITE_FILE_NAME);
  const database = new Database(file);
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    migrateSqlite(database);
  } finally {
    database.close();
  }
  const worker = new SqliteWorker(file);
  const columns = RESPONSE_COLUMNS.join(', ');
  return {
    kind: 'sqlite',
    async insert(entry, bytes) {
      await worker.query(
        `INSERT INTO stored_responses (${columns}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          entry.id,
          ownerColumn(entry.ownerKeyId),
          entry.createdAt,
          entry.expiresAt,
          bytes,
          responseBody(entry),
        ],
      );
    },
    async find(id, ownerKeyId, now) {
      const rows = await worker.query(
        `SELECT ${columns} FROM stored_responses WHERE id = ? AND owner_key_id = ? AND expires_at > ?`,
        [id, ownerColumn(ownerKeyId), now],
      );
      return rows[0] === undefined ? undefined : rowToStoredResponse(rows[0]);
    },
    async remove(id, ownerKeyId, now) {
      const rows = await worker.query(
        'DELETE FROM stored_responses WHERE id = ? AND owner_key_id = ? AND expires_at > ? RETURNING id',
        [id, ownerColumn(ownerKeyId), now],
      );
      return rows.length > 0;
    },
    async prune(now, maxEntries) {
      const expired = await worker.query(
        'DELETE FROM stored_responses WHERE expires_at <= ? RETURNING id',
        [now],
      );
      const surplus = await worker.query(
        'DELETE FROM stored_responses WHERE id IN (SELECT id FROM stored_responses ORDER BY created_at DESC, id LIMIT -1 OFFSET ?) RETURNING id',
        [maxEntries],
      );
      return expired.length + surplus.length;
    },
    close: () => worker.close(),
  };
}
