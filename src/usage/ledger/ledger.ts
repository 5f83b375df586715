import type { Usage } from '../../core/response.js';
import type {
  FoundRequest,
  LedgerOutcome,
  OutcomeEvidence,
  OutcomeReportRow,
} from './outcome-queries.js';
import type { EscalationReportRow, LedgerEscalation, RecentOutcome } from './escalation-queries.js';
import type {
  AttemptRow,
  RecentRequest,
  SelfHostedOptions,
  TimeSlot,
  TrafficRow,
  WindowQuery,
} from './detail-queries.js';

export type {
  FoundRequest,
  LedgerOutcome,
  OutcomeEvidence,
  OutcomeReportRow,
  OutcomeSignal,
} from './outcome-queries.js';
export type {
  EscalationKind,
  EscalationReportRow,
  LedgerEscalation,
  RecentOutcome,
} from './escalation-queries.js';
export type {
  AttemptRow,
  PromptBucket,
  RecentRequest,
  SelfHostedOptions,
  TimeSlot,
  TrafficRow,
  WindowQuery,
} from './detail-queries.js';
export type { SelfHostedPrice } from './self-hosted-charge.js';
export { PROMPT_BUCKETS } from './detail-queries.js';
export { INFERRED_PASS_WEIGHT, outcomeWeight } from './outcome-queries.js';

/**
 * How the exact cache took part in a request: `hit` served from the cache, `shared` joined an
 * identical call already in flight (single-flight), `miss` looked up and not found, `bypass`
 * skipped on the client's request (`Cache-Control: no-cache`/`no-store`), `none` not cacheable
 * or not looked up (rejected requests, for example).
 */
export type CacheStatus = 'hit' | 'miss' | 'bypass' | 'shared' | 'none';

/** One client request as the gateway finished it: success, failure, rejection or cache hit. */
export interface LedgerRequest {
  /** The gateway request id (`x-request-id`). Not unique: clients may send their own. */
  requestId: string;
  /** Wall-clock arrival time, epoch milliseconds (`Date.now()`). */
  startedAt: number;
  /** Virtual API key id; absent when the request was rejected before authentication. */
  apiKeyId?: string | null;
  /** The model the client asked for (`auto`, a tier alias, or a concrete name). */
  modelAsked?: string | null;
  /** The model that served the answer (for a failure: the last one tried). */
  model?: string | null;
  /** The provider that served the answer (for a failure: the last one tried). */
  provider?: string | null;
  /** Tokens billed for the request, summed over its attempts. Absent: zero. */
  usage?: Usage;
  /**
   * Money spent upstream for this request, USD (0 for cache hits and rejections); null when the
   * served deployment has no price (your own vLLM box, say): unknown, never $0.
   */
  costUsd: number | null;
  /** True when the cost rests on estimated tokens (the provider reported no usage). */
  costEstimated?: boolean;
  /** Money the cache saved: what the answer would have cost upstream, USD (cache hits only). */
  savedUsd?: number;
  /** What the request would have cost on the configured reference model, USD (computed by the caller). */
  referenceCostUsd?: number | null;
  /** Milliseconds from arrival to the end of the response. */
  latencyMs: number;
  /** Milliseconds from arrival to the first content byte (streams). */
  firstTokenMs?: number | null;
  /** HTTP status sent to the client. 400 and above count as errors. */
  status: number;
  /** Stable GatewayError code when the request failed. */
  errorCode?: string | null;
  cacheStatus: CacheStatus;
  /** Why the router chose what it chose (short text, for example `tier-1: <500 tokens, no imports`). */
  routeReason?: string | null;
  stream: boolean;
  /** The client endpoint (`/v1/chat/completions`, `/v1/responses`, `/v1/messages`…); null in rows written before migration 6. */
  endpoint?: string | null;
  /** The replica that served the request (`SWITCHYARD_REPLICA_ID`, default host:pid); null before migration 7. */
  replicaId?: string | null;
  /** The quality model's request bucket (`language/task/size`) for routed requests; null otherwise and before migration 8. */
  bucket?: string | null;
}

/** One upstream call made for a request. Attempts are numbered by their order in the entry (1-based). */
export interface LedgerAttempt {
  provider: string;
  model: string;
  /** The model name sent upstream (the deployment's name for the model). */
  upstreamModel: string;
  /** Wall-clock start of the attempt, epoch milliseconds. */
  startedAt: number;
  latencyMs: number;
  firstTokenMs?: number | null;
  usage?: Usage;
  /** USD; null when the deployment has no price. */
  costUsd: number | null;
  /** Upstream HTTP status, or the status of the gateway error that ended the attempt. */
  status: number;
  errorCode?: string | null;
}

/** What the caller records: one request and the upstream attempts made for it (none for cache hits and rejections). */
export interface LedgerEntry {
  request: LedgerRequest;
  attempts: LedgerAttempt[];
  /**
   * The row key, when the caller assigned it (the journal does, so a replay after a crash is
   * idempotent); absent, the ledger assigns one at `record`.
   */
  entryId?: string;
}

/** Report grouping dimensions: served model, serving provider, API key id, UTC day. */
export type GroupDimension = 'model' | 'provider' | 'key' | 'day';

export interface ReportQuery extends SelfHostedOptions {
  /** Inclusive start (Date or epoch milliseconds). */
  from: Date | number;
  /** Exclusive end (Date or epoch milliseconds). */
  to: Date | number;
  groupBy: GroupDimension[];
  /**
   * Read whole UTC days from the daily rollup table (default true). `false` scans the request rows
   * only; the results are identical, it exists for verification and benchmarks.
   */
  useRollup?: boolean;
}

