import { openMigratedPostgresPool } from '../ledger/postgres-pool.js';
import {
  ownerColumn,
  responseBody,
  RESPONSE_COLUMNS,
  rowToStoredResponse,
} from './response-rows.js';
import type { ResponseStoreBackend } from './response-store.js';

export interface PostgresResponseStoreOptions {
  /** `postgres://user@host:port/database`: the ledger's database. */
  url: string;
  /** Schema (created when missing); default: the server's search_path, like the ledger. */
  schema?: string;
  /** Pool size (default 2). */
  poolSize?: number;
  log?: (message: string) => void;
}

/** Stored responses in the shared PostgreSQL database (`stored_responses`, migration 5): every replica can continue any response. */
export async function openPostgresResponseStore(
  options: PostgresResponseStoreOptions,
): Promise<ResponseStoreBackend> {
  const log =
    options.log ?? ((message: string) => process.stderr.write(`[responses] ${message}\n`));
  const pool = await openMigratedPostgresPool({
    url: options.url,
    schema: options.schema,
    poolSize: options.poolSize ?? 2,
    what: 'responses',
    log,
  });
  const columns = RESPONSE_COLUMNS.join(', ');
  const query = async (sql: string, params: unknown[]): Promise<Record<string, unknown>[]> =>
    (await pool.query(sql, params)).rows as Record<string, unknown>[];
  return {
    kind: 'postgres',
    async insert(entry, bytes) {
      await query(
        `INSERT INTO stored_responses (${columns}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
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
      const rows = await query(
        `SELECT ${columns} FROM stored_responses WHERE id = $1 AND owner_key_id = $2 AND expires_at > $3`,
        [id, ownerColumn(ownerKeyId), now],
      );
      return rows[0] === undefined ? undefined : rowToStoredResponse(rows[0]);
    },
    async remove(id, ownerKeyId, now) {
      const rows = await query(
        'DELETE FROM stored_responses WHERE id = $1 AND owner_key_id = $2 AND expires_at > $3 RETURNING id',
        [id, ownerColumn(ownerKeyId), now],
      );
      return rows.length > 0;
    },
    async prune(now, maxEntries) {
      const expired = await pool.query('DELETE FROM stored_responses WHERE expires_at <= $1', [
        now,
      ]);
      const surplus = await pool.query(
        'DELETE FROM stored_responses WHERE id IN (SELECT id FROM stored_responses ORDER BY created_at DESC, id OFFSET $1)',
        [maxEntries],
      );
      return (expired.rowCount ?? 0) + (surplus.rowCount ?? 0);
    },
    close: () => pool.end(),
  };
}
