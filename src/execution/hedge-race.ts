import type { RoutePlan, RouteTarget } from '../core/route.js';
import type { CanonicalRequest } from '../core/request.js';
import type { Usage } from '../core/response.js';
import { estimateUsage } from '../usage/cost/estimate-usage.js';
import { AttemptLease } from './attempt-lease.js';
import type { ExecutionContext } from './execution-types.js';
import type { ExecutionPolicy } from './execution-policy.js';

/**
 * Hedging: when the first attempt has produced nothing after its deployment's recent p95 time to
 * first token, a second attempt starts on the next candidate; the first to produce content (or
 * its answer) wins and the other is aborted. Off by default; per model (or plan tier) in config.
 */

/** The hedge delay for this target, or undefined when hedging does not apply (off, other model, too few samples). */
export function hedgeDelay(
  plan: RoutePlan,
  target: RouteTarget,
  policy: ExecutionPolicy,
): number | undefined {
  const hedging = policy.settings.hedging;
  if (hedging.mode === 'off') return undefined;
  if (
    hedging.models &&
    !hedging.models.has(target.model.name) &&
    !(plan.tier !== undefined && hedging.models.has(plan.tier))
  )
    return undefined;
  const p95 = policy.ttft.p95(target.key, hedging.minSamples);
  if (p95 === undefined) return undefined;
  return Math.min(hedging.maxDelayMs, Math.max(hedging.minDelayMs, p95));
}

type Settled<T> =
  | { lease: AttemptLease; ok: true; value: T }
  | { lease: AttemptLease; ok: false; error: unknown };

function settle<T>(lease: AttemptLease, promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ lease, ok: true as const, value }),
    (error: unknown) => ({ lease, ok: false as const, error }),
  );
}

/**
 * Runs the primary attempt and, if it is silent for `delayMs`, a hedge on `hedgeTarget`.
 * Resolves with the winner; rejects with the primary's error when both fail (the hedge's failure
 * is recorded on its own attempt).
 */
export async function raceHedge<T>(
  primary: AttemptLease,
  hedgeTarget: RouteTarget,
  delayMs: number,
  request: CanonicalRequest,
  context: ExecutionContext,
  policy: ExecutionPolicy,
  stream: boolean,
  deadlineAt: number,
  tryOnce: (lease: AttemptLease) => Promise<T>,
  markTried: () => void,
): Promise<{ value: T; lease: AttemptLease }> {
  const first = settle(primary, tryOnce(primary));
  let timer: NodeJS.Timeout | undefined;
  const fired = new Promise<'hedge'>((resolve) => {
    timer = setTimeout(() => resolve('hedge'), delayMs);
  });
  const early = await Promise.race([first, fired]);
  clearTimeout(timer);
  if (early !== 'hedge') return unwrap(early);
  const permit = policy.breakers.acquire(hedgeTarget.key, policy.now());
  if (permit === undefined || context.signal.aborted) return unwrap(await first);
  markTried();
  const hedge = new AttemptLease(
    hedgeTarget,
    permit,
    context,
    policy,
    stream,
    deadlineAt - performance.now(),
  );
  const second = settle(hedge, tryOnce(hedge));
  const winner = await Promise.race([first, second]);
  const other = winner.lease === primary ? second : first;
  const otherLease = winner.lease === primary ? hedge : primary;
  if (winner.ok) {
    otherLease.dropped('hedge lost', promptUsage(request));
    winner.lease.attempt.endReason = winner.lease === primary ? 'hedge won (primary)' : 'hedge won';
    return { value: winner.value, lease: winner.lease };
  }
  // The first to settle failed: the other one may still answer.
  if (winner.lease === hedge) hedge.failed(winner.error);
  else primary.failed(winner.error);
  winner.lease.attempt.endReason = 'failed while hedged';
  const last = await other;
  if (last.ok) return { value: last.value, lease: last.lease };
  if (last.lease === hedge) {
    hedge.failed(last.error);
    throw winner.error;
  }
  throw last.error;
}

function unwrap<T>(settled: Settled<T>): { value: T; lease: AttemptLease } {
  if (settled.ok) return { value: settled.value, lease: settled.lease };
  throw settled.error;
}

/** What an abandoned attempt most likely cost: its prompt (output unknown, counted as none). */
function promptUsage(request: CanonicalRequest): Usage {
  return { ...estimateUsage(request).usage, outputTokens: 0 };
}
