import { DAY_MS } from './ledger-rows.js';

/**
 * The daily rollup: one `ledger_daily` row per (UTC day, key, model, provider), maintained in the
 * same transaction as the request rows it sums. Absent dimensions are stored as '' (primary-key
 * columns cannot be NULL in PostgreSQL) and read back as null.
 *
 * One SQL definition of what a request row adds to its day (`REQUEST_CONTRIBUTION_SQL`) serves
 * the write path of both stores, the migration backfill and the report's scan of partial days, so
 * the rollup and a scan cannot disagree.
 */
export const DAILY_KEY_COLUMNS = ['day', 'api_key_id', 'model', 'provider'] as const;
export const DAILY_SUM_COLUMNS = [
  'requests',
  'errors',
  'cache_hits',
  'estimated',
  'input_tokens',
  'cached_input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost_nano_usd',
  'saved_nano_usd',
  'routing_saved_nano_usd',
] as const;
export const DAILY_COLUMN_NAMES: readonly string[] = [...DAILY_KEY_COLUMNS, ...DAILY_SUM_COLUMNS];

/** What one `ledger_requests` row adds to its daily row, as a SELECT list in `DAILY_COLUMN_NAMES` order. */
export const REQUEST_CONTRIBUTION_SQL = `started_at / ${DAY_MS} AS day,
  COALESCE(api_key_id, '') AS api_key_id,
  COALESCE(model, '') AS model,
  COALESCE(provider, '') AS provider,
  1 AS requests,
  CASE WHEN status >= 400 THEN 1 ELSE 0 END AS errors,
  CASE WHEN cache_status IN ('hit', 'shared') THEN 1 ELSE 0 END AS cache_hits,
  cost_estimated AS estimated,
  input_tokens, cached_input_tokens, output_tokens, reasoning_tokens, cost_nano_usd, saved_nano_usd,
  CASE WHEN reference_cost_nano_usd IS NULL THEN 0 ELSE reference_cost_nano_usd - cost_nano_usd - saved_nano_usd END AS routing_saved_nano_usd`;

/**
 * Adds the request rows of `source` (a table, CTE or subquery with the `ledger_requests` columns,
 * filtered by `where`) to `ledger_daily`: insert new days, add to existing ones. Rows are sorted by
 * key so concurrent writers take row locks in the same order and cannot deadlock. The same text
 * runs on SQLite (which needs the WHERE to parse `ON CONFLICT` after a SELECT) and PostgreSQL.
 */
export function dailyUpsertSql(source: string, where = 'true'): string {
  const sums = DAILY_SUM_COLUMNS.map((column) => `SUM(${column})`).join(', ');
  const updates = DAILY_SUM_COLUMNS.map(
    (column) => `${column} = ledger_daily.${column} + excluded.${column}`,
  ).join(', ');
  const keys = DAILY_KEY_COLUMNS.join(', ');
  return `INSERT INTO ledger_daily (${DAILY_COLUMN_NAMES.join(', ')})
    SELECT ${keys}, ${sums}
    FROM (SELECT ${REQUEST_CONTRIBUTION_SQL} FROM ${source} WHERE ${where}) AS contributions
    WHERE true
    GROUP BY ${keys}
    ORDER BY ${keys}
    ON CONFLICT (${keys}) DO UPDATE SET ${updates}`;
}
