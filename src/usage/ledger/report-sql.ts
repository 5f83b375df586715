import { DAILY_COLUMN_NAMES, DAILY_SUM_COLUMNS, REQUEST_CONTRIBUTION_SQL } from './daily-rollup.js';
import { DAY_MS, NANO_PER_USD } from './ledger-rows.js';
import type {
  GroupDimension,
  ReportFigures,
  ReportQuery,
  ReportRow,
  UsageReport,
} from './ledger.js';

const DIMENSION_COLUMNS: Record<GroupDimension, string> = {
  model: 'model',
  provider: 'provider',
  key: 'api_key_id',
  day: 'day',
};
const GROUP_DIMENSIONS: ReadonlySet<string> = new Set(Object.keys(DIMENSION_COLUMNS));

export interface ReportStatement {
  sql: string;
  params: number[];
}

export interface NormalizedReportQuery {
  from: number;
  to: number;
  groupBy: GroupDimension[];
  useRollup: boolean;
}

export function normalizeReportQuery(query: ReportQuery): NormalizedReportQuery {
  const from = query.from instanceof Date ? query.from.getTime() : query.from;
  const to = query.to instanceof Date ? query.to.getTime() : query.to;
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw new RangeError('report: from and to must be valid times');
  if (to < from) throw new RangeError('report: to must not be before from');
  const groupBy: GroupDimension[] = [];
  for (const dimension of query.groupBy) {
    if (!GROUP_DIMENSIONS.has(dimension))
      throw new RangeError(`report: unknown group dimension ${String(dimension)}`);
    if (!groupBy.includes(dimension)) groupBy.push(dimension);
  }
  return { from, to, groupBy, useRollup: query.useRollup !== false };
}

/**
 * One statement for a report. Whole UTC days inside [from, to) come from `ledger_daily`; the
 * partial days at either edge (or the whole range with `useRollup: false`) are summed from
 * `ledger_requests` through its `started_at` index. `placeholder(n)` renders the n-th (1-based)
 * parameter: `?` for SQLite, `$n` for PostgreSQL.
 */
export function buildReportStatement(
  query: NormalizedReportQuery,
  placeholder: (position: number) => string,
): ReportStatement {
  const params: number[] = [];
  const parameter = (value: number): string => {
    params.push(value);
    return placeholder(params.length);
  };
  const firstWholeDay = Math.ceil(query.from / DAY_MS);
  const endWholeDay = Math.floor(query.to / DAY_MS);
  const parts: string[] = [];
  const rawRanges: [number, number][] = [];
  if (query.useRollup && firstWholeDay < endWholeDay) {
    parts.push(
      `SELECT ${DAILY_COLUMN_NAMES.join(', ')} FROM ledger_daily WHERE day >= ${parameter(firstWholeDay)} AND day < ${parameter(endWholeDay)}`,
    );
    if (query.from < firstWholeDay * DAY_MS) rawRanges.push([query.from, firstWholeDay * DAY_MS]);
    if (endWholeDay * DAY_MS < query.to) rawRanges.push([endWholeDay * DAY_MS, query.to]);
  } else if (query.from < query.to) {
    rawRanges.push([query.from, query.to]);
  }
  for (const [start, end] of rawRanges) {
    parts.push(
      `SELECT ${REQUEST_CONTRIBUTION_SQL} FROM ledger_requests WHERE started_at >= ${parameter(start)} AND started_at < ${parameter(end)}`,
    );
  }
  if (parts.length === 0)
    parts.push(`SELECT ${DAILY_COLUMN_NAMES.join(', ')} FROM ledger_daily WHERE 1 = 0`);
  const dimensions = query.groupBy.map((dimension) => DIMENSION_COLUMNS[dimension]);
  const sums = DAILY_SUM_COLUMNS.map((column) => `SUM(${column}) AS ${column}`);
  const sql = `SELECT ${[...dimensions, ...sums].join(', ')}
    FROM (${parts.join('\n    UNION ALL ')}) AS figures${dimensions.length > 0 ? `\n    GROUP BY ${dimensions.join(', ')}` : ''}`;
  return { sql, params };
}

/** Integer sums as the drivers return them: bigint (SQLite safe integers), string (pg int8/numeric), number or null. */
type DatabaseInteger = bigint | string | number | null;

type FigureSums = Record<(typeof DAILY_SUM_COLUMNS)[number], bigint>;

/** Turns the statement's rows into a report: exact integer sums, rows sorted the same way in every store. */
export function buildReport(
  query: NormalizedReportQuery,
  databaseRows: readonly Record<string, unknown>[],
): UsageReport {
  const totals = emptySums();
  const rows: { group: ReportRow['group']; sums: FigureSums; sortKey: string[] }[] = [];
  for (const databaseRow of databaseRows) {
    const sums = emptySums();
    for (const column of DAILY_SUM_COLUMNS)
      sums[column] = toBigInt(databaseRow[column] as DatabaseInteger);
    if (sums.requests === 0n) continue; // an aggregate over no rows
    for (const column of DAILY_SUM_COLUMNS) totals[column] += sums[column];
    const group: ReportRow['group'] = {};
    const sortKey: string[] = [];
    for (const dimension of query.groupBy) {
      const value = databaseRow[DIMENSION_COLUMNS[dimension]];
      const text =
        dimension === 'day'
          ? dayLabel(Number(toBigInt(value as DatabaseInteger)))
          : String(value ?? '');
      group[dimension] = text === '' ? null : text;
      sortKey.push(text);
    }
    rows.push({ group, sums, sortKey });
  }
  rows.sort((left, right) => compareKeys(left.sortKey, right.sortKey));
  return {
    from: new Date(query.from),
    to: new Date(query.to),
    groupBy: query.groupBy,
    rows: rows.map(({ group, sums }) => ({ group, ...toFigures(sums) })),
    totals: toFigures(totals),
  };
}

function toFigures(sums: FigureSums): ReportFigures {
  return {
    requests: Number(sums.requests),
    errors: Number(sums.errors),
    cacheHits: Number(sums.cache_hits),
    estimatedCostRequests: Number(sums.estimated),
    inputTokens: Number(sums.input_tokens),
    cachedInputTokens: Number(sums.cached_input_tokens),
    outputTokens: Number(sums.output_tokens),
    reasoningTokens: Number(sums.reasoning_tokens),
    costUsd: nanoToUsd(sums.cost_nano_usd),
    unpricedRequests: Number(sums.unpriced),
    savedByCacheUsd: nanoToUsd(sums.saved_nano_usd),
    savedByRoutingUsd: nanoToUsd(sums.routing_saved_nano_usd),
    selfHostedUsd: 0,
  };
}

/** Whole dollars and the nano remainder are converted separately, so large sums keep their cents. */
export function nanoToUsd(nano: bigint): number {
  const divisor = BigInt(NANO_PER_USD);
  return Number(nano / divisor) + Number(nano % divisor) / NANO_PER_USD;
}

function emptySums(): FigureSums {
  return Object.fromEntries(DAILY_SUM_COLUMNS.map((column) => [column, 0n])) as FigureSums;
}

function toBigInt(value: DatabaseInteger): bigint {
  if (value === null) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  return BigInt(value.includes('.') ? value.slice(0, value.indexOf('.')) : value);
}

function dayLabel(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function compareKeys(left: string[], right: string[]): number {
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] ?? '';
    const b = right[index] ?? '';
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}