/** Sums over a set of requests. Money in USD, exact to the nano-dollar. */
export interface ReportFigures {
  requests: number;
  /** Requests answered with HTTP status 400 or above (rejections and failures). */
  errors: number;
  /** Requests served from the cache or by joining an identical call (`hit` + `shared`). */
  cacheHits: number;
  /** Requests whose cost rests on estimated token counts. */
  estimatedCostRequests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** Known spend; requests with an unknown price add nothing (see `unpricedRequests`). */
  costUsd: number;
  /** Requests whose cost is unknown: the deployment that served them has no price. */
  unpricedRequests: number;
  /** What cache hits would have cost upstream. */
  savedByCacheUsd: number;
  /**
   * Reference cost − cost − cache saving, over requests that carry a reference cost and a known
   * cost; minus the self-hosted boxes' hourly cost attributed to those requests when the query
   * names the boxes' prices (`selfHosted`).
   */
  savedByRoutingUsd: number;
  /** The self-hosted boxes' hourly cost attributed to these requests (0 unless the query names the boxes' prices). */
  selfHostedUsd: number;
}

export interface ReportRow extends ReportFigures {
  /** The value of each requested dimension; `null` when the request had none (for example a rejected request has no model). Days are `YYYY-MM-DD` (UTC). */
  group: Partial<Record<GroupDimension, string | null>>;
}

export interface UsageReport {
  from: Date;
  to: Date;
  groupBy: GroupDimension[];
  /** Sorted by the grouping dimensions in the order asked. */
  rows: ReportRow[];
  totals: ReportFigures;
}

/** Health of the write path, for metrics and the admin API. */
export interface LedgerStats {
  /** Entries waiting to be written (in the queue or in the batch being written). */
  queued: number;
  /** Entries written since open. */
  written: number;
  /** Entries dropped since open (queue overflow while the store was failing, or recorded after close). */
  dropped: number;
  /** Batch writes that failed (each is retried). */
  failedWrites: number;
  /** Batch writes that succeeded, and their summed and last duration (ms): flush latency. */
  flushes: number;
  flushMsTotal: number;
  lastFlushMs: number | null;
  /** The last write error's message, until a write succeeds again. */
  lastError: string | null;
}

/**
 * The usage ledger. `record` never blocks and never throws: it enqueues, and a writer stores
 * entries in batches, one transaction per batch. See docs/ledger.md for the failure policy.
 */
export interface Ledger {
  /** Which store backs this ledger. */
  readonly kind: 'sqlite' | 'postgres';
  record(entry: LedgerEntry): void;
  /** Writes everything recorded before the call; rejects if the store fails (entries stay queued). */
  flush(): Promise<void>;
  /** Flushes (retrying until the close timeout) and closes the store. Rejects if entries were lost. */
  close(): Promise<void>;
  report(query: ReportQuery): Promise<UsageReport>;
  stats(): LedgerStats;
  /** The newest request rows in a window (default 50, at most 1,000), newest first. */
  recentRequests(query: WindowQuery): Promise<RecentRequest[]>;
  /** Upstream attempts in a window (default 20,000, at most 100,000), newest first: latency per deployment. */
  attemptRows(query: WindowQuery): Promise<AttemptRow[]>;
  /** Answered, non-cached requests by model, provider and prompt-size bucket: the traffic mix (break-even). */
  trafficMix(query: WindowQuery): Promise<TrafficRow[]>;
  /** Requests, errors, failovers, cache hits, spend and savings per time slot of `slotMs`. */
  timeSeries(query: WindowQuery & SelfHostedOptions & { slotMs: number }): Promise<TimeSlot[]>;
  /** Stores an answer's outcome (one per request, signal and deployment; a repeat replaces it). Written at once, not queued. */
  recordOutcome(outcome: LedgerOutcome): Promise<void>;
  /** Outcomes summed per deployment and bucket since `since` (client feedback replaces implicit signals of the same request). */
  outcomeEvidence(since: number): Promise<OutcomeEvidence[]>;
  /** Outcomes in a window per model, provider, bucket and signal: the outcomes report. */
  outcomeReport(query: WindowQuery): Promise<OutcomeReportRow[]>;
  /** Stores an escalation away from a deployment (one per request, kind and deployment; a repeat replaces it). Written at once. */
  recordEscalation(escalation: LedgerEscalation): Promise<void>;
  /** Escalations in a window per kind, deployment, bucket and target. */
  escalationReport(query: WindowQuery): Promise<EscalationReportRow[]>;
  /** The newest outcomes in a window (default 50, at most 1,000), newest first. */
  recentOutcomes(query: WindowQuery): Promise<RecentOutcome[]>;
  /** The newest request row with this id started at or after `since` (a bounded scan of the started_at index). */
  findRequest(requestId: string, since: number): Promise<FoundRequest | undefined>;
}

/** Write-path tuning shared by both stores. Defaults in `DEFAULT_WRITE_OPTIONS`. */
export interface LedgerWriteOptions {
  /** Write as soon as this many entries are queued. */
  batchSize?: number;
  /** Write whatever is queued at most this long after the first entry arrived. */
  flushIntervalMs?: number;
  /** Queue bound: beyond it the oldest entries are dropped (counted and logged). */
  maxQueuedEntries?: number;
  /** First retry delay after a failed write; doubles per failure (with jitter) up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How long `close()` keeps retrying a failing store before giving up. */
  closeTimeoutMs?: number;
  /** Error log sink (default: stderr). */
  log?: (message: string) => void;
}
