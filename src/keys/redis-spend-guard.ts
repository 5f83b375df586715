import { randomUUID } from 'node:crypto';
import type { RedisSharedState } from '../state/redis-shared-state.js';
import type { Ledger } from '../usage/ledger/ledger.js';
import { nanoToUsd, usdToNano } from './key-input.js';
import type { ReservationRequest, ReservationResult, SpendGuard } from './key-types.js';
import { createLedgerSpendSeed, type SpendSeed } from './ledger-spend-seed.js';
import { createMemorySpendGuard } from './memory-spend-guard.js';
import { RESERVE_SCRIPT, SEED_SCRIPT, SETTLE_SCRIPT } from './spend-scripts.js';
import {
  DAY_MS,
  dayWindow,
  formatUsd,
  MINUTE_MS,
  monthStart,
  monthWindow,
  windowEnds,
} from './spend-windows.js';

export interface RedisSpendGuardOptions {
  state: RedisSharedState;
  /** Baselines (spend before Redis knew the key, and reconciliation after an outage). */
  ledger?: Pick<Ledger, 'report'> & Partial<Pick<Ledger, 'flush'>>;
  /** For tests: baselines from a function instead of the ledger. */
  seed?: SpendSeed;
  /**
   * Redis down: `open` (default) enforces limits on this replica alone (its own spend on top of the
   * ledger's baseline); `closed` refuses every request of a key that has a budget.
   */
  whenDown?: 'open' | 'closed';
  /** How long an unsettled reservation holds budget (a replica that died mid-request); default 15 min. */
  reservationTtlMs?: number;
  log?: (message: string) => void;
}

interface Commands {
  spendReserve(...args: (string | number)[]): Promise<string[]>;
  spendSettle(...args: (string | number)[]): Promise<number>;
  spendSeed(...args: (string | number)[]): Promise<number>;
}

const BUDGET_LIMITS = {
  daily: 'dailyBudgetUsd',
  monthly: 'monthlyBudgetUsd',
  total: 'totalBudgetUsd',
} as const;

/**
 * The SpendGuard shared by every replica: reservations and settlements are server-side scripts on
 * Redis (atomic across replicas), for day / month / total budgets and sliding one-minute windows
 * of requests and tokens. A key's windows are seeded from the ledger on first use. While Redis is
 * unreachable the replica falls back to a local guard (or refuses budgeted keys, `whenDown:
 * closed`); when Redis returns, the keys used meanwhile are reconciled from the ledger.
 */
