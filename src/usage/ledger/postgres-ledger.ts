import { redactText } from '../../core/redact.js';
import type pg from 'pg';
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
import { openMigratedPostgresPool } from './postgres-pool.js';
import { buildReport, buildReportStatement } from './report-sql.js';

export { migratePostgres } from './postgres-pool.js';

export interface PostgresLedgerOptions extends LedgerWriteOptions {
  /** `postgres://user@host:port/database` */
  url: string;
  /** Schema for the ledger tables (created when missing); default: the server's search_path (usually `public`). */
  schema?: string;
  /** Pool size (default 4): one connection writes, the others serve reports. */
  poolSize?: number;
}

/**
 * The shared ledger for several replicas: a `pg` pool, one transaction per batch with
 * column-array (`unnest`) inserts, so a batch of any size is one statement (one round trip).
 */
export async function openPostgresLedger(options: PostgresLedgerOptions): Promise<Ledger> {
  const log =
    options.log ?? ((message: string) => process.stderr.write(`[ledger] ${redactText(message)}\n`));
  const pool = await openMigratedPostgresPool({
    url: options.url,
    schema: options.schema,
    poolSize: options.poolSize ?? 4,
    what: 'ledger',
    log,
  });
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
