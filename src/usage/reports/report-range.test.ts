import { describe, expect, it } from 'vitest';
import { parseGroupBy, parseTimeBound } from './report-range.js';

const NOW = Date.UTC(2026, 2, 10, 15, 30); // 2026-03-10 15:30 UTC

describe('parseTimeBound', () => {
  it('reads dates, instants, now/today and relative spans in UTC', () => {
    expect(parseTimeBound('2026-03-01', NOW)).toBe(Date.UTC(2026, 2, 1));
    expect(parseTimeBound('2026-03-01T10:00:00Z', NOW)).toBe(Date.UTC(2026, 2, 1, 10));
    expect(parseTimeBound('2026-03-01T10:00:00+02:00', NOW)).toBe(Date.UTC(2026, 2, 1, 8));
    expect(parseTimeBound('now', NOW)).toBe(NOW);
    expect(parseTimeBound('today', NOW)).toBe(Date.UTC(2026, 2, 10));
    expect(parseTimeBound('90m', NOW)).toBe(NOW - 90 * 60_000);
    expect(parseTimeBound('12h', NOW)).toBe(NOW - 12 * 3_600_000);
    expect(parseTimeBound('1d', NOW)).toBe(Date.UTC(2026, 2, 10));
    expect(parseTimeBound('7d', NOW)).toBe(Date.UTC(2026, 2, 4));
    expect(parseTimeBound('2w', NOW)).toBe(Date.UTC(2026, 1, 25));
  });

  it('rejects what it cannot read, including times without a zone', () => {
    for (const text of ['yesterday', '2026-13-45', '2026-03-01T10:00', '-7d', '']) {
      expect(() => parseTimeBound(text, NOW), text).toThrow(RangeError);
    }
  });
});

describe('parseGroupBy', () => {
  it('splits, trims, dedupes and checks dimensions', () => {
    expect(parseGroupBy('model, day,model')).toEqual(['model', 'day']);
    expect(parseGroupBy(['key', 'provider'])).toEqual(['key', 'provider']);
    expect(parseGroupBy('')).toEqual([]);
    expect(() => parseGroupBy('model,region')).toThrow(/invalid group "region"/);
  });
});
