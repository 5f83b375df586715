import pg from 'pg';
import { MIGRATIONS_TABLE_SQL, pendingMigrations } from './migrations.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface MigratedPoolOptions {
  /** `postgres://user@host:port/database` */
  url: string;
  /** Schema (created when missing); default: the server's search_path (usually `public`). */
  schema?: string | undefined;
  poolSize: number;
  /** What opens the pool (`ledger`, `keys`, `responses`): the prefix of its error messages. */
  what: string;
  log: (message: string) => void;
}

/**
 * A `pg` pool on the shared database with every migration applied: the ledger, the key store
 * and the response store share one schema and one migration history, whichever opens first.
 * An invalid schema name is refused before any connection; a failed migration closes the pool.
 */
export async function openMigratedPostgresPool(options: MigratedPoolOptions): Promise<pg.Pool> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema))
    throw new Error(
      `${options.what}: invalid PostgreSQL schema name ${JSON.stringify(options.schema)}`,
    );
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', (error) => options.log(`idle PostgreSQL connection failed: ${error.message}`));
  try {
    await migratePostgres(pool, options.schema);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}

/**
 * Creates the schema when asked and applies pending migrations, in one transaction under an
 * advisory lock per schema (replicas may start together). Returns the versions applied.
 */
export async function migratePostgres(pool: pg.Pool, schema?: string): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // current_schema() is null while the schema does not exist yet, hence the explicit name.
    await client.query(
      "SELECT pg_advisory_xact_lock(hashtext('switchyard-ledger-migrations:' || COALESCE($1, current_schema(), '')))",
      [schema ?? null],
    );
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(MIGRATIONS_TABLE_SQL);
    const applied = (
      await client.query<{ version: number }>('SELECT version FROM schema_migrations')
    ).rows.map((row) => row.version);
    const pending = pendingMigrations(applied);
    for (const migration of pending) {
      for (const statement of migration.statements('postgres')) await client.query(statement);
      await client.query(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [migration.version, migration.name, Date.now()],
      );
    }
    await client.query('COMMIT');
    return pending.map((migration) => migration.version);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
