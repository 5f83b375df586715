import type { Ledger } from '../usage/ledger/ledger.js';
import { DAY_MS, dayWindow, monthStart, monthWindow } from './spend-windows.js';

/** What a key had spent before this process started, per window containing `at`. */
export interface SpentBaseline {
  dailyUsd: number;
  monthlyUsd: number;
  totalUsd: number;
  /** Epoch ms the daily and monthly figures refer to (default: the `now` the seed was asked for). */
  at?: number;
}

/** Where the guard gets a key's baseline on the key's first use. */
export type SpendSeed = (keyId: string, now: number) => SpentBaseline | Promise<SpentBaseline>;

/** Far enough ahead to include every recorded request (clock skew included). */
const END_OF_TIME = Date.UTC(3000, 0, 1);

/**
 * Baselines from the usage ledger (`api_key_id` = the key id): spend in the UTC day, the UTC month
 * and all time, by key. The reports are grouped by key, so one set of three queries answers every
 * key whose first use arrives in the same turn of the event loop (a restart under load seeds all
 * busy keys at once). A failed query rejects the keys waiting for it; the next use retries.
 */
export function createLedgerSpendSeed(ledger: Pick<Ledger, 'report'>): SpendSeed {
  let batch: Promise<{ at: number; byKey: Map<string, SpentBaseline> }> | undefined;
  return async (keyId, now) => {
    if (batch === undefined) {
      const current = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        if (batch === current) batch = undefined; // later first uses start a new batch
        return loadBaselines(ledger, now);
      });
      batch = current;
    }
    const { at, byKey } = await batch;
    return byKey.get(keyId) ?? { dailyUsd: 0, monthlyUsd: 0, totalUsd: 0, at };
  };
}

async function loadBaselines(
  ledger: Pick<Ledger, 'report'>,
  at: number,
): Promise<{ at: number; byKey: Map<string, SpentBaseline> }> {
  const dayStart = dayWindow(at) * DAY_MS;
  const month = monthWindow(at);
  const [daily, monthly, total] = await Promise.all([
    ledger.report({ from: dayStart, to: dayStart + DAY_MS, groupBy: ['key'] }),
    ledger.report({ from: monthStart(month), to: monthStart(month + 1), groupBy: ['key'] }),
    ledger.report({ from: 0, to: END_OF_TIME, groupBy: ['key'] }),
  ]);
  const byKey = new Map<string, SpentBaseline>();
  const entry = (keyId: string): SpentBaseline => {
    let baseline = byKey.get(keyId);
    if (baseline === undefined) {
      baseline = { dailyUsd: 0, monthlyUsd: 0, totalUsd: 0, at };
      byKey.set(keyId, baseline);
    }
    return baseline;
  };
  for (const row of daily.rows) if (row.group.key) entry(row.group.key).dailyUsd = row.costUsd;
  for (const row of monthly.rows) if (row.group.key) entry(row.group.key).monthlyUsd = row.costUsd;
  for (const row of total.rows) if (row.group.key) entry(row.group.key).totalUsd = row.costUsd;
  return { at, byKey };
}
