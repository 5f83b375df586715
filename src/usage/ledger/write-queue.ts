import { redactText } from '../../core/redact.js';
import type { LedgerStats, LedgerWriteOptions } from './ledger.js';

export const DEFAULT_WRITE_OPTIONS: Required<Omit<LedgerWriteOptions, 'log'>> = {
  batchSize: 2000,
  flushIntervalMs: 250,
  maxQueuedEntries: 100_000,
  retryBaseMs: 100,
  retryMaxMs: 30_000,
  closeTimeoutMs: 10_000,
};

/** Minimum interval between two "dropped entries" log lines. */
const DROP_LOG_INTERVAL_MS = 10_000;

interface FlushWaiter {
  target: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A bounded FIFO that hands items to `write` in batches, one write at a time. A batch is written
 * when `batchSize` items are queued or `flushIntervalMs` after the first unwritten item arrived,
 * whichever comes first. A failed batch goes back to the front and is retried with exponential
 * backoff and jitter; while the store fails, items keep queueing up to `maxQueuedEntries`, beyond
 * which the oldest are dropped, counted and logged. `push` never blocks and never throws.
 */
export class WriteQueue<Item> {
  private readonly options: Required<Omit<LedgerWriteOptions, 'log'>>;
  private readonly log: (message: string) => void;
  private items: Item[] = [];
  private head = 0;
  private inFlight = 0;
  private pushed = 0;
  private written = 0;
  private dropped = 0;
  private droppedSinceLog = 0;
  private lastDropLogAt = -Infinity;
  private failedWrites = 0;
  private flushes = 0;
  private flushMsTotal = 0;
  private lastFlushMs: number | null = null;
  private consecutiveFailures = 0;
  private lastError: string | null = null;
  private running = false;
  private flushDue = false;
  private closed = false;
  private intervalTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private waiters: FlushWaiter[] = [];

  constructor(
    private readonly write: (batch: Item[]) => Promise<void>,
    options: LedgerWriteOptions = {},
  ) {
    const defined = Object.fromEntries(
      Object.entries(options).filter(([, value]) => value !== undefined),
    );
    this.options = { ...DEFAULT_WRITE_OPTIONS, ...defined };
    this.log =
      options.log ?? ((message) => process.stderr.write(`[ledger] ${redactText(message)}\n`));
  }

  push(item: Item): void {
    if (this.closed) {
      this.drop(1, 'recorded after close');
      return;
    }
    this.items.push(item);
    this.pushed += 1;
    this.enforceBound();
    if (this.retryTimer !== undefined) return; // backing off: the retry timer writes
    if (this.length() >= this.options.batchSize) this.kick();
    else this.armInterval();
  }

  /** Writes everything pushed before the call, now (skipping any backoff wait). */
  flush(): Promise<void> {
    const target = this.pushed;
    if (this.written + this.dropped >= target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ target, resolve, reject });
      this.clearRetryTimer();
      this.kick();
    });
  }

  /** Stops accepting items and flushes, retrying with backoff until `closeTimeoutMs`. */
  async close(): Promise<void> {
    this.closed = true;
    const deadline = Date.now() + this.options.closeTimeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.flush();
        break;
      } catch (error) {
        const wait = Math.min(this.backoffMs(attempt + 1), deadline - Date.now());
        if (wait <= 0) {
          const lost = this.length() + this.inFlight;
          this.log(`close: ${lost} entries could not be written and are lost: ${describe(error)}`);
          throw new Error(`ledger: ${lost} entries could not be written before close`, {
            cause: error,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    clearTimeout(this.intervalTimer);
    this.clearRetryTimer();
  }

  stats(): LedgerStats {
    return {
      queued: this.length() + this.inFlight,
      written: this.written,
      dropped: this.dropped,
      failedWrites: this.failedWrites,
      flushes: this.flushes,
      flushMsTotal: this.flushMsTotal,
      lastFlushMs: this.lastFlushMs,
      lastError: this.lastError,
    };
  }

  private length(): number {
    return this.items.length - this.head;
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    // Start writing on a later turn so `push` returns at once.
    setImmediate(() => void this.pump());
  }

  private async pump(): Promise<void> {
    try {
      while (
        this.length() > 0 &&
        (this.flushDue || this.waiters.length > 0 || this.length() >= this.options.batchSize)
      ) {
        const batch = this.take(this.options.batchSize);
        this.inFlight = batch.length;
        const startedAt = performance.now();
        try {
          await this.write(batch);
        } catch (error) {
          this.inFlight = 0;
          this.putBack(batch);
          this.onFailure(error);
          return;
        }
        this.inFlight = 0;
        this.lastFlushMs = performance.now() - startedAt;
        this.flushes += 1;
        this.flushMsTotal += this.lastFlushMs;
        this.written += batch.length;
        this.consecutiveFailures = 0;
        this.lastError = null;
        this.settleWaiters();
      }
      this.flushDue = false;
      clearTimeout(this.intervalTimer);
      this.intervalTimer = undefined;
      if (this.length() > 0) this.armInterval();
    } finally {
      this.running = false;
    }
  }

  private armInterval(): void {
    if (this.intervalTimer !== undefined || this.retryTimer !== undefined) return;
    this.intervalTimer = setTimeout(() => {
      this.intervalTimer = undefined;
      this.flushDue = true;
      this.kick();
    }, this.options.flushIntervalMs);
    this.intervalTimer.unref();
  }

  private onFailure(error: unknown): void {
    this.failedWrites += 1;
    this.consecutiveFailures += 1;
    this.lastError = describe(error);
    const delay = this.backoffMs(this.consecutiveFailures);
    if (this.consecutiveFailures === 1 || this.consecutiveFailures % 10 === 0) {
      this.log(
        `write failed (${this.consecutiveFailures} in a row, ${this.length()} entries queued), retrying in ${delay} ms: ${this.lastError}`,
      );
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(error);
    if (this.closed) return; // close() drives its own retries
    clearTimeout(this.intervalTimer);
    this.intervalTimer = undefined;
    this.clearRetryTimer();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flushDue = true;
      this.kick();
    }, delay);
    this.retryTimer.unref();
  }

  private backoffMs(failures: number): number {
    const exponential = Math.min(
      this.options.retryMaxMs,
      this.options.retryBaseMs * 2 ** Math.min(failures - 1, 30),
    );
    return Math.round(exponential / 2 + Math.random() * (exponential / 2));
  }

  private clearRetryTimer(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private settleWaiters(): void {
    const settled = this.written + this.dropped;
    const remaining: FlushWaiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.target <= settled) waiter.resolve();
      else remaining.push(waiter);
    }
    this.waiters = remaining;
  }

  private take(count: number): Item[] {
    const batch = this.items.slice(this.head, this.head + count);
    this.head += batch.length;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  private putBack(batch: Item[]): void {
    this.items = batch.concat(this.items.slice(this.head));
    this.head = 0;
    this.enforceBound();
  }

  private enforceBound(): void {
    const excess = this.length() - this.options.maxQueuedEntries;
    if (excess <= 0) return;
    this.head += excess;
    this.drop(excess, 'queue full while the store is failing or slow; oldest entries dropped');
    this.settleWaiters();
  }

  private drop(count: number, reason: string): void {
    this.dropped += count;
    this.droppedSinceLog += count;
    const now = Date.now();
    if (now - this.lastDropLogAt >= DROP_LOG_INTERVAL_MS) {
      this.log(`dropped ${this.droppedSinceLog} entries (${this.dropped} in total): ${reason}`);
      this.droppedSinceLog = 0;
      this.lastDropLogAt = now;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
