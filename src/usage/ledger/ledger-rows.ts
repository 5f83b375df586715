import type { LedgerAttempt, LedgerEntry } from './ledger.js';

/** Money is stored as integer nano-dollars (1e-9 USD): sums are exact and identical in every store. */
export const NANO_PER_USD = 1_000_000_000;
export const DAY_MS = 86_400_000;

const CACHE_STATUSES: ReadonlySet<string> = new Set(['hit', 'miss', 'bypass', 'shared', 'none']);

/** Column values as both drivers bind them. */
export type ColumnValue = string | number | null;

/** A `ledger_requests` row; keys are the column names. */
export interface RequestRow {
  entry_id: string;
  request_id: string;
  started_at: number;
  api_key_id: string | null;
  model_asked: string | null;
  model: string | null;
  provider: string | null;
  attempts: number;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  /** NULL: the price was unknown (migration 7); never 0 for that. */
  cost_nano_usd: number | null;
  cost_estimated: number;
  saved_nano_usd: number;
  reference_cost_nano_usd: number | null;
  latency_ms: number;
  first_token_ms: number | null;
  status: number;
  error_code: string | null;
  cache_status: string;
  route_reason: string | null;
  stream: number;
  endpoint: string | null;
  replica_id: string | null;
  bucket: string | null;
}

/** A `ledger_attempts` row. */
export interface AttemptRow {
  entry_id: string;
  attempt: number;
  request_id: string;
  provider: string;
  model: string;
  upstream_model: string;
  started_at: number;
  latency_ms: number;
  first_token_ms: number | null;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_nano_usd: number | null;
  status: number;
  error_code: string | null;
}

/**
 * One recorded entry as the column values both drivers bind: `request` in `REQUEST_COLUMN_NAMES`
 * order, each of `attempts` in `ATTEMPT_COLUMN_NAMES` order. Built in one pass at `record` time
 * and kept in this form until written: no row objects to convert per batch (`rowOf` gives one back
 * where names help).
 */
export interface EntryRows {
  entryId: string;
  request: ColumnValue[];
  attempts: ColumnValue[][];
}

/** Column name → PostgreSQL type, in insert order. */
export const REQUEST_COLUMNS = {
  entry_id: 'text',
  request_id: 'text',
  started_at: 'bigint',
  api_key_id: 'text',
  model_asked: 'text',
  model: 'text',
  provider: 'text',
  attempts: 'integer',
  input_tokens: 'bigint',
  cached_input_tokens: 'bigint',
  output_tokens: 'bigint',
  reasoning_tokens: 'bigint',
  cost_nano_usd: 'bigint',
  cost_estimated: 'smallint',
  saved_nano_usd: 'bigint',
  reference_cost_nano_usd: 'bigint',
  latency_ms: 'integer',
  first_token_ms: 'integer',
  status: 'smallint',
  error_code: 'text',
  cache_status: 'text',
  route_reason: 'text',
  stream: 'smallint',
  endpoint: 'text',
  replica_id: 'text',
  bucket: 'text',
} as const satisfies Record<keyof RequestRow, string>;

export const ATTEMPT_COLUMNS = {
  entry_id: 'text',
  attempt: 'smallint',
  request_id: 'text',
  provider: 'text',
  model: 'text',
  upstream_model: 'text',
  started_at: 'bigint',
  latency_ms: 'integer',
  first_token_ms: 'integer',
  input_tokens: 'bigint',
  cached_input_tokens: 'bigint',
  output_tokens: 'bigint',
  reasoning_tokens: 'bigint',
  cost_nano_usd: 'bigint',
  status: 'smallint',
  error_code: 'text',
} as const satisfies Record<keyof AttemptRow, string>;

export const REQUEST_COLUMN_NAMES = Object.keys(REQUEST_COLUMNS) as (keyof RequestRow)[];
export const ATTEMPT_COLUMN_NAMES = Object.keys(ATTEMPT_COLUMNS) as (keyof AttemptRow)[];

