import { redactText } from '../../core/redact.js';
import pg from 'pg';
import { createQueuedLedger } from './create-queued-ledger.js';
import { dailyUpsertSql } from './daily-rollup.js';
import type { Ledger, LedgerWriteOptions } from './ledger.js';
import {
  ATTEMPT_COLUMNS,
  ATTEMPT_COLUMN_NAMES,
  type ColumnValue,
  type EntryRows,
  REQUEST_COLUMNS,
  REQUEST_COLUMN_NAMES,
} from './ledger-rows.js';
import { MIGRATIONS_TABLE_SQL, pendingMigrations } from './migrations.js';
import { buildReport, buildReportStatement } from './report-sql.js';

export interface PostgresLedgerOptions extends LedgerWriteOptions {
  /** `postgres://user@host:port/database` */
  url: string;
  /** Schema for the ledger tables (created when missing); default: the server's search_path (usually `public`). */
  schema?: string;
  /** Pool size (default 4): one connection writes, the others serve reports. */
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The shared ledger for several replicas: a `pg` pool, one transaction per batch with
 * column-array (`unnest`) inserts, so a batch of any size is one statement (one round trip).
 */
export async function openPostgresLedger(options: PostgresLedgerOptions): Promise<Ledger> {
  const log =
    options.log ?? ((message: string) => process.stderr.write(`[ledger] ${redactText(message)}\n`));
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema))
    throw new Error(`ledger: invalid PostgreSQL schema name ${JSON.stringify(options.schema)}`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 4,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', (error) => log(`idle PostgreSQL connection failed: ${error.message}`));
  try {
    await migratePostgres(pool, options.schema);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return createQueuedLedger(
    {
      kind: 'postgres',
      // Kept as values: a batch becomes one array per column for `unnest`.
      queue: (rows: EntryRows) => rows,
      writeBatch: (batch) => writeBatch(pool, batch),
      async report(query) {
        const statement = buildReportStatement(query, (position) => `$${position}`);
        const result = await pool.query(statement.sql, statement.params);
        return buildReport(query, result.rows as Record<string, unknown>[]);
      },
      async select(build) {
        const statement = build((position) => `$${position}`);
        return (await pool.query(statement.sql, statement.params)).rows as Record<
          string,
          unknown
        >[];
      },
      close: () => pool.end(),
    },
    { ...options, log },
  );
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

/**
 * One statement per batch (atomic on its own): insert the requests, skipping entry ids already
 * stored (a batch retried after an ambiguous commit failure); insert the attempts of the new rows
 * only; add the new rows to the daily rollup.
 */
const BATCH_SQL = `WITH inserted AS (
    INSERT INTO ledger_requests (${REQUEST_COLUMN_NAMES.join(', ')}) ${unnestSelect(REQUEST_COLUMNS, REQUEST_COLUMN_NAMES, 1)}
    ON CONFLICT (entry_id) DO NOTHING
    RETURNING *
  ), attempts AS (
    INSERT INTO ledger_attempts (${ATTEMPT_COLUMN_NAMES.join(', ')})
    SELECT * FROM (${unnestSelect(ATTEMPT_COLUMNS, ATTEMPT_COLUMN_NAMES, REQUEST_COLUMN_NAMES.length + 1)}) AS attempt
    WHERE attempt.entry_id IN (SELECT entry_id FROM inserted)
    ON CONFLICT (entry_id, attempt) DO NOTHING
  )
  ${dailyUpsertSql('inserted')}`;

async function writeBatch(pool: pg.Pool, batch: EntryRows[]): Promise<void> {
  const requests = batch.map((entry) => entry.request);
  const attempts = batch.flatMap((entry) => entry.attempts);
  await pool.query(BATCH_SQL, [
    ...columnArrays(requests, REQUEST_COLUMN_NAMES),
    ...columnArrays(attempts, ATTEMPT_COLUMN_NAMES),
  ]);
}

function unnestSelect<Row>(
  types: Record<keyof Row, string>,
  names: readonly (keyof Row)[],
  firstParameter: number,
): string {
  const arrays = names.map((name, index) => `$${firstParameter + index}::${types[name]}[]`);
  return `SELECT * FROM unnest(${arrays.join(', ')}) AS source (${names.join(', ')})`;
}

/** Rows of column values (in `names` order) as one array per column, for `unnest`. */
function columnArrays(rows: readonly ColumnValue[][], names: readonly string[]): ColumnValue[][] {
  return names.map((_name, index) => rows.map((row) => row[index] as ColumnValue));
}
