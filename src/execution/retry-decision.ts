import type { RetrySettings } from './resilience-config.js';

/**
 * Exponential backoff with full jitter: a uniformly random wait in
 * [0, min(maxDelay, baseDelay × 2^retry)] (retry counts from 0), so that clients failing
 * together do not retry together.
 */
export function backoffDelay(
  retry: number,
  settings: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.min(retry, 30));
  return Math.floor(random() * ceiling);
}

export type RetryVerdict =
  | { retry: true; waitMs: number }
  | { retry: false; why: 'retries exhausted' | 'retry-after too long' | 'no time left' };

/**
 * Whether a retryable failure is retried on the same deployment, and after how long. The
 * provider's Retry-After wins over the backoff when it fits both the operator's cap and the time
 * left in the request's budget; otherwise the executor moves on to the next deployment.
 */
export function decideRetry(
  retry: number,
  retryAfterMs: number | undefined,
  remainingMs: number,
  settings: RetrySettings,
  random: () => number,
): RetryVerdict {
  if (retry >= settings.maxPerDeployment) return { retry: false, why: 'retries exhausted' };
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > settings.maxRetryAfterMs)
      return { retry: false, why: 'retry-after too long' };
    if (retryAfterMs >= remainingMs) return { retry: false, why: 'no time left' };
    return { retry: true, waitMs: retryAfterMs };
  }
  const waitMs = backoffDelay(retry, settings, random);
  if (waitMs >= remainingMs) return { retry: false, why: 'no time left' };
  return { retry: true, waitMs };
}
