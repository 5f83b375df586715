import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisSharedState, type RedisSharedState } from '../state/redis-shared-state.js';
import { createRedisSpendGuard } from './redis-spend-guard.js';

const url = process.env.REDIS_URL;
if (!url && process.env.CI === 'true')
  throw new Error(
    'REDIS_URL is required under CI=true: the shared spend guard tests cannot run without Redis.',
  );

const NOW = Date.UTC(2026, 2, 15, 12);
const states: RedisSharedState[] = [];
afterEach(async () => {
  for (const state of states.splice(0)) {
    if (state.up) {
      const keys = await state.redis.keys(state.key('*'));
      if (keys.length > 0) await state.redis.del(...keys);
    }
    await state.close();
  }
});

/** `count` replicas of one gateway: each its own connection, one key prefix. */
async function replicas(
  count: number,
  seed = { dailyUsd: 0, monthlyUsd: 0, totalUsd: 0 },
  prefix = `switchyard-test:${randomUUID()}:`,
) {
  const guards = [];
  for (let index = 0; index < count; index += 1) {
    const state = createRedisSharedState({
      url: url!,
      keyPrefix: prefix,
      replicaId: `replica-${index}`,
      log: () => {},
    });
    states.push(state);
    expect(await state.ready(3000)).toBe(true);
    guards.push(createRedisSpendGuard({ state, seed: () => seed, log: () => {} }));
  }
  return guards;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!url)('Redis spend guard (shared by replicas)', () => {
  it('200 concurrent requests over 3 replicas near a $1.00 budget: exactly 100 of $0.01 admitted', async () => {
    const guards = await replicas(3);
    const keyId = `key_${randomUUID().slice(0, 8)}`;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        guards[index % 3]!.reserve({
          keyId,
          limits: { dailyBudgetUsd: 1 },
          estimatedCostUsd: 0.01,
          estimatedTokens: 10,
          now: NOW,
        }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(100);
    const refused = results.find((result) => !result.ok);
    expect(refused).toMatchObject({ reason: 'budget_exceeded' });
    for (const result of results) if (result.ok) result.reservation.settle(0.01, 10);
    await sleep(200);
    const usage = await guards[1]!.usage(keyId, NOW);
    expect(usage.dailyUsd).toBeCloseTo(1, 9);
    expect(usage.totalUsd).toBeCloseTo(1, 9);
  });

  it('dearer than estimated: total spend overshoots by no more than the reservations in flight', async () => {
    const guards = await replicas(3);
    const keyId = `key_${randomUUID().slice(0, 8)}`;
    let inFlight = 0;
    let allowance = 0;
    const actual = 0.02;
    await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        await sleep(index % 20);
        // Counted from the call to Redis until Redis applied the settlement: never less than in flight there.
        inFlight += 1;
        allowance = Math.max(allowance, inFlight * (actual - 0.01));
        const result = await guards[index % 3]!.reserve({
          keyId,
          limits: { totalBudgetUsd: 1 },
          estimatedCostUsd: 0.01,
          estimatedTokens: 10,
          now: NOW,
        });
        if (result.ok) {
          await sleep(5 + (index % 7));
          await result.reservation.settle(actual, 10);
        }
        inFlight -= 1;
      }),
    );
    await sleep(200);
    const usage = await guards[0]!.usage(keyId, NOW);
    expect(usage.totalUsd).toBeGreaterThan(1); // dearer answers did overshoot…
    expect(usage.totalUsd - 1).toBeLessThanOrEqual(allowance + 1e-9); // …by at most the reservations in flight
  });

  it('counts spend recorded before (the ledger baseline) once, whichever replica sees the key first', async () => {
    const guards = await replicas(3, { dailyUsd: 0.5, monthlyUsd: 0.7, totalUsd: 0.9 });
    const keyId = `key_${randomUUID().slice(0, 8)}`;
    const results = await Promise.all(
      guards.map((guard) =>
        guard.reserve({
          keyId,
          limits: { totalBudgetUsd: 1 },
          estimatedCostUsd: 0.04,
          estimatedTokens: 1,
          now: NOW,
        }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(2); // 0.9 + 2 × 0.04 ≤ 1 < 0.9 + 3 × 0.04
    expect(await guards[2]!.usage(keyId, NOW)).toMatchObject({
      dailyUsd: 0.5,
      monthlyUsd: 0.7,
      totalUsd: 0.9,
    });
  });

  it('requests per minute is one sliding window across replicas', async () => {
    const guards = await replicas(3);
    const keyId = `key_${randomUUID().slice(0, 8)}`;
    const limits = { requestsPerMinute: 5 };
    const first = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        guards[index % 3]!.reserve({
          keyId,
          limits,
          estimatedCostUsd: 0,
          estimatedTokens: 1,
          now: NOW,
        }),
      ),
    );
    expect(first.filter((result) => result.ok)).toHaveLength(5);
    expect(first.find((result) => !result.ok)).toMatchObject({
      reason: 'rate_limited',
      retryAfterMs: 60_000,
    });
    // 59 s later the window still holds all five; 60 s after them it holds none.
    expect(
      (
        await guards[0]!.reserve({
          keyId,
          limits,
          estimatedCostUsd: 0,
          estimatedTokens: 1,
          now: NOW + 59_000,
        })
      ).ok,
    ).toBe(false);
    expect(
      (
        await guards[1]!.reserve({
          keyId,
          limits,
          estimatedCostUsd: 0,
          estimatedTokens: 1,
          now: NOW + 60_000,
        })
      ).ok,
    ).toBe(true);
  });

  it('tokens per minute counts actual tokens once settled', async () => {
    const guards = await replicas(2);
    const keyId = `key_${randomUUID().slice(0, 8)}`;
    const limits = { tokensPerMinute: 1000 };
    const big = await guards[0]!.reserve({
      keyId,
      limits,
      estimatedCostUsd: 0,
      estimatedTokens: 900,
      now: NOW,
    });
    expect(big.ok).toBe(true);
    expect(
      (
        await guards[1]!.reserve({
          keyId,
          limits,
          estimatedCostUsd: 0,
          estimatedTokens: 200,
          now: NOW,
        })
      ).ok,
    ).toBe(false);
    if (big.ok) await big.reservation.settle(0, 100);
    expect(
      (
        await guards[1]!.reserve({
          keyId,
          limits,
          estimatedCostUsd: 0,
          estimatedTokens: 200,
          now: NOW,
        })
      ).ok,
    ).toBe(true);
    expect((await guards[1]!.usage(keyId, NOW)).tokensThisMinute).toBe(300);
  });
});

