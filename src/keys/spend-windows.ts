/** UTC windows of the spend guard, identified by an integer that only grows with time. */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export function minuteWindow(now: number): number {
  return Math.floor(now / MINUTE_MS);
}

export function dayWindow(now: number): number {
  return Math.floor(now / DAY_MS);
}

/** Months since January 1970 (UTC calendar months). */
export function monthWindow(now: number): number {
  const date = new Date(now);
  return date.getUTCFullYear() * 12 + date.getUTCMonth() - 1970 * 12;
}

export function monthStart(month: number): number {
  return Date.UTC(1970 + Math.floor(month / 12), month % 12, 1);
}

/** Epoch ms where each window containing `now` ends (exclusive). */
export function windowEnds(now: number): { minute: number; day: number; month: number } {
  return {
    minute: (minuteWindow(now) + 1) * MINUTE_MS,
    day: (dayWindow(now) + 1) * DAY_MS,
    month: monthStart(monthWindow(now) + 1),
  };
}

/** `$0.995`, `$1.00`, `$0.000123`: at least cents, at most six decimals, no trailing zeros beyond cents. */
export function formatUsd(usd: number): string {
  const fixed = usd.toFixed(6).replace(/0+$/, '');
  const [whole = '0', decimals = ''] = fixed.split('.');
  return `$${whole}.${decimals.padEnd(2, '0')}`;
}
