import { redactText } from '../../core/redact.js';
import { createEntryIdGenerator } from '../ledger/entry-ids.js';
import type { Ledger, LedgerEntry } from '../ledger/ledger.js';
import { Journal, type JournalStats } from './journal.js';

/** A ledger whose answered requests are journaled on local disk before their response ends. */
export interface JournaledLedger extends Ledger {
  /**
   * Journals the entry (resolves once it is on disk, one fdatasync per group of entries) and
   * records it in the ledger at once, under the same entry id. Rejects when the journal cannot be
   * written; the entry is recorded in the ledger either way.
   */
  recordDurably(entry: LedgerEntry): Promise<void>;
  journalStats(): JournalStats & { replayed: number; failures: number };
}

export interface JournaledLedgerOptions {
  /** Where the journal's segment files live (created). */
  directory: string;
  /**
   * How often the current segment is sealed and the sealed ones deleted once the ledger has
   * committed everything recorded before (ms). The ledger's own flush interval is a good value.
   */
  checkpointMs: number;
  log?: (message: string) => void;
}

/**
 * Wraps a ledger with a write-ahead journal. At open, every entry left in the journal by an
 * earlier process (killed before its ledger batch committed) is recorded again under its own
 * entry id and flushed: rows already stored are skipped (`ON CONFLICT (entry_id) DO NOTHING`), so
 * a replay never duplicates. Then the replayed segments are deleted.
 */
export async function openJournaledLedger(
  ledger: Ledger,
  options: JournaledLedgerOptions,
): Promise<JournaledLedger> {
  const log =
    options.log ??
    ((message: string) => process.stderr.write(`[journal] ${redactText(message)}\n`));
  const { journal, leftover } = Journal.open(options.directory);
  const releasable: number[] = [];
  let replayed = 0;
  let failures = 0;
  for (const segment of leftover) {
    for (const line of segment.lines) {
      const entry = parseEntry(line);
      if (!entry) {
        log(`replay: unreadable journal line skipped (segment ${segment.sequence})`);
        continue;
      }
      ledger.record(entry);
      replayed += 1;
    }
    releasable.push(segment.sequence);
  }
  if (replayed > 0) log(`replay: ${replayed} journaled entries recorded again`);
  const nextEntryId = createEntryIdGenerator();

  let checkpointing: Promise<void> | undefined;
  /** Seals the current segment; deletes the sealed ones once the ledger holds their entries. */
  const checkpoint = (): Promise<void> => {
    checkpointing ??= (async () => {
      const sealed = journal.rotate();
      if (sealed !== undefined) releasable.push(sealed);
      if (releasable.length === 0) return;
      const batch = releasable.splice(0);
      try {
        await ledger.flush();
      } catch {
        releasable.unshift(...batch); // the store is failing: keep them for a later checkpoint
        return;
      }
      for (const sequence of batch) await journal.release(sequence);
    })()
      .catch((error: unknown) => log(`checkpoint failed: ${describe(error)}`))
      .finally(() => {
        checkpointing = undefined;
      });
    return checkpointing;
  };
  const timer = setInterval(() => void checkpoint(), options.checkpointMs);
  timer.unref();
  if (releasable.length > 0) await checkpoint();

  let closing: Promise<void> | undefined;
  return {
    ...ledger,
    kind: ledger.kind,
    record(entry: LedgerEntry): void {
      ledger.record(entry);
    },
    recordDurably(entry: LedgerEntry): Promise<void> {
      const identified: LedgerEntry = { ...entry, entryId: entry.entryId ?? nextEntryId() };
      let line: string;
      try {
        line = JSON.stringify(identified);
      } catch (error) {
        ledger.record(identified);
        return Promise.reject(error);
      }
      const written = journal.append(line);
      ledger.record(identified);
      return written.catch((error: unknown) => {
        failures += 1;
        if (failures === 1 || failures % 100 === 0)
          log(`append failed (${failures} so far): ${describe(error)}`);
        throw error;
      });
    },
    journalStats: () => ({ ...journal.stats(), replayed, failures }),
    close(): Promise<void> {
      closing ??= (async () => {
        clearInterval(timer);
        await checkpointing;
        try {
          await ledger.close();
        } catch (error) {
          // The journal outlives a ledger that could not write everything: the next start replays it.
          await journal.close({ remove: false });
          throw error;
        }
        await journal.close({ remove: true });
      })();
      return closing;
    },
  };
}

function parseEntry(line: string): LedgerEntry | undefined {
  try {
    const value = JSON.parse(line) as Partial<LedgerEntry> | null;
    if (
      value === null ||
      typeof value !== 'object' ||
      typeof value.entryId !== 'string' ||
      typeof value.request !== 'object' ||
      !Array.isArray(value.attempts)
    )
      return undefined;
    return value as LedgerEntry;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
