import { existsSync } from 'node:fs';
import path from 'node:path';
import type {
  GroupDimension,
  ReportFigures,
  SelfHostedPrice,
  UsageReport,
} from '../ledger/ledger.js';
import { formatOutcomesTable } from './format-outcomes.js';
import { openLedger } from '../ledger/open-ledger.js';
import { SQLITE_FILE_NAME } from '../ledger/sqlite-ledger.js';
import { parseGroupBy, parseTimeBound } from './report-range.js';

const DIMENSION_TITLES: Record<GroupDimension, string> = {
  model: 'Model',
  provider: 'Provider',
  key: 'Key',
  day: 'Day (UTC)',
};

interface Column {
  title: string;
  value: (figures: ReportFigures) => string;
}

const FIGURE_COLUMNS: Column[] = [
  { title: 'Requests', value: (figures) => integer(figures.requests) },
  { title: 'Errors', value: (figures) => integer(figures.errors) },
  { title: 'Cache hits', value: (figures) => integer(figures.cacheHits) },
  { title: 'Input tok', value: (figures) => compact(figures.inputTokens) },
  { title: 'Cached in', value: (figures) => compact(figures.cachedInputTokens) },
  { title: 'Output tok', value: (figures) => compact(figures.outputTokens) },
  {
    title: 'Cost',
    value: (figures) => `${figures.estimatedCostRequests > 0 ? '~' : ''}${usd(figures.costUsd)}`,
  },
  { title: 'Saved cache', value: (figures) => usd(figures.savedByCacheUsd) },
  { title: 'Saved routing', value: (figures) => usd(figures.savedByRoutingUsd) },
];
/** Shown when self-hosted boxes served some request: their hours, attributed by tokens. */
const SELF_HOSTED_COLUMN: Column = {
  title: 'Self-hosted',
  value: (figures) => usd(figures.selfHostedUsd),
};
/** Shown when some request in the report had no price. */
const UNPRICED_COLUMN: Column = {
  title: 'No price',
  value: (figures) => integer(figures.unpricedRequests),
};

