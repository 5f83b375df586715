import { openMigratedPostgresPool } from '../usage/ledger/postgres-pool.js';
import { KEY_COLUMN_NAMES, KEY_COLUMNS_SQL, keyToValues, newKey, rowToKey } from './key-rows.js';
import type { CreateKeyInput, KeyStore, VirtualKey } from './key-types.js';

export interface PostgresKeyStoreOptions {
  /** `postgres://user@host:port/database`: the ledger's database. */
  url: string;
  /** Schema (created when missing); default: the server's search_path, like the ledger. */
  schema?: string;
  /** Pool size (default 2). */
  poolSize?: number;
  /** Error log sink (default: stderr). */
  log?: (message: string) => void;
}

/** Keys in the shared PostgreSQL database (`api_keys`, migration 3), so every replica sees the same keys. */
export async function openPostgresKeyStore(options: PostgresKeyStoreOptions): Promise<KeyStore> {
  const log = options.log ?? ((message: string) => process.stderr.write(`[keys] ${message}\n`));
  const pool = await openMigratedPostgresPool({
    url: options.url,
    schema: options.schema,
    poolSize: options.poolSize ?? 2,
    what: 'keys',
    log,
  });
  let closed = false;
  const query = async (sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> => {
    if (closed) throw new Error('key store is closed');
    return (await pool.query(sql, params)).rows as Record<string, unknown>[];
  };
  const one = (rows: Record<string, unknown>[]): VirtualKey | undefined =>
    rows[0] === undefined ? undefined : rowToKey(rows[0]);
  const placeholders = KEY_COLUMN_NAMES.map((_, index) => `$${index + 1}`).join(', ');

  return {
    async create(input: CreateKeyInput) {
      const created = newKey(input);
      await query(
        `INSERT INTO api_keys (${KEY_COLUMNS_SQL}) VALUES (${placeholders})`,
        keyToValues(created.key),
      );
      return created;
    },
    async list() {
      return (await query(`SELECT ${KEY_COLUMNS_SQL} FROM api_keys ORDER BY created_at, id`)).map(
        rowToKey,
      );
    },
    async get(id: string) {
      return one(await query(`SELECT ${KEY_COLUMNS_SQL} FROM api_keys WHERE id = $1`, [id]));
    },
    async findByHash(hash: string) {
      return one(
        await query(`SELECT ${KEY_COLUMNS_SQL} FROM api_keys WHERE secret_hash = $1`, [hash]),
      );
    },
    async revoke(id: string) {
      const rows = await query(
        'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 RETURNING id',
        [Date.now(), id],
      );
      return rows.length > 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
