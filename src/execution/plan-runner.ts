import type { RoutePlan, RouteTarget } from '../core/route.js';
import { GatewayError } from '../core/errors.js';
import type { CanonicalRequest } from '../core/request.js';
import type { ModelResponse } from '../core/response.js';
import { AttemptLease } from './attempt-lease.js';
import type { ExecutionContext } from './execution-types.js';
import type { ExecutionPolicy } from './execution-policy.js';
import { hedgeDelay, raceHedge } from './hedge-race.js';
import { decideRetry } from './retry-decision.js';
import type { OutputCheck } from './structured-output.js';

/**
 * The attempt loop shared by calls and streams. Per target of the plan, in order:
 *   - skip it when its breaker is open or it is cooling down (kept as a last resort), when its
 *     provider refused our key, when its model was escalated away from, or when its context
 *     window is not larger than one that already overflowed;
 *   - try it; on a retryable failure retry it with backoff / Retry-After while that fits the
 *     budget, then fail over; on an invalid structured answer retry it, and after
 *     `invalidAnswersPerModel` invalid answers escalate to the next model;
 *   - 400-class failures end the request with that error.
 * `tryOnce` does the upstream work of one attempt and resolves once it has its first content
 * (streams) or its whole answer (calls).
 */
export interface RunOptions<T> {
  stream: boolean;
  check?: OutputCheck | undefined;
  /** The complete answer of a successful try, for the structured-output check. */
  answerOf?: (value: T) => ModelResponse | undefined;
}

export interface RunResult<T> {
  value: T;
  lease: AttemptLease;
}

