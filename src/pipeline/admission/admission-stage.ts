import { releaseAfter, type Stage } from '../model-call.js';
import { admitRequest, type AdmissionOptions } from './admission.js';

/**
 * Admission: keys, rate limits, budget reservation. For a keyed request it puts the request's
 * admission on the call (the cache stage admits a stored or shared answer with it, execute admits
 * every attempt with it) and, once the response is done, settles the reservation with what the
 * request spent upstream (nothing, for an answer from the cache) and names the skipped targets in
 * the route.
 */
export const admissionStage =
  (options: AdmissionOptions): Stage =>
  (next) =>
  async (call) => {
    const admission = admitRequest(call.identity, call.request, options);
    if (!admission) return next(call);
    call.admission = admission;
    return releaseAfter(next(call), () => {
      const { record } = call;
      if (admission.skipped.length > 0)
        record.route = `${record.route ?? ''}; skipped: ${admission.skipped.join(', ')}`;
      const fromCache = record.cacheStatus === 'hit' || record.cacheStatus === 'shared';
      const usage = fromCache ? undefined : record.usage;
      admission.settle(
        fromCache ? 0 : (record.costUsd ?? 0),
        usage ? usage.inputTokens + usage.outputTokens : 0,
      );
    });
  };
