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
/** The sums migration 2 created (its backfill stays on these). */
export const DAILY_SUM_COLUMNS_V2 = [
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
/** Every sum: migration 7 added `unpriced` (requests whose cost is unknown). */
export const DAILY_SUM_COLUMNS = [...DAILY_SUM_COLUMNS_V2, 'unpriced'] as const;
export type DailySumColumn = (typeof DAILY_SUM_COLUMNS)[number];
export const DAILY_COLUMN_NAMES: readonly string[] = [...DAILY_KEY_COLUMNS, ...DAILY_SUM_COLUMNS];

/**
 * What one `ledger_requests` row adds to its daily row, per sum column. An unknown cost (NULL)
 * adds 0 to the spend, counts as unpriced and saves nothing by routing: the reference cost is
 * compared only with known costs.
 */
const CONTRIBUTIONS: Record<DailySumColumn, string> = {
  requests: '1',
  errors: 'CASE WHEN status >= 400 THEN 1 ELSE 0 END',
  cache_hits: "CASE WHEN cache_status IN ('hit', 'shared') THEN 1 ELSE 0 END",
  estimated: 'cost_estimated',
  input_tokens: 'input_tokens',
  cached_input_tokens: 'cached_input_tokens',
  output_tokens: 'output_tokens',
  reasoning_tokens: 'reasoning_tokens',
  cost_nano_usd: 'COALESCE(cost_nano_usd, 0)',
  saved_nano_usd: 'saved_nano_usd',
  routing_saved_nano_usd:
    'CASE WHEN reference_cost_nano_usd IS NULL OR cost_nano_usd IS NULL THEN 0 ELSE reference_cost_nano_usd - cost_nano_usd - saved_nano_usd END',
  unpriced: 'CASE WHEN cost_nano_usd IS NULL THEN 1 ELSE 0 END',
};

/** A request row's contribution as a SELECT list: the key columns, then `sums` in order. */
export function contributionSql(sums: readonly DailySumColumn[] = DAILY_SUM_COLUMNS): string {
  return [
    `started_at / ${DAY_MS} AS day`,
    "COALESCE(api_key_id, '') AS api_key_id",
    "COALESCE(model, '') AS model",
    "COALESCE(provider, '') AS provider",
    ...sums.map((column) => `${CONTRIBUTIONS[column]} AS ${column}`),
  ].join(',\n  ');
}

/** What one `ledger_requests` row adds to its daily row, as a SELECT list in `DAILY_COLUMN_NAMES` order. */
export const REQUEST_CONTRIBUTION_SQL = contributionSql();

/**
 * Adds the request rows of `source` (a table, CTE or subquery with the `ledger_requests` columns,
 * filtered by `where`) to `ledger_daily`: insert new days, add to existing ones. Rows are sorted by
 * key so concurrent writers take row locks in the same order and cannot deadlock. The same text
 * runs on SQLite (which needs the WHERE to parse `ON CONFLICT` after a SELECT) and PostgreSQL.
 */
export function dailyUpsertSql(
  source: string,
  where = 'true',
  sumColumns: readonly DailySumColumn[] = DAILY_SUM_COLUMNS,
): string {
  const sums = sumColumns.map((column) => `SUM(${column})`).join(', ');
  const updates = sumColumns
    .map((column) => `${column} = ledger_daily.${column} + excluded.${column}`)
    .join(', ');
  const keys = DAILY_KEY_COLUMNS.join(', ');
  return `INSERT INTO ledger_daily (${[...DAILY_KEY_COLUMNS, ...sumColumns].join(', ')})
    SELECT ${keys}, ${sums}
    FROM (SELECT ${contributionSql(sumColumns)} FROM ${source} WHERE ${where}) AS contributions
    WHERE true
    GROUP BY ${keys}
    ORDER BY ${keys}
    ON CONFLICT (${keys}) DO UPDATE SET ${updates}`;
}
