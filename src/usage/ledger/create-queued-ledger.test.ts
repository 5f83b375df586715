import { describe, expect, it } from 'vitest';
import { createQueuedLedger, type LedgerStore } from './create-queued-ledger.js';
import { FIXTURE_EPOCH, makeAttempt, makeEntry } from './ledger-fixtures.js';
import { type EntryRows, REQUEST_COLUMN_NAMES } from './ledger-rows.js';

/** A store that keeps what it is given, in the queued form the SQLite ledger uses (JSON text). */
function textStore(options: { failQueueFor?: string } = {}) {
  const queuedAt: string[] = [];
  const batches: string[][] = [];
  const store: LedgerStore<string> = {
    kind: 'sqlite',
    queue(rows: EntryRows): string {
      if (rows.request[1] === options.failQueueFor) throw new Error('cannot queue this one');
      const text = JSON.stringify(rows);
      queuedAt.push(text);
      return text;
    },
    async writeBatch(batch) {
      batches.push([...batch]);
    },
    select: async () => [],
    report: () => Promise.reject(new Error('not used')),
    close: async () => undefined,
  };
  return { store, queuedAt, batches };
}

const requestIdColumn = REQUEST_COLUMN_NAMES.indexOf('request_id');

describe('createQueuedLedger', () => {
  it('turns each entry into the store’s queued form when it is recorded, and writes those forms in order', async () => {
    const { store, queuedAt, batches } = textStore();
    const ledger = createQueuedLedger(store, { flushIntervalMs: 60_000, log: () => undefined });
    const first = makeEntry({ requestId: 'first', startedAt: FIXTURE_EPOCH }, [
      makeAttempt({ startedAt: FIXTURE_EPOCH }),
    ]);
    ledger.record(first);
    // Queued at record time: a caller changing its objects afterwards changes nothing stored.
    expect(queuedAt).toHaveLength(1);
    first.request.requestId = 'changed';
    ledger.record(makeEntry({ requestId: 'second', startedAt: FIXTURE_EPOCH + 1 }));
    await ledger.flush();
    expect(batches).toHaveLength(1);
    const written = (batches[0] ?? []).map((text) => JSON.parse(text) as EntryRows);
    expect(written.map((rows) => rows.request[requestIdColumn])).toEqual(['first', 'second']);
    expect(written.map((rows) => rows.attempts.length)).toEqual([1, 0]);
    expect(ledger.stats()).toMatchObject({ queued: 0, written: 2, dropped: 0 });
    await ledger.close();
  });

  it('drops and logs an entry the store cannot queue, without throwing, and keeps the others', async () => {
    const { store, batches } = textStore({ failQueueFor: 'bad' });
    const logged: string[] = [];
    const ledger = createQueuedLedger(store, { log: (message) => logged.push(message) });
    expect(() =>
      ledger.record(makeEntry({ requestId: 'bad', startedAt: FIXTURE_EPOCH })),
    ).not.toThrow();
    ledger.record(makeEntry({ requestId: 'good', startedAt: FIXTURE_EPOCH }));
    await ledger.flush();
    expect(logged).toEqual([
      expect.stringContaining('unusable entry dropped: cannot queue this one'),
    ]);
    expect(
      batches.flat().map((text) => (JSON.parse(text) as EntryRows).request[requestIdColumn]),
    ).toEqual(['good']);
    await ledger.close();
  });
});
