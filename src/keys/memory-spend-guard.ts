import type { Ledger } from '../usage/ledger/ledger.js';
import { nanoToUsd, usdToNano } from './key-input.js';
import type {
  KeyLimits,
  Reservation,
  ReservationRequest,
  ReservationResult,
  SpendGuard,
} from './key-types.js';
import { createLedgerSpendSeed, type SpendSeed, type SpentBaseline } from './ledger-spend-seed.js';
import { dayWindow, formatUsd, minuteWindow, monthWindow, windowEnds } from './spend-windows.js';

export type MemorySpendGuardOptions =
  /** Baselines from a function (tests, custom stores); without one every key starts at zero. */
  | { seed?: SpendSeed }
  /** Baselines from the usage ledger, which must record `apiKeyId` = the key id. */
  | { ledger: Pick<Ledger, 'report'> };

/** Money in integer nano-USD so sums are exact; `id` is the window (day or month number) it counts. */
interface CostWindow {
  id: number;
  spentNano: number;
  reservedNano: number;
}

interface RateWindow {
  id: number;
  requests: number;
  tokens: number;
}

interface KeyState {
  day: CostWindow;
  month: CostWindow;
  /** Never rolls over; its id stays 0. */
  total: CostWindow;
  /** Dropped when idle (bounded memory): an absent window counts as empty. */
  minute?: RateWindow;
}

type BudgetName = 'daily' | 'monthly' | 'total';
const BUDGETS: readonly {
  name: BudgetName;
  limit: keyof KeyLimits;
  window: 'day' | 'month' | 'total';
}[] = [
  { name: 'total', limit: 'totalBudgetUsd', window: 'total' },
  { name: 'monthly', limit: 'monthlyBudgetUsd', window: 'month' },
  { name: 'daily', limit: 'dailyBudgetUsd', window: 'day' },
];

/**
 * The in-process SpendGuard of one replica. Every check and the reservation that follows it run
 * in one synchronous step (no await in between), so concurrent requests are admitted one at a
 * time against spent + reserved. A key's first use awaits its baseline (spend recorded before
 * this process started); concurrent first uses share that one load.
 */
export function createMemorySpendGuard(options: MemorySpendGuardOptions = {}): SpendGuard {
  const seed: SpendSeed | undefined =
    'ledger' in options ? createLedgerSpendSeed(options.ledger) : options.seed;
  const states = new Map<string, KeyState>();
  const seeding = new Map<string, Promise<KeyState>>();
  let sweptMinute = 0;

  function stateFor(keyId: string, now: number): KeyState | Promise<KeyState> {
    const state = states.get(keyId);
    if (state !== undefined) return state;
    let pending = seeding.get(keyId);
    if (pending === undefined) {
      // Asynchronous from the first step, so the map entry exists before the load can settle (or throw).
      pending = Promise.resolve()
        .then(() =>
          seed === undefined ? { dailyUsd: 0, monthlyUsd: 0, totalUsd: 0 } : seed(keyId, now),
        )
        .then((baseline) => {
          const seeded = initialState(baseline, now);
          states.set(keyId, seeded);
          return seeded;
        })
        .finally(() => seeding.delete(keyId));
      seeding.set(keyId, pending);
    }
    return pending;
  }

  /** Drops minute windows of keys idle since an earlier minute; runs at most once per minute. */
  function sweep(minute: number): void {
    if (minute <= sweptMinute) return;
    sweptMinute = minute;
    for (const state of states.values())
      if (state.minute !== undefined && state.minute.id < minute) delete state.minute;
  }

  function admit(state: KeyState, request: ReservationRequest): ReservationResult {
    const { limits, now } = request;
    const estimateNano = usdToNano(request.estimatedCostUsd);
    const minute = minuteWindow(now);
    sweep(minute);
    roll(state.day, dayWindow(now));
    roll(state.month, monthWindow(now));
    if (state.minute === undefined || state.minute.id < minute)
      state.minute = { id: minute, requests: 0, tokens: 0 };
    const rate = state.minute;
    const ends = windowEnds(now);

    for (const budget of BUDGETS) {
      const limit = limits[budget.limit];
      if (limit === undefined) continue;
      const window = state[budget.window];
      const limitNano = usdToNano(limit);
      const committed = window.spentNano + window.reservedNano;
      if (committed >= limitNano || committed + estimateNano > limitNano) {
        const inFlight =
          window.reservedNano > 0
            ? ` and ${formatUsd(nanoToUsd(window.reservedNano))} reserved for requests in flight`
            : '';
        const retryAfterMs =
          budget.window === 'day'
            ? ends.day - now
            : budget.window === 'month'
              ? ends.month - now
              : undefined;
        return {
          ok: false,
          reason: 'budget_exceeded',
          message: `${budget.name} budget of ${formatUsd(limit)} exceeded: ${formatUsd(nanoToUsd(window.spentNano))} spent${inFlight}; this request may cost up to ${formatUsd(request.estimatedCostUsd)}`,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        };
      }
    }
    const retryAfterMs = ends.minute - now;
    if (
      !request.extension &&
      limits.requestsPerMinute !== undefined &&
      rate.requests + 1 > limits.requestsPerMinute
    ) {
      return {
        ok: false,
        reason: 'rate_limited',
        message: `rate limit of ${limits.requestsPerMinute} requests per minute reached`,
        retryAfterMs,
      };
    }
    if (limits.tokensPerMinute !== undefined) {
      if (request.estimatedTokens > limits.tokensPerMinute) {
        return {
          ok: false,
          reason: 'rate_limited',
          message: `this request needs about ${request.estimatedTokens} tokens, more than the key's limit of ${limits.tokensPerMinute} tokens per minute`,
        };
      }
      if (rate.tokens + request.estimatedTokens > limits.tokensPerMinute) {
        return {
          ok: false,
          reason: 'rate_limited',
          message: `rate limit of ${limits.tokensPerMinute} tokens per minute reached (${rate.tokens} used this minute, this request needs about ${request.estimatedTokens})`,
          retryAfterMs,
        };
      }
    }

    if (!request.extension) rate.requests += 1;
    rate.tokens += request.estimatedTokens;
    for (const window of [state.day, state.month, state.total]) window.reservedNano += estimateNano;
    return {
      ok: true,
      reservation: reservationFor(state, {
        day: state.day.id,
        month: state.month.id,
        minute,
        estimateNano,
        estimatedTokens: request.estimatedTokens,
      }),
    };
  }

  return {
    reserve(request) {
      const invalid = invalidRequest(request);
      if (invalid !== undefined) return Promise.reject(new RangeError(`spend guard: ${invalid}`));
      const state = stateFor(request.keyId, request.now);
      // Seeded keys are admitted synchronously, in call order; first uses after their baseline loads.
      if (!(state instanceof Promise)) return Promise.resolve(admit(state, request));
      return state.then((loaded) => admit(loaded, request));
    },
    async usage(keyId, now) {
      const state = await stateFor(keyId, now);
      const minute = minuteWindow(now);
      const rate =
        state.minute !== undefined && state.minute.id === minute ? state.minute : undefined;
      return {
        dailyUsd: state.day.id === dayWindow(now) ? nanoToUsd(state.day.spentNano) : 0,
        monthlyUsd: state.month.id === monthWindow(now) ? nanoToUsd(state.month.spentNano) : 0,
        totalUsd: nanoToUsd(state.total.spentNano),
        requestsThisMinute: rate?.requests ?? 0,
        tokensThisMinute: rate?.tokens ?? 0,
      };
    },
  };
}

