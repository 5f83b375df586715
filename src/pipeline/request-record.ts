import type { AttemptRecord } from '../execution/execute-plan.js';
import type { RoutePlan } from '../core/route.js';
import type { ErrorCode } from '../core/errors.js';
import type { Usage } from '../core/response.js';
import type { TraceContext } from '../core/trace-context.js';
import type { Arrival } from '../learning/learning-loop.js';

/**
 * What happened to one client request, filled in along the pipeline and reported once when the
 * response is done (access log now; the usage ledger builds on the same record).
 */
export interface RequestRecord {
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
  /** The agent session the request belongs to (cache affinity), when affinity is on. */
  session?: string;
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
  /** The route plan, for the dashboard's explanation of recent requests. */
  plan?: RoutePlan;
  /** The upstream attempts made, in order (filled by the executor). */
  attempts?: AttemptRecord[];
  /** The request's W3C trace (ids for spans and the upstream `traceparent`), when traced or the client sent one. */
  trace?: TraceContext;
  /** The decoded JSON body, kept only when body logging is on (`logging.bodies`). */
  requestBody?: unknown;
  /** What the learning loop needs at settlement: the conversation and how the request was routed. */
  learning?: { arrival: Arrival; bucket: string };
}

export type RequestObserver = (record: RequestRecord) => void;
