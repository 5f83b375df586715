import { GatewayError } from '../../core/errors.js';
import type { CanonicalRequest } from '../../core/request.js';
import type { AttemptObserver, RouteTarget } from '../../core/route.js';
import { clampedMaxTokens } from '../../execution/clamp-output.js';
import { executeCall, executeStream } from '../../execution/execute-plan.js';
import { readTimeoutHeaders, type ExecutionPolicy } from '../../execution/execution-policy.js';
import type { AttemptRecord, ExecutionContext } from '../../execution/execution-types.js';
import {
  NOTHING_TO_FINISH,
  type AnswerOrigin,
  type CallHandler,
  type Outcome,
} from '../model-call.js';

export interface ExecuteOptions {
  /** Retries, breakers, timeouts, hedging, output checks; absent = the executor's defaults. */
  policy?: ExecutionPolicy;
  /** Live per-deployment stats (the router's), fed by every attempt. */
  observer?: AttemptObserver;
}

/**
 * Execute, the end of the chain: runs the call's route plan on the executor (attempts, retries,
 * failover, hedging), with the client's timeout headers and the key's admission of every target.
 * The first admissible target is admitted before anything runs (a refusal is thrown: no upstream
 * call was made); then the upstream call begins and its end is the result — the answer with the
 * attempt that served it, or the failure once every attempt failed. The attempts are the record's.
 */
export function executeStage(options: ExecuteOptions = {}): CallHandler {
  const { policy, observer } = options;
  return async (call) => {
    const { request, record, plan, admission } = call;
    if (!plan)
      throw new GatewayError('internal_error', 'execute needs a route plan (the route stage).');
    const timeouts = policy ? readTimeoutHeaders(call.headers, policy.settings) : undefined;
    if (admission) await admission.admitFirst(plan.attempts);
    const signal = call.beginUpstream ? call.beginUpstream() : call.client.signal;
    const attempts: AttemptRecord[] = [];
    record.attempts = attempts;
    const context: ExecutionContext = {
      requestId: record.requestId,
      ...(record.trace ? { trace: record.trace } : {}),
      signal,
      attempts,
      ...(observer ? { observer } : {}),
      ...(timeouts ? { timeouts } : {}),
      ...(admission ? { admitAttempt: admission.admitAttempt } : {}),
    };
    const outcome: Outcome = { source: 'upstream' };
    try {
      if (request.stream) {
        const executed = await executeStream(plan, request, call.endpoint.stream, context, policy);
        outcome.origin = originOf(executed.target, request);
        outcome.served = executed.attempt;
        return { outcome, answer: { parts: executed.batches }, finish: NOTHING_TO_FINISH };
      }
      const executed = await executeCall(plan, request, call.endpoint.call, context, policy);
      outcome.origin = originOf(executed.target, request);
      outcome.served = executed.attempt;
      return { outcome, answer: { response: executed.answer }, finish: NOTHING_TO_FINISH };
    } catch (error) {
      return { outcome, answer: { error }, finish: NOTHING_TO_FINISH };
    }
  };
}

/** The serving deployment, its price and the max_tokens it was sent when clamped. */
export function originOf(target: RouteTarget, request: CanonicalRequest): AnswerOrigin {
  const { model, deployment } = target;
  const origin: AnswerOrigin = { model: model.name, provider: deployment.provider };
  if (deployment.price !== undefined) origin.price = deployment.price;
  const clamped = clampedMaxTokens(request, target);
  if (clamped !== undefined) origin.maxTokensClamped = clamped;
  return origin;
}
