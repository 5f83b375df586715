import { describe, expect, it } from 'vitest';
import type {
  KeyLimits,
  Reservation,
  ReservationRequest,
  ReservationResult,
  SpendGuard,
} from './key-types.js';
import { createMemorySpendGuard } from './memory-spend-guard.js';

const NOON = Date.UTC(2026, 2, 15, 12, 0, 30);
const MIDNIGHT = Date.UTC(2026, 2, 16);

function request(
  limits: KeyLimits,
  estimatedCostUsd: number,
  now = NOON,
  estimatedTokens = 100,
  keyId = 'key_a',
): ReservationRequest {
  return { keyId, limits, estimatedCostUsd, estimatedTokens, now };
}

function accepted(result: ReservationResult): Reservation {
  if (!result.ok)
    throw new Error(`expected a reservation, got ${result.reason}: ${result.message}`);
  return result.reservation;
}

async function spend(guard: SpendGuard, limits: KeyLimits, usd: number, now = NOON): Promise<void> {
  accepted(await guard.reserve(request(limits, usd, now))).settle(usd, 100);
}

describe('memory SpendGuard budgets', () => {
  it('admits up to the daily budget exactly, then names the budget, limit and spend', async () => {
    const guard = createMemorySpendGuard();
    const limits = { dailyBudgetUsd: 1 };
    await spend(guard, limits, 0.4);
    await spend(guard, limits, 0.4);
    const refused = await guard.reserve(request(limits, 0.3));
    expect(refused).toEqual({
      ok: false,
      reason: 'budget_exceeded',
      message: 'daily budget of $1.00 exceeded: $0.80 spent; this request may cost up to $0.30',
      retryAfterMs: MIDNIGHT - NOON,
    });
    await spend(guard, limits, 0.2);
    const exhausted = await guard.reserve(request(limits, 0));
    expect(exhausted.ok).toBe(false);
    expect(await guard.usage('key_a', NOON)).toMatchObject({
      dailyUsd: 1,
      monthlyUsd: 1,
      totalUsd: 1,
    });
  });

  it('checks the monthly and total budgets too, the total first', async () => {
    const guard = createMemorySpendGuard({
      seed: () => ({ dailyUsd: 0, monthlyUsd: 9.5, totalUsd: 49.9 }),
    });
    const monthly = await guard.reserve(request({ monthlyBudgetUsd: 10 }, 0.6));
    expect(monthly.ok === false && monthly.message).toBe(
      'monthly budget of $10.00 exceeded: $9.50 spent; this request may cost up to $0.60',
    );
    expect(monthly.ok === false && monthly.retryAfterMs).toBe(Date.UTC(2026, 3, 1) - NOON);
    const total = await guard.reserve(request({ monthlyBudgetUsd: 10, totalBudgetUsd: 50 }, 0.6));
    expect(total.ok === false && total.message).toMatch(
      /^total budget of \$50\.00 exceeded: \$49\.90 spent/,
    );
    expect(total.ok === false && total.retryAfterMs).toBeUndefined();
    expect(
      (await guard.reserve(request({ monthlyBudgetUsd: 10, totalBudgetUsd: 50 }, 0.05))).ok,
    ).toBe(true);
  });

  it('counts what is reserved for requests in flight until they settle', async () => {
    const guard = createMemorySpendGuard();
    const limits = { dailyBudgetUsd: 1 };
    const inFlight = accepted(await guard.reserve(request(limits, 0.6)));
    const refused = await guard.reserve(request(limits, 0.5));
    expect(refused.ok === false && refused.message).toBe(
      'daily budget of $1.00 exceeded: $0.00 spent and $0.60 reserved for requests in flight; this request may cost up to $0.50',
    );
    inFlight.settle(0.1, 50);
    expect((await guard.usage('key_a', NOON)).dailyUsd).toBe(0.1);
    expect((await guard.reserve(request(limits, 0.5))).ok).toBe(true);
  });

  it('settles once: the actual cost replaces the estimate, a second settle changes nothing', async () => {
    const guard = createMemorySpendGuard();
    const reservation = accepted(await guard.reserve(request({}, 0.5, NOON, 1000)));
    expect(await guard.usage('key_a', NOON)).toEqual({
      dailyUsd: 0,
      monthlyUsd: 0,
      totalUsd: 0,
      requestsThisMinute: 1,
      tokensThisMinute: 1000,
    });
    reservation.settle(0.123456789, 700);
    reservation.settle(5, 5000);
    expect(await guard.usage('key_a', NOON)).toEqual({
      dailyUsd: 0.123456789,
      monthlyUsd: 0.123456789,
      totalUsd: 0.123456789,
      requestsThisMinute: 1,
      tokensThisMinute: 700,
    });
    accepted(await guard.reserve(request({}, 0.25))).settle(Number.NaN, Number.NaN);
    expect((await guard.usage('key_a', NOON)).totalUsd).toBeCloseTo(0.373456789, 12);
  });

  it('keeps keys apart and refuses invalid estimates', async () => {
    const guard = createMemorySpendGuard();
    await spend(guard, { dailyBudgetUsd: 1 }, 1);
    expect((await guard.reserve(request({ dailyBudgetUsd: 1 }, 0.5, NOON, 10, 'key_b'))).ok).toBe(
      true,
    );
    await expect(guard.reserve(request({}, -1))).rejects.toThrow(
      /estimatedCostUsd must be a non-negative number/,
    );
    await expect(guard.reserve(request({}, 0, Number.NaN))).rejects.toThrow(
      /now must be a valid time/,
    );
  });
});

