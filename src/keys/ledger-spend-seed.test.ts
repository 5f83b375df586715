import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger, ReportQuery } from '../usage/ledger/ledger.js';
import { makeEntry } from '../usage/ledger/ledger-fixtures.js';
import { openSqliteLedger } from '../usage/ledger/sqlite-ledger.js';
import { createMemorySpendGuard } from './memory-spend-guard.js';

const NOW = Date.UTC(2026, 2, 15, 12);
const HOUR = 3_600_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function ledgerWithHistory(): Promise<{ ledger: Ledger; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-keys-seed-'));
  const ledger = await openSqliteLedger({ dataDir, flushIntervalMs: 10 });
  cleanups.push(
    () => rmSync(dataDir, { recursive: true, force: true }),
    () => ledger.close(),
  );
  const entries = [
    makeEntry({ requestId: 'today', startedAt: NOW - 2 * HOUR, apiKeyId: 'key_a', costUsd: 0.3 }),
    makeEntry({ requestId: 'today-2', startedAt: NOW - HOUR, apiKeyId: 'key_a', costUsd: 0.05 }),
    makeEntry({
      requestId: 'this-month',
      startedAt: Date.UTC(2026, 2, 2, 8),
      apiKeyId: 'key_a',
      costUsd: 0.5,
    }),
    makeEntry({
      requestId: 'last-month',
      startedAt: Date.UTC(2026, 1, 20),
      apiKeyId: 'key_a',
      costUsd: 1,
    }),
    makeEntry({ requestId: 'other-key', startedAt: NOW - HOUR, apiKeyId: 'key_b', costUsd: 7 }),
    makeEntry({ requestId: 'no-key', startedAt: NOW - HOUR, costUsd: 3 }),
  ];
  for (const entry of entries) ledger.record(entry);
  await ledger.flush();
  return { ledger, dataDir };
}

describe('SpendGuard seeded from the ledger', () => {
  it('starts each key from what the ledger recorded for it today, this month and ever', async () => {
    const { ledger } = await ledgerWithHistory();
    const guard = createMemorySpendGuard({ ledger });
    expect(await guard.usage('key_a', NOW)).toEqual({
      dailyUsd: 0.35,
      monthlyUsd: 0.85,
      totalUsd: 1.85,
      requestsThisMinute: 0,
      tokensThisMinute: 0,
    });
    expect(await guard.usage('key_b', NOW)).toMatchObject({
      dailyUsd: 7,
      monthlyUsd: 7,
      totalUsd: 7,
    });
    expect(await guard.usage('key_new', NOW)).toMatchObject({
      dailyUsd: 0,
      monthlyUsd: 0,
      totalUsd: 0,
    });
    const limits = { dailyBudgetUsd: 0.5 };
    const refused = await guard.reserve({
      keyId: 'key_a',
      limits,
      estimatedCostUsd: 0.2,
      estimatedTokens: 10,
      now: NOW,
    });
    expect(refused.ok === false && refused.message).toBe(
      'daily budget of $0.50 exceeded: $0.35 spent; this request may cost up to $0.20',
    );
    expect(
      (
        await guard.reserve({
          keyId: 'key_a',
          limits,
          estimatedCostUsd: 0.15,
          estimatedTokens: 10,
          now: NOW,
        })
      ).ok,
    ).toBe(true);
  });

  it('loads once for keys whose first uses arrive together, and not again afterwards', async () => {
    const { ledger } = await ledgerWithHistory();
    const queries: ReportQuery[] = [];
    const counting = {
      report: (query: ReportQuery) => {
        queries.push(query);
        return ledger.report(query);
      },
    };
    const guard = createMemorySpendGuard({ ledger: counting });
    const keys = ['key_a', 'key_b', 'key_c', 'key_a', 'key_b'];
    const results = await Promise.all(
      keys.map((keyId) =>
        guard.reserve({
          keyId,
          limits: { totalBudgetUsd: 5 },
          estimatedCostUsd: 0.1,
          estimatedTokens: 1,
          now: NOW,
        }),
      ),
    );
    expect(results.map((result) => result.ok)).toEqual([true, false, true, true, false]);
    expect(queries).toHaveLength(3);
    await guard.reserve({
      keyId: 'key_a',
      limits: {},
      estimatedCostUsd: 0.1,
      estimatedTokens: 1,
      now: NOW,
    });
    expect(queries).toHaveLength(3);
  });

  it("survives a restart: spend settled before it is the next process's baseline", async () => {
    const { ledger, dataDir } = await ledgerWithHistory();
    const before = createMemorySpendGuard({ ledger });
    const reserved = await before.reserve({
      keyId: 'key_c',
      limits: { dailyBudgetUsd: 1 },
      estimatedCostUsd: 0.5,
      estimatedTokens: 10,
      now: NOW,
    });
    if (!reserved.ok) throw new Error(reserved.message);
    reserved.reservation.settle(0.6, 10);
    ledger.record(
      makeEntry({ requestId: 'settled', startedAt: NOW, apiKeyId: 'key_c', costUsd: 0.6 }),
    );
    await ledger.close();

    const reopened = await openSqliteLedger({ dataDir });
    cleanups.push(() => reopened.close());
    const after = createMemorySpendGuard({ ledger: reopened });
    expect(await after.usage('key_c', NOW + 1000)).toMatchObject({
      dailyUsd: 0.6,
      monthlyUsd: 0.6,
      totalUsd: 0.6,
    });
    const refused = await after.reserve({
      keyId: 'key_c',
      limits: { dailyBudgetUsd: 1 },
      estimatedCostUsd: 0.5,
      estimatedTokens: 10,
      now: NOW + 1000,
    });
    expect(refused.ok).toBe(false);
  });

  it('a ledger failure fails the first use; the next use loads again', async () => {
    let fail = true;
    const { ledger } = await ledgerWithHistory();
    const flaky = {
      report: (query: ReportQuery) =>
        fail ? Promise.reject(new Error('database is locked')) : ledger.report(query),
    };
    const guard = createMemorySpendGuard({ ledger: flaky });
    await expect(guard.usage('key_a', NOW)).rejects.toThrow(/database is locked/);
    fail = false;
    expect((await guard.usage('key_a', NOW)).totalUsd).toBe(1.85);
  });
});
