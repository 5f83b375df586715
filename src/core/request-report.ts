import type { ErrorCode } from './errors.js';
import type { Usage } from './response.js';
import type { TraceContext } from './trace-context.js';

/**
 * What happened to one client request and its upstream attempts, as the gateway reports it once
 * the response is done: the fields the access log, the traces and the ledger read. The pipeline's
 * record (src/pipeline/request-record.ts) and the executor's attempts extend these with what only
 * they need; nothing else redefines them.
 */

/** One upstream attempt. */
export interface AttemptReport {
  provider: string;
  model: string;
  upstreamModel: string;
  /** Date.now() when the attempt started. */
  startedAtWall: number;
  /** performance.now() when the attempt started. */
  startedAt: number;
  /** performance.now() of its first content part (streams) or of its answer. */
  firstTokenAt?: number;
  /** performance.now() when it ended (answer complete, failed or abandoned). */
  endedAt?: number;
  /** 200 when it answered; else the upstream HTTP status, or the error code's status. */
  status?: number;
  errorCode?: ErrorCode;
  /** Why the executor moved on from it (`retry: upstream_rate_limited`, `failover: …`, `escalate: …`, `hedge lost`). */
  endReason?: string;
  /** Tokens billed for this attempt (reported or estimated), once known. */
  usage?: Usage;
  /** USD spent on this attempt; undefined when its price is unknown. */
  costUsd?: number;
  /** This attempt's span id, when the request is traced (its `traceparent` upstream). */
  spanId?: string;
}

/** One client request. */
export interface RequestReport {
  requestId: string;
  method: string;
  path: string;
  /** performance.now() at arrival. */
  startedAt: number;
  /** Date.now() at arrival (wall clock, for the ledger). */
  startedAtWall: number;
  status: number;
  stream: boolean;
  /** The client key's ledger id (virtual key id, `static-…`), null when anonymous. */
  apiKeyId?: string | null;
  modelAsked?: string;
  model?: string;
  provider?: string;
  usage?: Usage;
  /** Upstream spend for this request in USD; undefined when the deployment's price is unknown. */
  costUsd?: number;
  /** The tokens behind the cost were estimated (the provider reported no usage). */
  costEstimated?: boolean;
  /** Cache hits and joiners: what the answer cost upstream when it was produced, USD. */
  savedUsd?: number;
  /** hit / miss / bypass / shared, once the cache exists; absent = not cacheable. */
  cacheStatus?: 'hit' | 'miss' | 'bypass' | 'shared';
  errorCode?: ErrorCode;
  /** Milliseconds from arrival to the first content part of a stream. */
  firstTokenMs?: number;
  /** Milliseconds from arrival to the end of the response. */
  durationMs?: number;
  /** The route plan's one-line summary (`x-switchyard-route`, ledger route reason). */
  route?: string;
  /** The upstream attempts made, in order (filled by the executor). */
  attempts?: readonly AttemptReport[];
  /** The request's W3C trace (ids for spans and the upstream `traceparent`), when traced or the client sent one. */
  trace?: TraceContext;
  /** The decoded JSON body, kept only when body logging is on (`logging.bodies`). */
  requestBody?: unknown;
}