/** Column values (in `names` order) back as a row object keyed by column name. */
export function rowOf<Row>(names: readonly (keyof Row)[], values: readonly ColumnValue[]): Row {
  const row: Partial<Record<keyof Row, ColumnValue>> = {};
  names.forEach((name, index) => {
    row[name] = values[index] as ColumnValue;
  });
  return row as Row;
}

/**
 * Turns a recorded entry into column values, sanitizing on the way: `record` must never throw on
 * the request path, so bad numbers become 0 (or null) and long texts are cut instead of rejected.
 * The literals follow `REQUEST_COLUMNS` and `ATTEMPT_COLUMNS` in order (ledger-rows.test.ts checks
 * every column by name).
 */
export function entryToRows(entry: LedgerEntry, entryId: string): EntryRows {
  const request = entry.request;
  const usage = request.usage;
  const requestId = text(request.requestId, 200) ?? '';
  const values: ColumnValue[] = [
    entryId,
    requestId,
    count(request.startedAt),
    text(request.apiKeyId, 200),
    text(request.modelAsked, 200),
    text(request.model, 200),
    text(request.provider, 200),
    entry.attempts.length,
    count(usage?.inputTokens),
    count(usage?.cachedInputTokens),
    count(usage?.outputTokens),
    count(usage?.reasoningTokens),
    knownNano(request.costUsd),
    request.costEstimated === true ? 1 : 0,
    nano(request.savedUsd),
    request.referenceCostUsd === undefined || request.referenceCostUsd === null
      ? null
      : nano(request.referenceCostUsd),
    count(request.latencyMs),
    optionalCount(request.firstTokenMs),
    status(request.status),
    text(request.errorCode, 100),
    CACHE_STATUSES.has(request.cacheStatus) ? request.cacheStatus : 'none',
    text(request.routeReason, 1000),
    request.stream === true ? 1 : 0,
    text(request.endpoint, 100),
    text(request.replicaId, 128),
    text(request.bucket, 200),
  ];
  const attempts: ColumnValue[][] = [];
  for (let index = 0; index < entry.attempts.length; index += 1) {
    attempts.push(
      attemptValues(entry.attempts[index] as LedgerAttempt, index + 1, entryId, requestId),
    );
  }
  return { entryId, request: values, attempts };
}

function attemptValues(
  attempt: LedgerAttempt,
  number: number,
  entryId: string,
  requestId: string,
): ColumnValue[] {
  const usage = attempt.usage;
  return [
    entryId,
    number,
    requestId,
    text(attempt.provider, 200) ?? '',
    text(attempt.model, 200) ?? '',
    text(attempt.upstreamModel, 200) ?? '',
    count(attempt.startedAt),
    count(attempt.latencyMs),
    optionalCount(attempt.firstTokenMs),
    count(usage?.inputTokens),
    count(usage?.cachedInputTokens),
    count(usage?.outputTokens),
    count(usage?.reasoningTokens),
    knownNano(attempt.costUsd),
    status(attempt.status),
    text(attempt.errorCode, 100),
  ];
}

/** USD → integer nano-dollars; negative or non-finite amounts become 0. */
export function nano(usd: number | undefined): number {
  return typeof usd === 'number' && Number.isFinite(usd) && usd > 0
    ? Math.round(usd * NANO_PER_USD)
    : 0;
}

/** A cost that may be unknown: null stays null (an unknown price), anything else as `nano`. */
export function knownNano(usd: number | null | undefined): number | null {
  return usd === null ? null : nano(usd);
}

function count(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

function optionalCount(value: number | null | undefined): number | null {
  return value === undefined || value === null ? null : count(value);
}

function status(value: number): number {
  return Number.isInteger(value) && value >= 0 && value < 1000 ? value : 0;
}

export function text(value: string | null | undefined, maxLength: number): string | null {
  if (typeof value !== 'string') return null;
  return value.length > maxLength ? value.slice(0, maxLength) : value;
}