describe('memory SpendGuard rate limits', () => {
  it('limits requests per UTC minute and says when the next minute starts', async () => {
    const guard = createMemorySpendGuard();
    const limits = { requestsPerMinute: 3 };
    for (let index = 0; index < 3; index += 1) accepted(await guard.reserve(request(limits, 0.01)));
    const refused = await guard.reserve(request(limits, 0.01, NOON + 10_000));
    expect(refused).toEqual({
      ok: false,
      reason: 'rate_limited',
      message: 'rate limit of 3 requests per minute reached',
      retryAfterMs: 20_000,
    });
    expect((await guard.reserve(request(limits, 0.01, Date.UTC(2026, 2, 15, 12, 1)))).ok).toBe(
      true,
    );
  });

  it('limits tokens per minute, the estimate replaced by the actual count on settle', async () => {
    const guard = createMemorySpendGuard();
    const limits = { tokensPerMinute: 1000 };
    const first = accepted(await guard.reserve(request(limits, 0, NOON, 600)));
    const refused = await guard.reserve(request(limits, 0, NOON, 500));
    expect(refused.ok === false && refused.message).toBe(
      'rate limit of 1000 tokens per minute reached (600 used this minute, this request needs about 500)',
    );
    first.settle(0, 300);
    expect((await guard.reserve(request(limits, 0, NOON, 500))).ok).toBe(true);
    const tooLarge = await guard.reserve(request(limits, 0, NOON + 60_000, 1001));
    expect(tooLarge).toEqual({
      ok: false,
      reason: 'rate_limited',
      message:
        "this request needs about 1001 tokens, more than the key's limit of 1000 tokens per minute",
    });
  });

  it('reports a budget before a rate limit', async () => {
    const guard = createMemorySpendGuard();
    await spend(guard, {}, 1);
    const refused = await guard.reserve(request({ requestsPerMinute: 1, dailyBudgetUsd: 1 }, 0.1));
    expect(refused.ok === false && refused.reason).toBe('budget_exceeded');
  });
});

