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
  cost_nano_usd: number;
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
  cost_nano_usd: number;
  status: number;
  error_code: string | null;
}

/** One recorded entry as rows, ready to write. */
export interface EntryRows {
  request: RequestRow;
  attempts: AttemptRow[];
}

/** Column name → PostgreSQL type, in insert order. */
export const REQUEST_COLUMNS = {
  entry_id: 'text', request_id: 'text', started_at: 'bigint', api_key_id: 'text', model_asked: 'text',
  model: 'text', provider: 'text', attempts: 'integer', input_tokens: 'bigint', cached_input_tokens: 'bigint',
  output_tokens: 'bigint', reasoning_tokens: 'bigint', cost_nano_usd: 'bigint', cost_estimated: 'smallint',
  saved_nano_usd: 'bigint', reference_cost_nano_usd: 'bigint', latency_ms: 'integer', first_token_ms: 'integer',
  status: 'smallint', error_code: 'text', cache_status: 'text', route_reason: 'text', stream: 'smallint',
} as const satisfies Record<keyof RequestRow, string>;

export const ATTEMPT_COLUMNS = {
  entry_id: 'text', attempt: 'smallint', request_id: 'text', provider: 'text', model: 'text', upstream_model: 'text',
  started_at: 'bigint', latency_ms: 'integer', first_token_ms: 'integer', input_tokens: 'bigint',
  cached_input_tokens: 'bigint', output_tokens: 'bigint', reasoning_tokens: 'bigint', cost_nano_usd: 'bigint',
  status: 'smallint', error_code: 'text',
} as const satisfies Record<keyof AttemptRow, string>;

export const REQUEST_COLUMN_NAMES = Object.keys(REQUEST_COLUMNS) as (keyof RequestRow)[];
export const ATTEMPT_COLUMN_NAMES = Object.keys(ATTEMPT_COLUMNS) as (keyof AttemptRow)[];

export function columnValues<Row extends object>(row: Row, names: readonly (keyof Row)[]): ColumnValue[] {
  return names.map((name) => row[name] as ColumnValue);
}

/**
 * Turns a recorded entry into rows, sanitizing on the way: `record` must never throw on the
 * request path, so bad numbers become 0 (or null) and long texts are cut instead of rejected.
 */
export function entryToRows(entry: LedgerEntry, entryId: string): EntryRows {
  const request = entry.request;
  const usage = tokens(request.usage);
  const requestId = text(request.requestId, 200) ?? '';
  const row: RequestRow = {
    entry_id: entryId,
    request_id: requestId,
    started_at: count(request.startedAt),
    api_key_id: text(request.apiKeyId, 200),
    model_asked: text(request.modelAsked, 200),
    model: text(request.model, 200),
    provider: text(request.provider, 200),
    attempts: entry.attempts.length,
    ...usage,
    cost_nano_usd: nano(request.costUsd),
    cost_estimated: request.costEstimated === true ? 1 : 0,
    saved_nano_usd: nano(request.savedUsd),
    reference_cost_nano_usd: request.referenceCostUsd === undefined || request.referenceCostUsd === null ? null : nano(request.referenceCostUsd),
    latency_ms: count(request.latencyMs),
    first_token_ms: optionalCount(request.firstTokenMs),
    status: status(request.status),
    error_code: text(request.errorCode, 100),
    cache_status: CACHE_STATUSES.has(request.cacheStatus) ? request.cacheStatus : 'none',
    route_reason: text(request.routeReason, 1000),
    stream: request.stream === true ? 1 : 0,
  };
  const attempts = entry.attempts.map((attempt, index) => attemptRow(attempt, index + 1, entryId, requestId));
  return { request: row, attempts };
}

function attemptRow(attempt: LedgerAttempt, number: number, entryId: string, requestId: string): AttemptRow {
  return {
    entry_id: entryId,
    attempt: number,
    request_id: requestId,
    provider: text(attempt.provider, 200) ?? '',
    model: text(attempt.model, 200) ?? '',
    upstream_model: text(attempt.upstreamModel, 200) ?? '',
    started_at: count(attempt.startedAt),
    latency_ms: count(attempt.latencyMs),
    first_token_ms: optionalCount(attempt.firstTokenMs),
    ...tokens(attempt.usage),
    cost_nano_usd: nano(attempt.costUsd),
    status: status(attempt.status),
    error_code: text(attempt.errorCode, 100),
  };
}

function tokens(usage: LedgerEntry['request']['usage']): Pick<RequestRow, 'input_tokens' | 'cached_input_tokens' | 'output_tokens' | 'reasoning_tokens'> {
  return {
    input_tokens: count(usage?.inputTokens),
    cached_input_tokens: count(usage?.cachedInputTokens),
    output_tokens: count(usage?.outputTokens),
    reasoning_tokens: count(usage?.reasoningTokens),
  };
}

/** USD → integer nano-dollars; negative or non-finite amounts become 0. */
export function nano(usd: number | undefined): number {
  return typeof usd === 'number' && Number.isFinite(usd) && usd > 0 ? Math.round(usd * NANO_PER_USD) : 0;
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

function text(value: string | null | undefined, maxLength: number): string | null {
  if (typeof value !== 'string') return null;
  return value.length > maxLength ? value.slice(0, maxLength) : value;
}