export function createRedisSpendGuard(
  options: RedisSpendGuardOptions,
): SpendGuard & { readonly fallbacks: number } {
  const { state } = options;
  const redis = state.redis as unknown as Commands & {
    defineCommand: (name: string, definition: { numberOfKeys: number; lua: string }) => void;
  };
  redis.defineCommand('spendReserve', { numberOfKeys: 6, lua: RESERVE_SCRIPT });
  redis.defineCommand('spendSettle', { numberOfKeys: 6, lua: SETTLE_SCRIPT });
  redis.defineCommand('spendSeed', { numberOfKeys: 3, lua: SEED_SCRIPT });
  const seed: SpendSeed =
    options.seed ??
    (options.ledger
      ? createLedgerSpendSeed(options.ledger)
      : () => ({ dailyUsd: 0, monthlyUsd: 0, totalUsd: 0 }));
  const reservationTtlMs = options.reservationTtlMs ?? 15 * 60_000;
  const log =
    options.log ?? ((message: string) => process.stderr.write(`[spend-guard] ${message}\n`));
  let local = createMemorySpendGuard({ seed });
  const usedWhileDown = new Set<string>();
  let fallbacks = 0;

  state.onAvailability((up) => {
    if (up) void reconcile();
  });

  function keysOf(keyId: string, now: number): string[] {
    const tag = `{${keyId}}`;
    return [
      state.key(`spend:${tag}:total`),
      state.key(`spend:${tag}:month:${monthWindow(now)}`),
      state.key(`spend:${tag}:day:${dayWindow(now)}`),
      state.key(`spend:${tag}:reservations`),
      state.key(`spend:${tag}:rate`),
      state.key(`spend:${tag}:rate-tokens`),
    ];
  }

  function ttls(now: number): { day: number; month: number } {
    const ends = windowEnds(now);
    return { day: ends.day - now + DAY_MS, month: ends.month - now + 31 * DAY_MS };
  }

  async function seedKey(keyId: string, now: number, mode: 'seed' | 'reconcile'): Promise<void> {
    const baseline = await seed(keyId, now);
    const { day, month } = ttls(now);
    const [total, monthKey, dayKey] = keysOf(keyId, now);
    await redis.spendSeed(
      total!,
      monthKey!,
      dayKey!,
      usdToNano(Math.max(0, baseline.totalUsd)),
      usdToNano(Math.max(0, baseline.monthlyUsd)),
      usdToNano(Math.max(0, baseline.dailyUsd)),
      month,
      day,
      mode,
    );
  }

  /** After an outage: what the keys spent meanwhile is in the ledger (every replica's rows). */
  async function reconcile(): Promise<void> {
    const keys = [...usedWhileDown];
    usedWhileDown.clear();
    local = createMemorySpendGuard({ seed });
    try {
      await options.ledger?.flush?.();
      const now = Date.now();
      for (const keyId of keys) await seedKey(keyId, now, 'reconcile');
      if (keys.length > 0)
        log(`reconciled the spend of ${keys.length} keys from the ledger after the Redis outage`);
    } catch (error) {
      log(
        `reconciling spend after the Redis outage failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  function fallback(request: ReservationRequest): Promise<ReservationResult> {
    fallbacks += 1;
    usedWhileDown.add(request.keyId);
    const limits = request.limits;
    const budgeted =
      limits.dailyBudgetUsd !== undefined ||
      limits.monthlyBudgetUsd !== undefined ||
      limits.totalBudgetUsd !== undefined;
    if (options.whenDown === 'closed' && budgeted) {
      return Promise.resolve({
        ok: false,
        reason: 'unavailable',
        message:
          'Spend tracking is unavailable (the shared state store is unreachable) and this key has a budget: refused (shared_state.budgets_when_down: fail_closed).',
        retryAfterMs: 5000,
      });
    }
    return local.reserve(request);
  }

  async function reserveShared(request: ReservationRequest): Promise<ReservationResult> {
    const { limits, now } = request;
    const keys = keysOf(request.keyId, now);
    const estimateNano = usdToNano(request.estimatedCostUsd);
    const id = randomUUID();
    const limit = (usd: number | undefined): number => (usd === undefined ? -1 : usdToNano(usd));
    const { day, month } = ttls(now);
    const args = [
      ...keys,
      now,
      estimateNano,
      request.estimatedTokens,
      limit(limits.dailyBudgetUsd),
      limit(limits.monthlyBudgetUsd),
      limit(limits.totalBudgetUsd),
      limits.requestsPerMinute ?? -1,
      limits.tokensPerMinute ?? -1,
      id,
      now + reservationTtlMs,
      day,
      month,
      0,
      0,
      MINUTE_MS,
    ];
    let answer = await redis.spendReserve(...args);
    for (let tries = 0; answer[0] === 'seed' && tries < 3; tries += 1) {
      await seedKey(request.keyId, now, 'seed');
      answer = await redis.spendReserve(...args);
    }
    const [status, first, second, third] = answer;
    if (status === 'ok')
      return {
        ok: true,
        reservation: sharedReservation(
          request.keyId,
          keys,
          id,
          estimateNano,
          request.estimatedTokens,
        ),
      };
    if (status === 'budget') {
      const name = first as keyof typeof BUDGET_LIMITS;
      const budget = limits[BUDGET_LIMITS[name]] ?? 0;
      const reserved = Number(third);
      const inFlight =
        reserved > 0
          ? ` and ${formatUsd(nanoToUsd(reserved))} reserved for requests in flight`
          : '';
      const ends = windowEnds(now);
      const retryAfterMs =
        name === 'daily'
          ? ends.day - now
          : name === 'monthly'
            ? monthStart(monthWindow(now) + 1) - now
            : undefined;
      return {
        ok: false,
        reason: 'budget_exceeded',
        message: `${name} budget of ${formatUsd(budget)} exceeded: ${formatUsd(nanoToUsd(Number(second)))} spent${inFlight}; this request may cost up to ${formatUsd(request.estimatedCostUsd)}`,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    }
    if (status === 'rate') {
      const retryAfterMs = Number(third);
      if (first === 'requests')
        return {
          ok: false,
          reason: 'rate_limited',
          message: `rate limit of ${limits.requestsPerMinute} requests per minute reached`,
          retryAfterMs,
        };
      if (first === 'too_big')
        return {
          ok: false,
          reason: 'rate_limited',
          message: `this request needs about ${request.estimatedTokens} tokens, more than the key's limit of ${limits.tokensPerMinute} tokens per minute`,
        };
      return {
        ok: false,
        reason: 'rate_limited',
        message: `rate limit of ${limits.tokensPerMinute} tokens per minute reached (${second} used in the last minute, this request needs about ${request.estimatedTokens})`,
        retryAfterMs,
      };
    }
    throw new Error(`unexpected spend script answer ${JSON.stringify(answer)}`);
  }

  /** Its `settle` resolves once Redis applied it (callers need not wait). */
  function sharedReservation(
    keyId: string,
    keys: string[],
    id: string,
    estimateNano: number,
    estimatedTokens: number,
  ): { settle(actualCostUsd: number, actualTokens: number): Promise<void> } {
    let settled = false;
    return {
      async settle(actualCostUsd, actualTokens) {
        if (settled) return;
        settled = true;
        const actualNano =
          Number.isFinite(actualCostUsd) && actualCostUsd >= 0
            ? usdToNano(actualCostUsd)
            : estimateNano;
        const tokens =
          Number.isFinite(actualTokens) && actualTokens >= 0
            ? Math.round(actualTokens)
            : estimatedTokens;
        // Lost when Redis is down: the reservation expires, the ledger reconciles the spend.
        return redis
          .spendSettle(
            ...keys,
            Date.now(),
            id,
            estimateNano,
            actualNano,
            estimatedTokens,
            tokens,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            MINUTE_MS,
          )
          .then(
            () => {},
            (error: unknown) => {
              usedWhileDown.add(keyId);
              if (state.up)
                log(
                  `settling a reservation failed (the ledger reconciles it): ${error instanceof Error ? error.message : String(error)}`,
                );
            },
          );
      },
    };
  }

  return {
    get fallbacks() {
      return fallbacks;
    },
    async reserve(request) {
      if (
        !Number.isFinite(request.estimatedCostUsd) ||
        request.estimatedCostUsd < 0 ||
        !Number.isFinite(request.estimatedTokens) ||
        request.estimatedTokens < 0 ||
        !Number.isFinite(request.now)
      ) {
        return local.reserve(request); // the local guard rejects it with the reason
      }
      if (!state.up) return fallback(request);
      try {
        return await reserveShared({
          ...request,
          estimatedTokens: Math.round(request.estimatedTokens),
        });
      } catch (error) {
        if (state.up)
          log(
            `shared reservation failed, enforcing on this replica: ${error instanceof Error ? error.message : String(error)}`,
          );
        return fallback(request);
      }
    },
    async usage(keyId, now) {
      if (!state.up) return local.usage(keyId, now);
      try {
        const [total, month, day, , rate, rateTokens] = keysOf(keyId, now);
        const [totalSpent, monthSpent, daySpent, requests, tokens] = await Promise.all([
          state.redis.hget(total!, 'spent'),
          state.redis.hget(month!, 'spent'),
          state.redis.hget(day!, 'spent'),
          state.redis.zcount(rate!, now - MINUTE_MS, '+inf'),
          state.redis.get(rateTokens!),
        ]);
        return {
          dailyUsd: nanoToUsd(Number(daySpent ?? 0)),
          monthlyUsd: nanoToUsd(Number(monthSpent ?? 0)),
          totalUsd: nanoToUsd(Number(totalSpent ?? 0)),
          requestsThisMinute: requests,
          tokensThisMinute: Number(tokens ?? 0),
        };
      } catch {
        return local.usage(keyId, now);
      }
    },
  };
}