interface ReservedAmounts {
  day: number;
  month: number;
  minute: number;
  estimateNano: number;
  estimatedTokens: number;
}

/**
 * Settling moves the estimate from reserved to spent as the actual amount, in the windows still
 * current; a window that rolled over meanwhile already dropped the reservation, and the cost
 * belongs to the old window (the ledger dates a request by its start).
 */
function reservationFor(state: KeyState, reserved: ReservedAmounts): Reservation {
  let settled = false;
  return {
    settle(actualCostUsd, actualTokens) {
      if (settled) return;
      settled = true;
      // A cost that is not a usable number is counted as the estimate rather than as free.
      const actualNano =
        Number.isFinite(actualCostUsd) && actualCostUsd >= 0
          ? usdToNano(actualCostUsd)
          : reserved.estimateNano;
      const tokens =
        Number.isFinite(actualTokens) && actualTokens >= 0
          ? actualTokens
          : reserved.estimatedTokens;
      const windows: [CostWindow, number][] = [
        [state.day, reserved.day],
        [state.month, reserved.month],
        [state.total, 0],
      ];
      for (const [window, id] of windows) {
        if (window.id !== id) continue;
        window.reservedNano = Math.max(0, window.reservedNano - reserved.estimateNano);
        window.spentNano += actualNano;
      }
      if (state.minute !== undefined && state.minute.id === reserved.minute) {
        state.minute.tokens = Math.max(0, state.minute.tokens + tokens - reserved.estimatedTokens);
      }
    },
  };
}

function initialState(baseline: SpentBaseline, now: number): KeyState {
  const at = baseline.at ?? now;
  return {
    day: { id: dayWindow(at), spentNano: nonNegativeNano(baseline.dailyUsd), reservedNano: 0 },
    month: {
      id: monthWindow(at),
      spentNano: nonNegativeNano(baseline.monthlyUsd),
      reservedNano: 0,
    },
    total: { id: 0, spentNano: nonNegativeNano(baseline.totalUsd), reservedNano: 0 },
  };
}

/** Moves a window forward to `id` (a new, empty window). Never backwards: a late `now` counts in the current window. */
function roll(window: CostWindow, id: number): void {
  if (id <= window.id) return;
  window.id = id;
  window.spentNano = 0;
  window.reservedNano = 0;
}

function nonNegativeNano(usd: number): number {
  return Number.isFinite(usd) && usd > 0 ? usdToNano(usd) : 0;
}

function invalidRequest(request: ReservationRequest): string | undefined {
  if (!Number.isFinite(request.estimatedCostUsd) || request.estimatedCostUsd < 0)
    return `estimatedCostUsd must be a non-negative number (got ${request.estimatedCostUsd})`;
  if (!Number.isFinite(request.estimatedTokens) || request.estimatedTokens < 0)
    return `estimatedTokens must be a non-negative number (got ${request.estimatedTokens})`;
  if (!Number.isFinite(request.now)) return 'now must be a valid time';
  return undefined;
}
