import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisSharedState, type RedisSharedState } from '../state/redis-shared-state.js';
import { createRedisSpendGuard } from './redis-spend-guard.js';
import {
  freePort,
  startOwnRedis as startRedis,
  stopOwnRedis as stop,
} from '../../test/helpers/own-redis.js';

/** Redis stopped and started again mid-run: an own redis-server on a free port (never the shared one). */
const hasRedis = process.env.REDIS_URL !== undefined || process.env.CI === 'true';

const until = async (check: () => boolean): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const children: ChildProcess[] = [];
const states: RedisSharedState[] = [];
afterEach(async () => {
  for (const state of states.splice(0)) await state.close();
  for (const child of children.splice(0)) await stop(child);
});

describe.skipIf(!hasRedis)('Redis spend guard across a Redis outage', () => {
  it('falls back to this replica alone, alerts, then resumes sharing and reconciles spend from the ledger', async () => {
    const port = await freePort();
    children.push(await startRedis(port));
    const alerts: string[] = [];
    const state = createRedisSharedState({
      url: `redis://127.0.0.1:${port}`,
      keyPrefix: 'outage:',
      replicaId: 'r1',
      log: (message) => alerts.push(message),
    });
    states.push(state);
    expect(await state.ready(5000)).toBe(true);
    let ledgerSpend = 0;
    const guard = createRedisSpendGuard({
      state,
      seed: () => ({ dailyUsd: ledgerSpend, monthlyUsd: ledgerSpend, totalUsd: ledgerSpend }),
      log: (message) => alerts.push(message),
    });
    const request = (now = Date.now()) => ({
      keyId: 'key_outage',
      limits: { totalBudgetUsd: 1 },
      estimatedCostUsd: 0.1,
      estimatedTokens: 1,
      now,
    });

    const shared = await guard.reserve(request());
    expect(shared.ok).toBe(true);
    if (shared.ok) await shared.reservation.settle(0.1, 1);
    ledgerSpend = 0.1;

    await stop(children.pop()!);
    await until(() => !state.up);
    expect(alerts.some((message) => message.startsWith('ALERT: Redis unreachable'))).toBe(true);
    const alone = await guard.reserve(request());
    expect(alone.ok).toBe(true); // fail open: the local guard, seeded from the ledger
    if (alone.ok) alone.reservation.settle(0.3, 1);
    ledgerSpend = 0.4; // what the ledger recorded meanwhile
    expect(guard.fallbacks).toBe(1);

    children.push(await startRedis(port)); // restarted empty: no persistence
    await until(() => state.up);
    await until(() => alerts.some((message) => message.includes('reconciled the spend of 1 keys')));
    const usage = await guard.usage('key_outage', Date.now());
    expect(usage.totalUsd).toBeCloseTo(0.4, 9);
    // Shared again: 0.4 spent, so six more reservations of 0.1 fit, the seventh does not.
    const after = await Promise.all(Array.from({ length: 7 }, () => guard.reserve(request())));
    expect(after.filter((result) => result.ok)).toHaveLength(6);
    expect(guard.fallbacks).toBe(1);
  });
});