describe('Redis spend guard with Redis unreachable', () => {
  it('enforces on this replica alone (fail open), or refuses budgeted keys (fail closed)', async () => {
    const state = createRedisSharedState({
      url: 'redis://127.0.0.1:9',
      keyPrefix: 'x:',
      replicaId: 'r',
      log: () => {},
    });
    states.push(state);
    const open = createRedisSpendGuard({
      state,
      seed: () => ({ dailyUsd: 0, monthlyUsd: 0, totalUsd: 0 }),
      log: () => {},
    });
    const closed = createRedisSpendGuard({
      state,
      whenDown: 'closed',
      seed: () => ({ dailyUsd: 0, monthlyUsd: 0, totalUsd: 0 }),
      log: () => {},
    });
    const request = {
      keyId: 'key_down',
      limits: { totalBudgetUsd: 0.02 },
      estimatedCostUsd: 0.01,
      estimatedTokens: 1,
      now: NOW,
    };
    const opened = await Promise.all([
      open.reserve(request),
      open.reserve(request),
      open.reserve(request),
    ]);
    expect(opened.map((result) => result.ok)).toEqual([true, true, false]);
    expect(open.fallbacks).toBe(3);
    expect(await closed.reserve(request)).toMatchObject({ ok: false, reason: 'unavailable' });
    expect((await closed.reserve({ ...request, limits: {} })).ok).toBe(true);
  });
});
