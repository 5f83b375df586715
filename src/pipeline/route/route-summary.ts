import { GatewayError } from '../../core/errors.js';
import type { AttemptRecord } from '../../execution/execution-types.js';

export const LATENCY_BUDGET_HEADER = 'x-switchyard-latency-budget-ms';

/** The route summary, plus the attempts when there was more than one (why each ended). */
export function routeHeader(summary: string, attempts: readonly AttemptRecord[]): string {
  const text = attempts.length > 1 ? `${summary}; ${attemptsSummary(attempts)}` : summary;
  // Header values must be visible ASCII: anything else (a model name from config) becomes '?'.
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 1024);
}

/** Each attempt and why it ended: `key ok`, `key retry: upstream_rate_limited`, `key failover: …`, `key escalate: …`. */
export function attemptsSummary(attempts: readonly AttemptRecord[]): string {
  return `attempts: ${attempts.map((attempt) => `${attempt.key} ${attempt.endReason ?? attempt.errorCode ?? 'ok'}`).join(', ')}`;
}

export function readLatencyBudget(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const budget = Number(value);
  if (!Number.isFinite(budget) || budget <= 0) {
    throw new GatewayError(
      'invalid_request',
      `${LATENCY_BUDGET_HEADER} must be a positive number of milliseconds.`,
      { param: LATENCY_BUDGET_HEADER },
    );
  }
  return budget;
}
