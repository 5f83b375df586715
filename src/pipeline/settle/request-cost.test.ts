import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../request-record.js';
import { formatCost } from './request-cost.js';

const record = (costUsd: number | undefined): RequestRecord => ({
  requestId: 'r',
  method: 'POST',
  path: '/v1/chat/completions',
  startedAt: 0,
  startedAtWall: 0,
  status: 200,
  stream: false,
  ...(costUsd === undefined ? {} : { costUsd }),
});

describe('formatCost', () => {
  it('writes USD with up to 8 decimals and no trailing zeros', () => {
    expect(formatCost(record(undefined))).toBe('unknown');
    expect(formatCost(record(0))).toBe('0');
    expect(formatCost(record(0.00001665))).toBe('0.00001665');
    expect(formatCost(record(0.5))).toBe('0.5');
    expect(formatCost(record(12))).toBe('12');
    expect(formatCost(record(10.1))).toBe('10.1');
    expect(formatCost(record(0.000000004))).toBe('0');
    expect(formatCost(record(1234.123456789))).toBe('1234.12345679');
  });
});
