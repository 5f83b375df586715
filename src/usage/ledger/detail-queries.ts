import { NANO_PER_USD } from './ledger-rows.js';
import type { CacheStatus } from './ledger.js';
import type { SelfHostedPrice } from './self-hosted-charge.js';

/**
 * Row-level and time-slot queries over `ledger_requests` / `ledger_attempts`, for the dashboard
 * and the break-even calculator. One SQL text per query serves both stores; `placeholder(n)`
 * renders the n-th parameter (`?` for SQLite, `$n` for PostgreSQL).
 */

export interface Statement {
  sql: string;
  params: Array<number | string | null>;
}
export type Placeholder = (position: number) => string;

export interface WindowQuery {
  /** Inclusive start, epoch ms. */
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
  /** At most this many rows (newest first where rows are listed). */
  limit?: number;
}

/** The self-hosted boxes whose hourly cost the savings figures charge (self-hosted-charge.ts), and the clock for the running hour. */
export interface SelfHostedOptions {
  selfHosted?: readonly SelfHostedPrice[];
  /** Epoch ms; default Date.now(). */
  now?: number;
}

export interface RecentRequest {
  entryId: string;
  requestId: string;
  startedAt: number;
  apiKeyId: string | null;
  modelAsked: string | null;
  model: string | null;
  provider: string | null;
  attempts: number;
  inputTokens: number;
  outputTokens: number;
  /** Null: the price was unknown. */
  costUsd: number | null;
  savedUsd: number;
  latencyMs: number;
  firstTokenMs: number | null;
  status: number;
  errorCode: string | null;
  cacheStatus: CacheStatus;
  routeReason: string | null;
  stream: boolean;
  /** The replica that served it (null for rows older than migration 7). */
  replicaId: string | null;
}

export interface AttemptRow {
  provider: string;
  model: string;
  startedAt: number;
  latencyMs: number;
  firstTokenMs: number | null;
  outputTokens: number;
  status: number;
  errorCode: string | null;
}

/** Prompt-size buckets (input tokens) traffic is split by. */
export const PROMPT_BUCKETS = [
  { name: '<1k', below: 1_000 },
  { name: '1k-4k', below: 4_000 },
  { name: '4k-16k', below: 16_000 },
  { name: '16k+', below: Number.POSITIVE_INFINITY },
] as const;
export type PromptBucket = (typeof PROMPT_BUCKETS)[number]['name'];

export interface TrafficRow {
  model: string;
  provider: string;
  bucket: PromptBucket;
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** Known spend only. */
  costUsd: number;
  /** Requests among them whose price was unknown. */
  unpricedRequests: number;
}

export interface TimeSlot {
  /** Slot start, epoch ms. */
  start: number;
  requests: number;
  errors: number;
  /** Requests that needed more than one upstream attempt. */
  failovers: number;
  cacheHits: number;
  costUsd: number;
  /** Requests whose price was unknown (not in `costUsd`, nothing saved by routing). */
  unpricedRequests: number;
  savedByCacheUsd: number;
  /** Net of the self-hosted boxes' attributed hourly cost when the query names their prices. */
  savedByRoutingUsd: number;
  /** The self-hosted boxes' hourly cost attributed to the slot's requests (0 unless the query names their prices). */
  selfHostedUsd: number;
}

const REQUEST_FIELDS =
  'entry_id, request_id, started_at, api_key_id, model_asked, model, provider, attempts, input_tokens, output_tokens, cost_nano_usd, saved_nano_usd, latency_ms, first_token_ms, status, error_code, cache_status, route_reason, stream, replica_id';

/** A statement's bound values in order; `add` binds one and returns its placeholder. */
export function queryParameters<Value extends number | string | null>(
  placeholder: Placeholder,
): { params: Value[]; add: (value: Value) => string } {
  const params: Value[] = [];
  const add = (value: Value): string => {
    params.push(value);
    return placeholder(params.length);
  };
  return { params, add };
}

const parameters = (placeholder: Placeholder) => queryParameters<number>(placeholder);

const limitOf = (query: WindowQuery, fallback: number, max: number): number =>
  Math.max(1, Math.min(max, Math.floor(query.limit ?? fallback)));

export function recentRequestsStatement(query: WindowQuery, placeholder: Placeholder): Statement {
  const { params, add } = parameters(placeholder);
  const sql = `SELECT ${REQUEST_FIELDS} FROM ledger_requests WHERE started_at >= ${add(query.from)} AND started_at < ${add(query.to)} ORDER BY started_at DESC, entry_id DESC LIMIT ${add(limitOf(query, 50, 1000))}`;
  return { sql, params };
}

export function attemptRowsStatement(query: WindowQuery, placeholder: Placeholder): Statement {
  const { params, add } = parameters(placeholder);
  const sql = `SELECT provider, model, started_at, latency_ms, first_token_ms, output_tokens, status, error_code FROM ledger_attempts WHERE started_at >= ${add(query.from)} AND started_at < ${add(query.to)} ORDER BY started_at DESC LIMIT ${add(limitOf(query, 20_000, 100_000))}`;
  return { sql, params };
}