describe('memory SpendGuard windows', () => {
  it('starts a new daily budget at UTC midnight; the month and total carry on', async () => {
    const guard = createMemorySpendGuard();
    const limits = { dailyBudgetUsd: 1, monthlyBudgetUsd: 100 };
    const beforeMidnight = MIDNIGHT - 1;
    await spend(guard, limits, 0.9, beforeMidnight - 1000);
    const straddling = accepted(await guard.reserve(request(limits, 0.1, beforeMidnight)));
    expect((await guard.reserve(request(limits, 0.1, beforeMidnight))).ok).toBe(false);
    expect((await guard.reserve(request(limits, 1, MIDNIGHT))).ok).toBe(true);
    // A request started before midnight belongs to the old day (as in the ledger): it no longer touches today's budget.
    straddling.settle(0.1, 10);
    expect(await guard.usage('key_a', MIDNIGHT)).toMatchObject({
      dailyUsd: 0,
      monthlyUsd: 1,
      totalUsd: 1,
    });
    expect((await guard.usage('key_a', MIDNIGHT - 1)).dailyUsd).toBe(0);
  });

  it('starts a new monthly budget on the first of the month, February included', async () => {
    const guard = createMemorySpendGuard();
    const limits = { monthlyBudgetUsd: 10 };
    const endOfJanuary = Date.UTC(2026, 0, 31, 23, 59, 59);
    await spend(guard, limits, 10, endOfJanuary);
    const refused = await guard.reserve(request(limits, 0.01, endOfJanuary));
    expect(refused.ok === false && refused.retryAfterMs).toBe(1000);
    await spend(guard, limits, 10, Date.UTC(2026, 1, 1));
    expect((await guard.reserve(request(limits, 0.01, Date.UTC(2026, 1, 28, 23, 59)))).ok).toBe(
      false,
    );
    expect((await guard.reserve(request(limits, 0.01, Date.UTC(2026, 2, 1)))).ok).toBe(true);
    expect(await guard.usage('key_a', Date.UTC(2026, 2, 1))).toMatchObject({
      monthlyUsd: 0,
      totalUsd: 20,
    });
  });

  it('forgets idle minute windows and never rolls a window backwards', async () => {
    const guard = createMemorySpendGuard();
    accepted(await guard.reserve(request({ requestsPerMinute: 1 }, 0, NOON)));
    accepted(await guard.reserve(request({}, 0, NOON + 120_000, 10, 'key_b')));
    expect((await guard.usage('key_a', NOON)).requestsThisMinute).toBe(0);
    await spend(guard, { dailyBudgetUsd: 1 }, 1, MIDNIGHT);
    expect((await guard.reserve(request({ dailyBudgetUsd: 1 }, 0.1, MIDNIGHT - 5))).ok).toBe(false);
  });
});

describe('memory SpendGuard seeding', () => {
  it('seeds a key once even when its first uses arrive together', async () => {
    let calls = 0;
    const guard = createMemorySpendGuard({
      seed: async (keyId) => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { dailyUsd: keyId === 'key_a' ? 0.5 : 0, monthlyUsd: 0.5, totalUsd: 0.5 };
      },
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => guard.reserve(request({ dailyBudgetUsd: 1 }, 0.1))),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(5);
    expect(calls).toBe(1);
  });

  it('a failed seed fails the request and is retried on the next use', async () => {
    let calls = 0;
    const guard = createMemorySpendGuard({
      seed: () => {
        calls += 1;
        if (calls === 1) throw new Error('ledger unavailable');
        return { dailyUsd: 0.25, monthlyUsd: 0.25, totalUsd: 0.25 };
      },
    });
    await expect(guard.reserve(request({}, 0.1))).rejects.toThrow(/ledger unavailable/);
    expect((await guard.usage('key_a', NOON)).dailyUsd).toBe(0.25);
  });

  it('drops a baseline that belongs to an earlier day', async () => {
    const guard = createMemorySpendGuard({
      seed: () => ({ dailyUsd: 0.7, monthlyUsd: 0.7, totalUsd: 0.7, at: MIDNIGHT - 1 }),
    });
    expect(await guard.usage('key_a', MIDNIGHT)).toMatchObject({
      dailyUsd: 0,
      monthlyUsd: 0.7,
      totalUsd: 0.7,
    });
  });
});
