import type { CanonicalRequest } from '../../core/request.js';
import type { Usage } from '../../core/response.js';
import type { AttemptRecord } from '../../execution/execution-types.js';
import type { Outcome } from '../model-call.js';
import type { RequestRecord } from '../request-record.js';
import { settleCost } from './request-cost.js';

/**
 * The one settlement of a served answer, before its last byte goes out: what the request spent
 * and saved, from what happened. An upstream answer costs its tokens at the serving deployment's
 * price, on the record and on the attempt that served (which execute recorded); attempts that did
 * not serve but cost something (invalid answers, hedge losers) are charged to the request too.
 * An answer from the cache costs nothing: a hit saves what the stored answer cost, a joiner what
 * its answer's tokens cost at the deployment that produced them.
 */
export function settleOutcome(
  record: RequestRecord,
  request: CanonicalRequest,
  outcome: Outcome,
  usage: Usage | undefined,
  answerCharacters: number,
): void {
  if (outcome.source === 'upstream') {
    settleCost(record, request, usage, outcome.origin?.price, answerCharacters);
    const served = outcome.served;
    if (served) {
      served.usage = record.usage;
      if (record.costUsd !== undefined) served.costUsd = record.costUsd;
    }
    addOtherAttemptsCost(record, record.attempts ?? [], served);
    return;
  }
  if (outcome.source === 'hit') {
    if (outcome.stored?.usage) record.usage = outcome.stored.usage;
    record.savedUsd = outcome.stored?.costUsd ?? 0;
  } else {
    const scratch: RequestRecord = { ...record };
    settleCost(scratch, request, usage, outcome.origin?.price, answerCharacters);
    if (scratch.usage) record.usage = scratch.usage;
    record.costEstimated = scratch.costEstimated ?? false;
    record.savedUsd = scratch.costUsd ?? 0;
  }
  record.costUsd = 0;
}

/** The settlement of a failed request: what its attempts cost (answers that were not served). */
export function settleFailure(record: RequestRecord): void {
  addOtherAttemptsCost(record, record.attempts ?? [], undefined);
}

/** The record names the deployment whose answer is served. */
export function recordServed(record: RequestRecord, outcome: Outcome): void {
  if (!outcome.origin) return;
  record.model = outcome.origin.model;
  record.provider = outcome.origin.provider;
}

/** The last attempt made, which a failed request's record (and headers) name; undefined when none was. */
export function recordFailure(record: RequestRecord): AttemptRecord | undefined {
  const attempts = record.attempts ?? [];
  const last = attempts[attempts.length - 1];
  if (last) {
    record.model = last.model;
    record.provider = last.provider;
  }
  return last;
}

/** Attempts other than the served one that cost something (invalid answers, hedge losers) are charged to the request too. */
function addOtherAttemptsCost(
  record: RequestRecord,
  attempts: readonly AttemptRecord[],
  served: AttemptRecord | undefined,
): void {
  let extra = 0;
  for (const attempt of attempts)
    if (attempt !== served && attempt.costUsd !== undefined) extra += attempt.costUsd;
  if (extra > 0) record.costUsd = (record.costUsd ?? 0) + extra;
}
