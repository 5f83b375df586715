import type { AttemptObserver, RouteTarget } from '../core/route.js';
import type { CancelSignal } from '../core/cancel.js';
import type { ErrorCode, GatewayError } from '../core/errors.js';
import type { CallContext, PartStream, ProviderAdapter } from '../core/provider.js';
import type { ModelResponse, StreamPart, Usage } from '../core/response.js';
import type { AttemptReport } from '../core/request-report.js';
import type { AttemptTimeouts } from './resilience-config.js';
import type { TraceContext } from '../core/trace-context.js';

/** One upstream attempt, as the ledger and the route header report it (src/core/request-report.ts), with its deployment key. */
export interface AttemptRecord extends AttemptReport {
  key: string;
  /** What was wrong with an answer that failed its structured-output check. */
  problem?: string;
}

export interface ExecutionContext {
  requestId: string;
  /** The request's trace, when traced: every attempt gets a span id and sends its `traceparent` upstream. */
  trace?: TraceContext;
  /** The client's abort signal: aborting it stops the current attempt and the whole plan. */
  signal: CancelSignal;
  /** Receives every attempt as it starts; the caller's record keeps them. */
  attempts: AttemptRecord[];
  observer?: AttemptObserver;
  /** Per-request timeout overrides (headers), already checked against the operator's bounds. */
  timeouts?: Partial<AttemptTimeouts>;
  /**
   * Runs before the first attempt on each target of the plan (failover, escalation) and before a
   * hedge is armed (`concurrent`): the key's model scope and budget. Resolves undefined to go
   * ahead, or with the error that skips this target (the plan moves on; the error is the
   * request's if no target is left); rejects to end the request.
   */
  admitAttempt?: (target: RouteTarget, concurrent: boolean) => Promise<GatewayError | undefined>;
}

export type CallFunction<R> = (
  adapter: ProviderAdapter,
  request: R,
  context: CallContext,
) => Promise<ModelResponse>;
export type StreamFunction<R> = (
  adapter: ProviderAdapter,
  request: R,
  context: CallContext,
) => Promise<PartStream>;

export interface ExecutedCall {
  answer: ModelResponse;
  target: RouteTarget;
  attempt: AttemptRecord;
}

export interface ExecutedStream {
  /** The answer's parts in batches; the first batch holds the first content part. */
  batches: AsyncIterable<readonly StreamPart[]>;
  target: RouteTarget;
  attempt: AttemptRecord;
}
