import type { RouteTarget } from '../core/route.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { CallContext } from '../core/provider.js';
import type { Usage } from '../core/response.js';
import { costOfUsage } from '../usage/cost/cost-of-usage.js';
import type { Watch } from './attempt-watchdog.js';
import { Cancel } from '../core/cancel.js';
import { formatTraceparent, newSpanId } from '../core/trace-context.js';
import type { Permit } from './deployment-breakers.js';
import type { AttemptRecord, ExecutionContext } from './execution-types.js';
import { timeoutsFor, type ExecutionPolicy } from './execution-policy.js';

/**
 * One upstream attempt in flight: its record, its own abort controller (linked to the client's
 * signal, fired by the watchdog on a timeout or by the executor when it abandons the attempt),
 * its watchdog entry and its breaker permit. Every lease ends exactly once: ok, failed or dropped.
 */
export class AttemptLease {
  readonly controller = new Cancel();
  readonly attempt: AttemptRecord;
  readonly call: CallContext;
  readonly watch: Watch;
  private ended = false;
  /** Called once when the lease ends (gives back a self-hosted deployment's slot). */
  onEnd: (() => void) | undefined;
  private readonly onClientAbort = (): void => this.controller.abort(this.context.signal.reason);

  constructor(
    readonly target: RouteTarget,
    private readonly permit: Permit,
    private readonly context: ExecutionContext,
    private readonly policy: ExecutionPolicy,
    stream: boolean,
    remainingMs: number,
  ) {
    this.attempt = {
      key: target.key,
      provider: target.deployment.provider,
      model: target.model.name,
      upstreamModel: target.deployment.upstreamModel,
      startedAtWall: Date.now(),
      startedAt: performance.now(),
    };
    context.attempts.push(this.attempt);
    context.signal.addEventListener('abort', this.onClientAbort, { once: true });
    // The request's own total (x-switchyard-timeout-ms) is its deadline, passed in as remainingMs.
    const timeouts = timeoutsFor(
      policy.settings,
      target.deployment.provider,
      context.timeouts,
      false,
    );
    this.watch = policy.watchdog.watch(this.controller, target.deployment.provider, {
      totalMs: Math.max(1, Math.min(timeouts.totalMs, remainingMs)),
      ...(stream ? { firstTokenMs: timeouts.firstTokenMs, idleMs: timeouts.idleMs } : {}),
    });
    this.call = {
      upstreamModel: target.deployment.upstreamModel,
      signal: this.controller,
      requestId: context.requestId,
    };
    if (context.trace) {
      this.attempt.spanId = newSpanId();
      this.call.traceparent = formatTraceparent(
        context.trace.traceId,
        this.attempt.spanId,
        context.trace.sampled,
      );
    }
  }

  /** The first content arrived (streams): from now on the idle timeout applies. */
  flowing(): void {
    this.attempt.firstTokenAt = performance.now();
    this.policy.watchdog.flowing(this.watch);
  }

  /** The attempt answered in full. */
  succeeded(outputTokens: number | undefined): void {
    if (!this.release()) return;
    const attempt = this.attempt;
    attempt.endedAt = performance.now();
    attempt.firstTokenAt ??= attempt.endedAt;
    attempt.status = 200;
    this.policy.breakers.succeeded(this.target.key, this.permit, this.policy.now());
    const firstTokenMs = attempt.firstTokenAt - attempt.startedAt;
    if (this.policy.settings.hedging.mode !== 'off')
      this.policy.ttft.add(this.target.key, firstTokenMs);
    this.context.observer?.observe({
      key: this.target.key,
      ok: true,
      firstTokenMs,
      durationMs: attempt.endedAt - attempt.startedAt,
      ...(outputTokens === undefined ? {} : { outputTokens }),
    });
  }

  /** The attempt answered, but the answer failed its structured-output check. */
  invalid(problem: string, usage: Usage | undefined): void {
    if (!this.release()) return;
    const attempt = this.attempt;
    attempt.endedAt = performance.now();
    attempt.firstTokenAt ??= attempt.endedAt;
    attempt.status = 200;
    attempt.errorCode = 'invalid_structured_output';
    attempt.problem = problem;
    this.price(usage);
    this.policy.breakers.succeeded(this.target.key, this.permit, this.policy.now());
  }

  /** The attempt failed: records why, feeds the breaker when the failure says something about the deployment. */
  failed(thrown: unknown): GatewayError {
    const error = this.context.signal.aborted
      ? new GatewayError('client_closed', 'The client closed the connection.')
      : toGatewayError(thrown);
    if (!this.release()) return error;
    const attempt = this.attempt;
    attempt.endedAt = performance.now();
    attempt.errorCode = error.code;
    attempt.status = error.code === 'client_closed' ? 499 : (error.upstreamStatus ?? error.status);
    const now = this.policy.now();
    if (error.retryable)
      this.policy.breakers.failed(
        this.target.key,
        this.permit,
        now,
        error.code,
        error.retryAfterMs,
      );
    else this.policy.breakers.released(this.target.key, this.permit);
    if (error.code === 'upstream_auth')
      this.policy.breakers.coolProvider(
        this.target.deployment.provider,
        now,
        `${error.code}, HTTP ${error.upstreamStatus ?? '401/403'}`,
      );
    if (error.code !== 'client_closed') {
      this.context.observer?.observe({
        key: this.target.key,
        ok: false,
        durationMs: attempt.endedAt - attempt.startedAt,
        errorCode: error.code,
      });
    }
    return error;
  }

  /** The executor gave up on a healthy attempt (it lost a hedge): abort it, charge what it likely cost. */
  dropped(reason: string, usage: Usage | undefined): void {
    this.controller.abort(new GatewayError('client_closed', `Attempt abandoned: ${reason}.`));
    if (!this.release()) return;
    this.attempt.endedAt = performance.now();
    this.attempt.status = 499;
    this.attempt.endReason = reason;
    this.price(usage);
    this.policy.breakers.released(this.target.key, this.permit);
  }

  /** Aborts the upstream call (no-op once it ended normally). */
  abort(reason: GatewayError): void {
    this.controller.abort(reason);
  }

  private price(usage: Usage | undefined): void {
    if (!usage) return;
    this.attempt.usage = usage;
    const cost = costOfUsage(usage, this.target.deployment.price);
    if (cost.unpriced.length === 0) this.attempt.costUsd = cost.costUsd;
  }

  /** Unwatches and unlinks once; false when the lease had already ended. */
  private release(): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.onEnd?.();
    this.policy.watchdog.unwatch(this.watch);
    this.context.signal.removeEventListener('abort', this.onClientAbort);
    return true;
  }
}
