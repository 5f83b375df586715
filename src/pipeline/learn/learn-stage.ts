import type { LearningLoop } from '../../learning/learning-loop.js';
import { sessionOfCall, type Stage } from '../model-call.js';

/**
 * Learn, on arrival (before the cache): the signals the request carries about earlier answers —
 * a retry header, a failing tool result right after the model's tool call — are recorded and
 * raise a cascade conversation before this request is planned; the conversation goes on the
 * call for the route stage. An explicit retry skips the cache (the cached answer is the one
 * that failed).
 */
export const learnArrivalStage =
  (learning: LearningLoop): Stage =>
  (next) =>
  async (call) => {
    call.arrival = await learning.arrive(
      call.request,
      call.headers,
      call.identity.keyId,
      sessionOfCall(call),
    );
    if (call.arrival.retried) call.skipCache = true;
    return next(call);
  };

/**
 * Learn, once the request is routed rather than answered from the cache (between cache and
 * route): a repeat of the same prompt from the same key within the window is a retry. After the
 * plan, the request is remembered at once (a retry or feedback may arrive before its settlement
 * is reported) with its bucket and cascade rung.
 */
export const learnRouteStage =
  (learning: LearningLoop): Stage =>
  (next) =>
  async (call) => {
    if (call.arrival) learning.routing(call.arrival);
    return next(call);
  };

/** After route, before execute: the planned request goes into the learning loop's memory. */
export const learnPlannedStage =
  (learning: LearningLoop): Stage =>
  (next) =>
  async (call) => {
    const { plan, arrival, record } = call;
    if (plan && arrival && plan.bucket !== undefined) {
      record.learning = { arrival, bucket: plan.bucket };
      const first = plan.attempts[0]!;
      learning.planned({
        requestId: record.requestId,
        keyId: call.identity.keyId,
        arrival,
        provider: first.deployment.provider,
        model: first.model.name,
        bucket: plan.bucket,
        ...(plan.policyName === undefined ? {} : { policy: plan.policyName }),
        ...(plan.rung === undefined ? {} : { rung: plan.rung }),
      });
    }
    return next(call);
  };
