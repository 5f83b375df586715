import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createQueuedLedger, type LedgerStore } from './create-queued-ledger.js';
import { FIXTURE_EPOCH, makeEntry } from './ledger-fixtures.js';
import type { EntryRows } from './ledger-rows.js';
import { registerLedgerMetrics } from './ledger-metrics.js';

/** A store whose first `failures` batch writes fail; the others take `writeMs`. */
function flakyStore(failures: number, writeMs: number): LedgerStore<EntryRows> {
  let failed = 0;
  return {
    kind: 'sqlite',
    queue: (rows) => rows,
    async writeBatch() {
      if (failed < failures) {
        failed += 1;
        throw new Error('database unreachable');
      }
      await new Promise((resolve) => setTimeout(resolve, writeMs));
    },
    select: async () => [],
    report: () => Promise.reject(new Error('not used')),
    close: async () => undefined,
  };
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(' ').at(-1));
}

describe('registerLedgerMetrics', () => {
  it('shows queue depth, flushes and their latency, failed batches and written entries', async () => {
    const ledger = createQueuedLedger(flakyStore(2, 30), {
      flushIntervalMs: 60_000,
      retryBaseMs: 1,
      retryMaxMs: 2,
      log: () => undefined,
    });
    const registry = new Registry();
    registerLedgerMetrics(registry, ledger);
    for (let index = 0; index < 3; index += 1)
      ledger.record(makeEntry({ requestId: `r${index}`, startedAt: FIXTURE_EPOCH + index }));
    const before = await registry.metrics();
    expect(metric(before, 'switchyard_ledger_queue_depth')).toBe(3);
    expect(metric(before, 'switchyard_ledger_flushes_total')).toBe(0);
    expect(metric(before, 'switchyard_ledger_last_flush_seconds')).toBeNaN();

    await ledger.flush().catch(() => undefined); // the first write fails
    await ledger.flush().catch(() => undefined); // the second too
    await ledger.flush();
    const after = await registry.metrics();
    expect(metric(after, 'switchyard_ledger_queue_depth')).toBe(0);
    expect(metric(after, 'switchyard_ledger_failed_batches_total')).toBe(2);
    expect(metric(after, 'switchyard_ledger_flushes_total')).toBe(1);
    expect(metric(after, 'switchyard_ledger_written_entries_total')).toBe(3);
    expect(metric(after, 'switchyard_ledger_dropped_entries_total')).toBe(0);
    // The one successful write took about 30 ms (generous margins: the machine is loaded).
    expect(metric(after, 'switchyard_ledger_last_flush_seconds')).toBeGreaterThanOrEqual(0.025);
    expect(metric(after, 'switchyard_ledger_flush_seconds_total')).toBe(
      metric(after, 'switchyard_ledger_last_flush_seconds'),
    );
    await ledger.close();
  });
});
