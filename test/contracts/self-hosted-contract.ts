import { expect } from 'vitest';
import type { Ledger, SelfHostedPrice } from '../../src/usage/ledger/ledger.js';
import { FIXTURE_EPOCH, makeEntry } from '../../src/usage/ledger/ledger-fixtures.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const BOX: SelfHostedPrice = { provider: 'box', model: 'coder', hourlyUsd: 2 };

/**
 * A self-hosted box in the savings: each hour it served costs its hourly price, shared among the
 * hour's requests on it by tokens; shares of requests with a reference cost come off the routing
 * saving. Hour H: r0 (100 tokens), r1 (300), r2 (100, key b) on the box with a reference cost, an
 * API request and a cache hit of the box's answer (not a use of the box); hour H+1: r3 (50 tokens,
 * no reference cost).
 */
export async function checkSelfHostedCharge(ledger: Ledger): Promise<void> {
  const H = FIXTURE_EPOCH;
  const box = { provider: 'box', model: 'coder', costUsd: 0, referenceCostUsd: 0.01 };
  const entries = [
    { ...box, requestId: 'r0', startedAt: H + 5 * MINUTE, apiKeyId: 'a', tokens: [40, 60] },
    { ...box, requestId: 'r1', startedAt: H + 40 * MINUTE, apiKeyId: 'a', tokens: [100, 200] },
    { ...box, requestId: 'r2', startedAt: H + 50 * MINUTE, apiKeyId: 'b', tokens: [50, 50] },
    {
      ...box,
      requestId: 'r3',
      startedAt: H + 70 * MINUTE,
      apiKeyId: 'a',
      referenceCostUsd: null,
      tokens: [20, 30],
    },
    {
      requestId: 'api',
      startedAt: H + 10 * MINUTE,
      apiKeyId: 'a',
      provider: 'api',
      model: 'coder',
      costUsd: 0.002,
      referenceCostUsd: 0.01,
      tokens: [100, 100],
    },
    {
      ...box,
      requestId: 'hit',
      startedAt: H + 20 * MINUTE,
      apiKeyId: 'a',
      cacheStatus: 'hit' as const,
      referenceCostUsd: null,
      tokens: [500, 500],
    },
  ];
  for (const { tokens, ...request } of entries)
    ledger.record(
      makeEntry({ ...request, usage: { inputTokens: tokens[0]!, outputTokens: tokens[1]! } }),
    );
  await ledger.flush();

  const window = { from: H, to: H + 2 * HOUR, selfHosted: [BOX], now: H + 3 * HOUR };
  for (const useRollup of [true, false]) {
    // Without the box's price: its requests are wholly "saved".
    const unpriced = await ledger.report({ from: H, to: H + 2 * HOUR, groupBy: [], useRollup });
    expect(unpriced.totals.selfHostedUsd).toBe(0);
    expect(unpriced.totals.savedByRoutingUsd).toBeCloseTo(0.038, 9);
    const report = await ledger.report({ ...window, groupBy: [], useRollup });
    // Two hours at $2; r0, r1, r2 carry a reference cost: 2 × 500/500 of hour H.
    expect(report.totals.selfHostedUsd).toBeCloseTo(4, 9);
    expect(report.totals.savedByRoutingUsd).toBeCloseTo(0.038 - 2, 9);
    expect(report.totals.costUsd).toBeCloseTo(0.002, 9);
  }
  const byKey = await ledger.report({ ...window, groupBy: ['key'] });
  expect(
    byKey.rows.map((row) => [
      row.group.key,
      round(row.selfHostedUsd),
      round(row.savedByRoutingUsd),
    ]),
  ).toEqual([
    // a: r0 0.4 + r1 1.2 + r3 2.0; saved 0.01 + 0.01 + 0.008 − (0.4 + 1.2)
    ['a', 3.6, round(0.028 - 1.6)],
    // b: r2 0.4; saved 0.01 − 0.4
    ['b', 0.4, round(0.01 - 0.4)],
  ]);
  const byModel = await ledger.report({ ...window, groupBy: ['provider', 'day'] });
  expect(byModel.rows.map((row) => [row.group.provider, row.group.day, row.selfHostedUsd])).toEqual(
    [
      ['api', '2026-03-01', 0],
      ['box', '2026-03-01', 4],
    ],
  );

  // A window starting inside hour H: r0 is outside but still divides the hour's cost.
  const late = await ledger.report({ ...window, from: H + 30 * MINUTE, groupBy: [] });
  expect(late.totals.selfHostedUsd).toBeCloseTo(1.2 + 0.4 + 2, 9);
  // The running hour costs its elapsed part: half of hour H+1 at now = H + 90 min.
  const running = await ledger.report({
    ...window,
    to: H + 90 * MINUTE,
    now: H + 90 * MINUTE,
    groupBy: [],
  });
  expect(running.totals.selfHostedUsd).toBeCloseTo(2 + 1, 9);

  // The time series charges the same amounts, slot by slot, at any slot length.
  for (const slotMs of [15 * MINUTE, HOUR]) {
    const slots = await ledger.timeSeries({ ...window, slotMs });
    const sum = (pick: (slot: (typeof slots)[number]) => number) =>
      slots.reduce((total, slot) => total + pick(slot), 0);
    expect(sum((slot) => slot.selfHostedUsd)).toBeCloseTo(4, 9);
    expect(sum((slot) => slot.savedByRoutingUsd)).toBeCloseTo(0.038 - 2, 9);
  }
  const hourly = await ledger.timeSeries({ ...window, slotMs: HOUR });
  expect(hourly.map((slot) => [slot.start - H, slot.selfHostedUsd])).toEqual([
    [0, 2],
    [HOUR, 2],
  ]);
}

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
