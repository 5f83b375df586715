import type { GroupDimension } from '../ledger/ledger.js';

const DAY_MS = 86_400_000;
const RELATIVE = /^(\d+)\s*(m|h|d|w)$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000 };
const DIMENSIONS: readonly GroupDimension[] = ['model', 'provider', 'key', 'day'];

/**
 * Parses a report bound (all calendar arithmetic in UTC):
 *   `2026-03-01`             that day's midnight
 *   `2026-03-01T10:00:00Z`   that instant (any form `Date` parses, with a zone)
 *   `now`, `today`           this instant; today's midnight
 *   `90m`, `12h`             that long ago
 *   `7d`, `2w`               midnight at the start of the last 7 (14) calendar days, today included
 * Whole days keep reports on the daily rollup; only the current partial day is scanned.
 */
export function parseTimeBound(text: string, now: number): number {
  const value = text.trim().toLowerCase();
  const todayStart = Math.floor(now / DAY_MS) * DAY_MS;
  if (value === 'now') return now;
  if (value === 'today') return todayStart;
  const relative = RELATIVE.exec(value);
  if (relative !== null) {
    const amount = Number(relative[1]);
    const unit = relative[2] ?? 'd';
    if (unit === 'd' || unit === 'w')
      return todayStart - (amount * (unit === 'w' ? 7 : 1) - 1) * DAY_MS;
    return now - amount * (UNIT_MS[unit] ?? 0);
  }
  if (DATE_ONLY.test(value)) {
    const time = Date.parse(`${value}T00:00:00Z`);
    if (Number.isFinite(time)) return time;
  } else if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(text.trim())) {
    const time = Date.parse(text.trim());
    if (Number.isFinite(time)) return time;
  }
  throw new RangeError(
    `invalid time ${JSON.stringify(text)}: use YYYY-MM-DD, an ISO time with a zone, now, today, or 90m / 12h / 7d / 2w`,
  );
}

/** `model,day` or `['model', 'day']` → dimensions, checked. */
export function parseGroupBy(value: string | readonly string[]): GroupDimension[] {
  const names = (typeof value === 'string' ? value.split(',') : value)
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const dimensions: GroupDimension[] = [];
  for (const name of names) {
    const dimension = DIMENSIONS.find((candidate) => candidate === name);
    if (dimension === undefined)
      throw new RangeError(`invalid group ${JSON.stringify(name)}: use ${DIMENSIONS.join(', ')}`);
    if (!dimensions.includes(dimension)) dimensions.push(dimension);
  }
  return dimensions;
}
