import { GatewayError, toGatewayError, type ErrorCode } from '../spec/errors.js';
import { partBatches, type CallContext, type PartStream, type ProviderAdapter } from '../spec/provider.js';
import type { CanonicalRequest } from '../spec/request.js';
import type { ModelResponse, StreamPart, Usage } from '../spec/response.js';
import type { AttemptObserver, RoutePlan, RouteTarget } from '../router/route-types.js';

/**
 * The executor: runs a route plan's attempts in order until one answers. Failover happens only
 * before anything reached the client (for streams: before the first content part), so a client
 * never sees two answers spliced together.
 */

/** One upstream attempt, as the ledger and the route header report it. */
export interface AttemptRecord {
  key: string;
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
  /** Why the executor moved on from it (`failover: upstream_rate_limited`…), when it did. */
  endReason?: string;
  /** Tokens billed for this attempt (reported or estimated), once known. */
  usage?: Usage;
  /** USD spent on this attempt; undefined when its price is unknown. */
  costUsd?: number;
}

export interface ExecutionContext {
  requestId: string;
  /** The client's abort signal: aborting it stops the current attempt and the whole plan. */
  signal: AbortSignal;
  /** Receives every attempt as it starts; the caller's record keeps them. */
  attempts: AttemptRecord[];
  observer?: AttemptObserver;
}

export type CallFunction<R> = (adapter: ProviderAdapter, request: R, context: CallContext) => Promise<ModelResponse>;
export type StreamFunction<R> = (adapter: ProviderAdapter, request: R, context: CallContext) => Promise<PartStream>;

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

/** Errors worth trying the next deployment for: the request itself was not at fault. */
const FAILOVER_CODES = new Set<ErrorCode>(['upstream_auth', 'unsupported', 'context_length_exceeded']);

export function shouldFailOver(error: GatewayError): boolean {
  return error.retryable || FAILOVER_CODES.has(error.code);
}

export async function executeCall<R extends CanonicalRequest>(plan: RoutePlan, request: R, call: CallFunction<R>, context: ExecutionContext): Promise<ExecutedCall> {
  let lastError: GatewayError | undefined;
  for (const target of plan.attempts) {
    if (context.signal.aborted) throw new GatewayError('client_closed', 'The client closed the connection.');
    const attempt = startAttempt(target, context);
    try {
      const answer = await call(target.adapter, request, { upstreamModel: target.deployment.upstreamModel, signal: context.signal, requestId: context.requestId });
      attempt.firstTokenAt = attempt.endedAt = performance.now();
      attempt.status = 200;
      context.observer?.observe({ key: target.key, ok: true, firstTokenMs: attempt.firstTokenAt - attempt.startedAt, durationMs: attempt.endedAt - attempt.startedAt, outputTokens: answer.usage?.outputTokens ?? 0 });
      return { answer, target, attempt };
    } catch (thrown) {
      lastError = endFailed(attempt, thrown, context);
      if (context.signal.aborted || !shouldFailOver(lastError)) throw lastError;
      attempt.endReason = `failover: ${lastError.code}`;
    }
  }
  throw lastError ?? new GatewayError('internal_error', 'The route plan had no attempts.');
}

export async function executeStream<R extends CanonicalRequest>(plan: RoutePlan, request: R, open: StreamFunction<R>, context: ExecutionContext): Promise<ExecutedStream> {
  let lastError: GatewayError | undefined;
  for (const target of plan.attempts) {
    if (context.signal.aborted) throw new GatewayError('client_closed', 'The client closed the connection.');
    const attempt = startAttempt(target, context);
    const controller = new AbortController();
    const abortAttempt = (): void => controller.abort(context.signal.reason);
    context.signal.addEventListener('abort', abortAttempt, { once: true });
    let iterator: AsyncIterator<readonly StreamPart[]> | undefined;
    try {
      const parts = await open(target.adapter, request, { upstreamModel: target.deployment.upstreamModel, signal: controller.signal, requestId: context.requestId });
      iterator = partBatches(parts)[Symbol.asyncIterator]();
      // Hold the batches until one carries content: until then nothing has reached the client
      // and a failure can still move on to the next deployment.
      const held: (readonly StreamPart[])[] = [];
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        held.push(next.value);
        if (next.value.some((part) => part.type !== 'start')) break;
      }
      attempt.firstTokenAt = performance.now();
      return { batches: relayAttempt(held, iterator, attempt, target, context, abortAttempt), target, attempt };
    } catch (thrown) {
      context.signal.removeEventListener('abort', abortAttempt);
      controller.abort(new GatewayError('upstream_unavailable', 'Attempt abandoned.'));
      void iterator?.return?.();
      lastError = endFailed(attempt, thrown, context);
      if (context.signal.aborted || !shouldFailOver(lastError)) throw lastError;
      attempt.endReason = `failover: ${lastError.code}`;
    }
  }
  throw lastError ?? new GatewayError('internal_error', 'The route plan had no attempts.');
}

async function* relayAttempt(
  held: (readonly StreamPart[])[],
  iterator: AsyncIterator<readonly StreamPart[]>,
  attempt: AttemptRecord,
  target: RouteTarget,
  context: ExecutionContext,
  abortAttempt: () => void,
): AsyncGenerator<readonly StreamPart[]> {
  let outputTokens: number | undefined;
  let finished = false;
  try {
    for (const batch of held) yield batch;
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      for (const part of next.value) if (part.type === 'usage') outputTokens = part.usage.outputTokens;
      yield next.value;
    }
    finished = true;
    attempt.endedAt = performance.now();
    attempt.status = 200;
    context.observer?.observe({ key: target.key, ok: true, firstTokenMs: attempt.firstTokenAt! - attempt.startedAt, durationMs: attempt.endedAt - attempt.startedAt, ...(outputTokens === undefined ? {} : { outputTokens }) });
  } catch (thrown) {
    finished = true;
    endFailed(attempt, thrown, context);
    throw thrown;
  } finally {
    context.signal.removeEventListener('abort', abortAttempt);
    if (!finished) {
      // The consumer stopped early (client gone, or it failed): release the upstream body.
      attempt.endedAt ??= performance.now();
      attempt.errorCode ??= context.signal.aborted ? 'client_closed' : 'internal_error';
      attempt.status ??= context.signal.aborted ? 499 : 500;
      void iterator.return?.();
    }
  }
}

function startAttempt(target: RouteTarget, context: ExecutionContext): AttemptRecord {
  const attempt: AttemptRecord = {
    key: target.key,
    provider: target.deployment.provider,
    model: target.model.name,
    upstreamModel: target.deployment.upstreamModel,
    startedAtWall: Date.now(),
    startedAt: performance.now(),
  };
  context.attempts.push(attempt);
  return attempt;
}

function endFailed(attempt: AttemptRecord, thrown: unknown, context: ExecutionContext): GatewayError {
  const error = context.signal.aborted ? new GatewayError('client_closed', 'The client closed the connection.') : toGatewayError(thrown);
  attempt.endedAt = performance.now();
  attempt.errorCode = error.code;
  attempt.status = error.code === 'client_closed' ? 499 : (error.upstreamStatus ?? error.status);
  if (error.code !== 'client_closed') {
    context.observer?.observe({ key: attempt.key, ok: false, durationMs: attempt.endedAt - attempt.startedAt, errorCode: error.code });
  }
  return error;
}
