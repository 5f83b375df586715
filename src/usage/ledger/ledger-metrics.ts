import { Counter, Gauge, type Registry } from 'prom-client';
import type { Ledger } from './ledger.js';

/** A counter whose value is read from a running total when Prometheus scrapes. */
function totalCounter(registry: Registry, name: string, help: string, read: () => number): Counter {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      const value = read();
      if (value > 0) this.inc(value);
    },
  });
}

/**
 * The ledger's write path on /metrics, read from `ledger.stats()` when Prometheus scrapes
 * (nothing on the request path): queue depth, batch writes and their latency, failed batches,
 * dropped entries. Mean flush latency over a window is
 * `rate(switchyard_ledger_flush_seconds_total[5m]) / rate(switchyard_ledger_flushes_total[5m])`.
 */
export function registerLedgerMetrics(registry: Registry, ledger: Ledger): void {
  new Gauge({
    name: 'switchyard_ledger_queue_depth',
    help: 'Ledger entries waiting to be written (queued or in the batch being written).',
    registers: [registry],
    collect() {
      this.set(ledger.stats().queued);
    },
  });
  new Gauge({
    name: 'switchyard_ledger_last_flush_seconds',
    help: 'Duration of the last successful ledger batch write (NaN before the first).',
    registers: [registry],
    collect() {
      const last = ledger.stats().lastFlushMs;
      this.set(last === null ? Number.NaN : last / 1000);
    },
  });
  totalCounter(
    registry,
    'switchyard_ledger_flushes_total',
    'Successful ledger batch writes since start.',
    () => ledger.stats().flushes,
  );
  totalCounter(
    registry,
    'switchyard_ledger_flush_seconds_total',
    'Time spent in successful ledger batch writes since start (seconds).',
    () => ledger.stats().flushMsTotal / 1000,
  );
  totalCounter(
    registry,
    'switchyard_ledger_failed_batches_total',
    'Ledger batch writes that failed since start (each is retried).',
    () => ledger.stats().failedWrites,
  );
  totalCounter(
    registry,
    'switchyard_ledger_written_entries_total',
    'Ledger entries written since start.',
    () => ledger.stats().written,
  );
  totalCounter(
    registry,
    'switchyard_ledger_dropped_entries_total',
    'Ledger entries dropped since start (queue full while the store failed, or recorded after close).',
    () => ledger.stats().dropped,
  );
}
