import type { AttemptRecord } from '../execution/execute-plan.js';
import type { RoutePlan } from '../core/route.js';
import type { RequestReport } from '../core/request-report.js';
import type { Arrival } from '../learning/learning-loop.js';

/**
 * What happened to one client request, filled in along the pipeline and reported once when the
 * response is done (access log, traces, usage ledger): the shared report fields
 * (src/core/request-report.ts) and what only the pipeline keeps.
 */
export interface RequestRecord extends RequestReport {
  /** The agent session the request belongs to (cache affinity), when affinity is on. */
  session?: string;
  /** The route plan, for the dashboard's explanation of recent requests. */
  plan?: RoutePlan;
  /** The upstream attempts made, in order (filled by the executor). */
  attempts?: AttemptRecord[];
  /** What the learning loop needs at settlement: the conversation and how the request was routed. */
  learning?: { arrival: Arrival; bucket: string };
}

export type RequestObserver = (record: RequestRecord) => void;