export async function runPlan<T>(
  plan: RoutePlan,
  request: CanonicalRequest,
  context: ExecutionContext,
  policy: ExecutionPolicy,
  tryOnce: (lease: AttemptLease) => Promise<T>,
  options: RunOptions<T>,
): Promise<RunResult<T>> {
  const settings = policy.settings;
  const deadlineAt = performance.now() + (context.timeouts?.totalMs ?? settings.deadlineMs);
  const skipProviders = new Set<string>();
  const skipModels = new Set<string>();
  const tried = new Set<RouteTarget>();
  const invalidAnswers = new Map<string, number>();
  let contextOverflowAt: number | undefined;
  let lastError: GatewayError | undefined;
  const deferred: RouteTarget[] = [];
  /** Targets the key's scope or budget refused, and those admitted (each target is admitted once). */
  const refused = new Set<RouteTarget>();
  const admitted = new Set<RouteTarget>();
  const admitHedge = async (next: RouteTarget | undefined): Promise<RouteTarget | undefined> => {
    if (!next || !context.admitAttempt) return next;
    const refusal = await context.admitAttempt(next, true);
    if (refusal) refused.add(next);
    return refusal ? undefined : next;
  };

  const skipped = (target: RouteTarget): boolean => {
    if (skipProviders.has(target.deployment.provider) || skipModels.has(target.model.name))
      return true;
    if (contextOverflowAt === undefined) return false;
    const window = policy.contextWindowOf(target);
    return window !== undefined && window <= contextOverflowAt;
  };
  const checkClient = (): void => {
    if (context.signal.aborted)
      throw new GatewayError('client_closed', 'The client closed the connection.');
  };

  for (let phase = 0; phase < 2; phase += 1) {
    const targets = phase === 0 ? plan.attempts : deferred;
    for (let index = 0; index < targets.length; index += 1) {
      const target = targets[index]!;
      if (tried.has(target) || skipped(target) || refused.has(target)) continue;
      if (phase === 1 && policy.breakers.providerCooled(target.key, policy.now())) continue;
      if (!admitted.has(target) && context.admitAttempt) {
        const refusal = await context.admitAttempt(target, false);
        if (refusal) {
          refused.add(target);
          // A target outside the key's scope is no news after a real failure: that failure is the answer.
          // A budget refusal is (the request could have been served within budget).
          if (lastError === undefined || refusal.code !== 'model_not_allowed') lastError = refusal;
          continue;
        }
        admitted.add(target);
      }
      let permit =
        phase === 0
          ? policy.breakers.acquire(target.key, policy.now())
          : policy.breakers.force(target.key);
      if (permit === undefined) {
        deferred.push(target);
        continue;
      }
      tried.add(target);
      let transientRetries = 0;
      for (;;) {
        checkClient();
        // A self-hosted deployment (declared capacity): a slot first, queueing at most max_queue_ms.
        const capacity = policy.capacity?.has(target.key) ? policy.capacity : undefined;
        const slot = capacity && (await capacity.acquire(target.key, context.signal));
        if (capacity && slot === undefined) {
          checkClient();
          policy.breakers.released(target.key, permit);
          lastError = new GatewayError(
            'overloaded',
            `The self-hosted deployment ${target.key} had no free slot within its max_queue_ms; spilled to the next deployment.`,
            { retryAfterMs: 1000 },
          );
          break;
        }
        const lease = new AttemptLease(
          target,
          permit,
          context,
          policy,
          options.stream,
          deadlineAt - performance.now(),
        );
        lease.onEnd = slot;
        let value: T;
        let winner = lease;
        try {
          const delay =
            phase === 0 && transientRetries === 0 ? hedgeDelay(plan, target, policy) : undefined;
          const hedgeTarget =
            delay === undefined
              ? undefined
              : await admitHedge(
                  plan.attempts.slice(index + 1).find(
                    (next) =>
                      !tried.has(next) &&
                      !skipped(next) &&
                      !refused.has(next) &&
                      // A self-hosted box's slots go to the requests it was chosen for, not to hedges.
                      !policy.capacity?.has(next.key) &&
                      policy.breakers.available(next.key, policy.now()),
                  ),
                );
          if (delay !== undefined && hedgeTarget) {
            const raced = await raceHedge(
              lease,
              hedgeTarget,
              delay,
              request,
              context,
              policy,
              options.stream,
              deadlineAt,
              tryOnce,
              () => tried.add(hedgeTarget),
            );
            value = raced.value;
            winner = raced.lease;
          } else value = await tryOnce(lease);
        } catch (thrown) {
          const error = lease.failed(thrown);
          lastError = error;
          if (context.signal.aborted || error.code === 'client_closed') throw error;
          if (error.code === 'upstream_auth') {
            skipProviders.add(target.deployment.provider);
            lease.attempt.endReason = 'failover: provider key refused, provider cooled down';
            break;
          }
          if (error.code === 'context_length_exceeded') {
            contextOverflowAt = Math.max(
              contextOverflowAt ?? 0,
              policy.contextWindowOf(target) ?? 0,
            );
            lease.attempt.endReason = 'failover: context window too small';
            break;
          }
          if (error.code === 'output_limit_exceeded') {
            lease.attempt.endReason = 'failover: max_tokens above its output limit';
            break;
          }
          if (error.code === 'unsupported') {
            lease.attempt.endReason = `failover: ${error.code}`;
            break;
          }
          if (!error.retryable) throw error;
          const verdict = decideRetry(
            transientRetries,
            error.retryAfterMs,
            deadlineAt - performance.now(),
            settings.retries,
            policy.random,
          );
          if (!verdict.retry) {
            lease.attempt.endReason = `failover: ${error.code}${verdict.why === 'retries exhausted' ? '' : ` (${verdict.why})`}`;
            break;
          }
          lease.attempt.endReason = `retry: ${error.code}`;
          transientRetries += 1;
          await policy.sleep(verdict.waitMs, context.signal).catch(() => checkClient());
          permit =
            phase === 1
              ? policy.breakers.force(target.key)
              : policy.breakers.acquire(target.key, policy.now(), true);
          if (permit === undefined) {
            // Its breaker opened meanwhile: try the others first, keep it as a last resort.
            lease.attempt.endReason = `failover: ${error.code} (breaker opened)`;
            tried.delete(target);
            deferred.push(target);
            break;
          }
          continue;
        }
        const problem =
          options.check && options.answerOf
            ? checkAnswer(options.check, options.answerOf(value))
            : undefined;
        if (problem === undefined) return { value, lease: winner };
        // An invalid structured answer: the deployment is healthy, the answer is not.
        winner.invalid(problem, options.answerOf?.(value)?.usage);
        const model = winner.target.model.name;
        const count = (invalidAnswers.get(model) ?? 0) + 1;
        invalidAnswers.set(model, count);
        lastError = new GatewayError(
          'invalid_structured_output',
          `The model's answer failed the structured-output check after ${context.attempts.filter((attempt) => attempt.errorCode === 'invalid_structured_output').length} tries: ${problem}.`,
          { provider: winner.target.deployment.provider },
        );
        if (
          settings.structuredOutput.mode === 'validate' &&
          count >= settings.structuredOutput.invalidAnswersPerModel
        ) {
          winner.attempt.endReason = 'escalate: invalid structured output';
          skipModels.add(model);
          break;
        }
        winner.attempt.endReason = 'retry: invalid structured output';
        permit =
          policy.breakers.acquire(target.key, policy.now()) ?? policy.breakers.force(target.key);
      }
    }
  }
  throw (
    lastError ??
    new GatewayError(
      'upstream_unavailable',
      'No deployment of the route plan was available (open breakers or cooldowns).',
    )
  );
}

function checkAnswer(check: OutputCheck, answer: ModelResponse | undefined): string | undefined {
  return answer === undefined ? undefined : check.problem(answer);
}
