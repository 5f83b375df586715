import { describe, expect, it } from 'vitest';
import { backoffDelay, decideRetry } from './retry-decision.js';

const settings = { maxPerDeployment: 2, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

describe('backoff and retry decisions', () => {
  it('waits a random share (full jitter) of an exponentially growing, capped ceiling', () => {
    expect(backoffDelay(0, settings, () => 0.5)).toBe(50);
    expect(backoffDelay(2, settings, () => 0.5)).toBe(200);
    expect(backoffDelay(10, settings, () => 0.999)).toBe(999);
    expect(backoffDelay(3, settings, () => 0)).toBe(0);
  });

  it('honours Retry-After when it fits the cap and the time left, else moves on', () => {
    expect(decideRetry(0, 1500, 10_000, settings, () => 0.5)).toEqual({
      retry: true,
      waitMs: 1500,
    });
    expect(decideRetry(0, 6000, 10_000, settings, () => 0.5)).toEqual({
      retry: false,
      why: 'retry-after too long',
    });
    expect(decideRetry(0, 1500, 1000, settings, () => 0.5)).toEqual({
      retry: false,
      why: 'no time left',
    });
  });

  it('stops after max_per_deployment retries and when the backoff does not fit', () => {
    expect(decideRetry(2, undefined, 10_000, settings, () => 0.5)).toEqual({
      retry: false,
      why: 'retries exhausted',
    });
    expect(decideRetry(1, undefined, 10_000, settings, () => 0.5)).toEqual({
      retry: true,
      waitMs: 100,
    });
    expect(decideRetry(1, undefined, 50, settings, () => 0.5)).toEqual({
      retry: false,
      why: 'no time left',
    });
  });
});