/** The `switchyard costs` table: one line per group, a totals line, and a savings summary. */
export function formatCostsTable(report: UsageReport): string {
  const range = `${timeLabel(report.from)} → ${timeLabel(report.to)} UTC`;
  const heading = `Usage ${range}${report.groupBy.length > 0 ? `, by ${report.groupBy.join(', ')}` : ''}`;
  if (report.totals.requests === 0) return `${heading}\n\nNo requests in this period.\n`;
  const columns = [
    ...FIGURE_COLUMNS.slice(0, 7),
    ...(report.totals.selfHostedUsd > 0 ? [SELF_HOSTED_COLUMN] : []),
    ...(report.totals.unpricedRequests > 0 ? [UNPRICED_COLUMN] : []),
    ...FIGURE_COLUMNS.slice(7),
  ];
  const header = [
    ...report.groupBy.map((dimension) => DIMENSION_TITLES[dimension]),
    ...columns.map((column) => column.title),
  ];
  const lines: string[][] = report.rows.map((row) => [
    ...report.groupBy.map((dimension) => row.group[dimension] ?? '(none)'),
    ...columns.map((column) => column.value(row)),
  ]);
  const totalsLine = [
    ...report.groupBy.map((_, index) => (index === 0 ? 'Total' : '')),
    ...columns.map((column) => column.value(report.totals)),
  ];
  const table = report.groupBy.length > 0 ? [header, ...lines, totalsLine] : [header, totalsLine];
  const widths = header.map((_, index) =>
    Math.max(...table.map((line) => (line[index] ?? '').length)),
  );
  const leftAligned = report.groupBy.length;
  const render = (line: string[]) =>
    line
      .map((cell, index) =>
        index < leftAligned ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  const body =
    report.groupBy.length > 0
      ? [render(header), rule, ...lines.map(render), rule, render(totalsLine)]
      : [render(header), rule, render(totalsLine)];
  return `${heading}\n\n${body.join('\n')}\n\n${summary(report.totals)}`;
}

function summary(totals: ReportFigures): string {
  const saved = totals.savedByCacheUsd + totals.savedByRoutingUsd;
  const wouldHaveCost = totals.costUsd + totals.selfHostedUsd + saved;
  const share =
    wouldHaveCost > 0 && saved > 0
      ? ` (${((saved / wouldHaveCost) * 100).toFixed(1)}% of ${usd(wouldHaveCost)})`
      : '';
  const lines = [
    `Spent ${usd(totals.costUsd)} on ${integer(totals.requests)} requests (${integer(totals.errors)} errors). Saved ${usd(saved)}${share}: ${usd(totals.savedByCacheUsd)} by the cache, ${usd(totals.savedByRoutingUsd)} by routing.`,
  ];
  if (totals.selfHostedUsd > 0)
    lines.push(
      `Self-hosted boxes: ${usd(totals.selfHostedUsd)} of their hourly cost (each hour they served, shared by tokens), not in the spend and taken off the routing saving.`,
    );
  if (totals.estimatedCostRequests > 0) {
    const count = totals.estimatedCostRequests;
    lines.push(
      `~ ${integer(count)} ${count === 1 ? 'request is' : 'requests are'} priced on estimated token counts (the provider reported no usage).`,
    );
  }
  if (totals.unpricedRequests > 0) {
    const count = totals.unpricedRequests;
    lines.push(
      `${integer(count)} ${count === 1 ? 'request has' : 'requests have'} no price (a deployment without one): not in the spend, nothing saved by routing.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface RunCostsOptions {
  /** SQLite ledger directory (used when no database URL is given). */
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Start (inclusive); see parseTimeBound. Default `7d`: the last 7 UTC calendar days, today included. */
  from?: string | Date | undefined;
  /** End (exclusive). Default: now. */
  to?: string | Date | undefined;
  /** `model,day` or a list. Default: `model`. */
  groupBy?: string | readonly string[] | undefined;
  /** Print the report as JSON instead of a table. */
  json?: boolean | undefined;
  /** The answer-outcomes report (per model, provider, bucket and signal) instead of spend. */
  outcomes?: boolean | undefined;
  /** Deployments paid by the hour: their requests are charged the box's hours (docs/breakeven.md). */
  selfHosted?: readonly SelfHostedPrice[] | undefined;
  /** Output sinks (default process.stdout / process.stderr). */
  write?: (text: string) => void;
  writeError?: (text: string) => void;
  /** Clock, for tests. */
  now?: () => number;
}

/** `switchyard costs`: prints the report; returns the exit code (2 for bad options). */
export async function runCosts(options: RunCostsOptions): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const writeError = options.writeError ?? ((text: string) => void process.stderr.write(text));
  const now = (options.now ?? Date.now)();
  let query: { from: number; to: number; groupBy: GroupDimension[] };
  try {
    query = {
      from: bound(options.from ?? '7d', now),
      to: bound(options.to ?? 'now', now),
      groupBy: parseGroupBy(options.groupBy ?? 'model'),
    };
    if (query.to < query.from) throw new RangeError('--to is before --from');
  } catch (error) {
    writeError(`switchyard costs: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const usesSqlite = options.databaseUrl === undefined || options.databaseUrl === '';
  const sqliteFile = path.join(options.dataDir, SQLITE_FILE_NAME);
  let report: UsageReport;
  if (usesSqlite && !existsSync(sqliteFile)) {
    // A read command does not create the database; no file means nothing was recorded yet.
    report = {
      from: new Date(query.from),
      to: new Date(query.to),
      groupBy: query.groupBy,
      rows: [],
      totals: emptyFigures(),
    };
    if (options.json !== true) writeError(`No ledger at ${sqliteFile} yet.\n`);
  } else {
    const ledger = await openLedger({ dataDir: options.dataDir, databaseUrl: options.databaseUrl });
    try {
      if (options.outcomes === true) {
        const rows = await ledger.outcomeReport({ from: query.from, to: query.to });
        write(
          options.json === true
            ? `${JSON.stringify({ from: new Date(query.from), to: new Date(query.to), rows }, null, 2)}\n`
            : formatOutcomesTable(rows, query.from, query.to),
        );
        return 0;
      }
      report = await ledger.report({ ...query, selfHosted: options.selfHosted ?? [], now });
    } finally {
      await ledger.close();
    }
  }
  write(options.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatCostsTable(report));
  return 0;
}

function bound(value: string | Date, now: number): number {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('invalid date');
    return value.getTime();
  }
  return parseTimeBound(value, now);
}

function emptyFigures(): ReportFigures {
  return {
    requests: 0,
    errors: 0,
    cacheHits: 0,
    estimatedCostRequests: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    unpricedRequests: 0,
    savedByCacheUsd: 0,
    savedByRoutingUsd: 0,
    selfHostedUsd: 0,
  };
}

function timeLabel(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

function integer(value: number): string {
  return value.toLocaleString('en-US');
}

/** 950, 12.3k, 4.56M, 1.2B */
function compact(value: number): string {
  if (Math.abs(value) < 1000) return String(value);
  for (const [limit, suffix] of [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (Math.abs(value) >= limit) return `${Number((value / limit).toPrecision(3))}${suffix}`;
  }
  return String(value);
}

/** Dollars with enough decimals to show per-request amounts: $1,234.50, $0.0558, $0.000014. */
export function usd(value: number): string {
  const sign = value < 0 ? '-' : '';
  const magnitude = Math.abs(value);
  if (magnitude === 0) return '$0.00';
  if (magnitude >= 1)
    return `${sign}$${magnitude.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (magnitude >= 0.01) return `${sign}$${magnitude.toFixed(4)}`;
  return `${sign}$${magnitude.toFixed(6)}`;
}