/** Answered requests that reached a model (no cache hits, no failures), by model, provider and prompt bucket. */
export function trafficMixStatement(query: WindowQuery, placeholder: Placeholder): Statement {
  const { params, add } = parameters(placeholder);
  const cases = PROMPT_BUCKETS.filter((bucket) => Number.isFinite(bucket.below))
    .map((bucket) => `WHEN input_tokens < ${bucket.below} THEN '${bucket.name}'`)
    .join(' ');
  const bucket = `CASE ${cases} ELSE '${PROMPT_BUCKETS[PROMPT_BUCKETS.length - 1]!.name}' END`;
  const sql = `SELECT model, provider, bucket, COUNT(*) AS requests, SUM(input_tokens) AS input_tokens, SUM(cached_input_tokens) AS cached_input_tokens, SUM(output_tokens) AS output_tokens, SUM(cost_nano_usd) AS cost_nano_usd, SUM(CASE WHEN cost_nano_usd IS NULL THEN 1 ELSE 0 END) AS unpriced
    FROM (SELECT model, provider, input_tokens, cached_input_tokens, output_tokens, cost_nano_usd, ${bucket} AS bucket FROM ledger_requests
      WHERE started_at >= ${add(query.from)} AND started_at < ${add(query.to)} AND status < 400 AND model IS NOT NULL AND provider IS NOT NULL AND cache_status NOT IN ('hit', 'shared')) AS answered
    GROUP BY model, provider, bucket ORDER BY model, provider, bucket`;
  return { sql, params };
}

export function timeSeriesStatement(
  query: WindowQuery & { slotMs: number },
  placeholder: Placeholder,
): Statement {
  const { params, add } = parameters(placeholder);
  const slotMs = Math.max(1000, Math.floor(query.slotMs));
  const sql = `SELECT started_at / ${slotMs} AS slot, COUNT(*) AS requests,
      SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,
      SUM(CASE WHEN attempts > 1 THEN 1 ELSE 0 END) AS failovers,
      SUM(CASE WHEN cache_status IN ('hit', 'shared') THEN 1 ELSE 0 END) AS cache_hits,
      SUM(cost_nano_usd) AS cost_nano_usd, SUM(saved_nano_usd) AS saved_nano_usd,
      SUM(CASE WHEN cost_nano_usd IS NULL THEN 1 ELSE 0 END) AS unpriced,
      SUM(CASE WHEN reference_cost_nano_usd IS NULL OR cost_nano_usd IS NULL THEN 0 ELSE reference_cost_nano_usd - cost_nano_usd - saved_nano_usd END) AS routing_saved_nano_usd
    FROM ledger_requests WHERE started_at >= ${add(query.from)} AND started_at < ${add(query.to)}
    GROUP BY started_at / ${slotMs} ORDER BY slot`;
  return { sql, params };
}

/** Integers as the drivers return them (bigint, string, number, null) as numbers. */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}
const nullableNumber = (value: unknown): number | null =>
  value === null || value === undefined ? null : toNumber(value);
const nullableText = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);
const usd = (nano: unknown): number => toNumber(nano) / NANO_PER_USD;

export function toRecentRequest(row: Record<string, unknown>): RecentRequest {
  return {
    entryId: String(row.entry_id),
    requestId: String(row.request_id),
    startedAt: toNumber(row.started_at),
    apiKeyId: nullableText(row.api_key_id),
    modelAsked: nullableText(row.model_asked),
    model: nullableText(row.model),
    provider: nullableText(row.provider),
    attempts: toNumber(row.attempts),
    inputTokens: toNumber(row.input_tokens),
    outputTokens: toNumber(row.output_tokens),
    costUsd:
      row.cost_nano_usd === null || row.cost_nano_usd === undefined ? null : usd(row.cost_nano_usd),
    savedUsd: usd(row.saved_nano_usd),
    latencyMs: toNumber(row.latency_ms),
    firstTokenMs: nullableNumber(row.first_token_ms),
    status: toNumber(row.status),
    errorCode: nullableText(row.error_code),
    cacheStatus: String(row.cache_status) as CacheStatus,
    routeReason: nullableText(row.route_reason),
    stream: toNumber(row.stream) === 1,
    replicaId: nullableText(row.replica_id),
  };
}

export function toAttemptRow(row: Record<string, unknown>): AttemptRow {
  return {
    provider: String(row.provider),
    model: String(row.model),
    startedAt: toNumber(row.started_at),
    latencyMs: toNumber(row.latency_ms),
    firstTokenMs: nullableNumber(row.first_token_ms),
    outputTokens: toNumber(row.output_tokens),
    status: toNumber(row.status),
    errorCode: nullableText(row.error_code),
  };
}

export function toTrafficRow(row: Record<string, unknown>): TrafficRow {
  return {
    model: String(row.model),
    provider: String(row.provider),
    bucket: String(row.bucket) as PromptBucket,
    requests: toNumber(row.requests),
    inputTokens: toNumber(row.input_tokens),
    cachedInputTokens: toNumber(row.cached_input_tokens),
    outputTokens: toNumber(row.output_tokens),
    costUsd: usd(row.cost_nano_usd),
    unpricedRequests: toNumber(row.unpriced),
  };
}

export function toTimeSlot(row: Record<string, unknown>, slotMs: number): TimeSlot {
  return {
    start: toNumber(row.slot) * Math.max(1000, Math.floor(slotMs)),
    requests: toNumber(row.requests),
    errors: toNumber(row.errors),
    failovers: toNumber(row.failovers),
    cacheHits: toNumber(row.cache_hits),
    costUsd: usd(row.cost_nano_usd),
    unpricedRequests: toNumber(row.unpriced),
    savedByCacheUsd: usd(row.saved_nano_usd),
    savedByRoutingUsd: usd(row.routing_saved_nano_usd),
    selfHostedUsd: 0,
  };
}
