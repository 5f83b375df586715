import type { ServerResponse } from 'node:http';
import type { Price } from '../registry/catalog-types.js';
import { toLedgerEntry } from '../pipeline/settle/ledger-entry.js';
import type { RequestRecord } from '../pipeline/request-record.js';
import type { JournaledLedger } from '../usage/journal/journaled-ledger.js';
import type { Ledger } from '../usage/ledger/ledger.js';

/** Requests to these paths are model requests: each leaves a ledger row, even when rejected. */
export const MODEL_PATHS = new Set([
  '/v1/chat/completions',
  '/v1/completions',
  '/v1/responses',
  '/v1/messages',
  '/v1/messages/count_tokens',
  '/v1/embeddings',
]);

export interface LedgerRecording {
  /** Records a finished request (the request observer), unless it was journaled already. */
  observe(record: RequestRecord): void;
  /** With a journal: journals the request as it is answered, before its response ends. */
  beforeEnd?: (record: RequestRecord, response: ServerResponse) => Promise<void> | undefined;
}

/**
 * How requests reach the ledger. Without a journal, each finished model request is recorded when
 * its response has closed. With one, a model request whose response is about to end is recorded
 * then, through the journal (the end waits for the fdatasync); requests that never reach an end
 * (the client left mid-stream) are recorded when they close, as without a journal.
 */
export function createLedgerRecording(
  ledger: Ledger | undefined,
  journaled: JournaledLedger | undefined,
  referencePrice: () => Price | undefined,
  /** The replica id every row carries (`SWITCHYARD_REPLICA_ID`). */
  replicaId?: string,
): LedgerRecording {
  const journaledRecords = new WeakSet<RequestRecord>();
  const observe = (record: RequestRecord): void => {
    if (!ledger || !MODEL_PATHS.has(record.path) || journaledRecords.has(record)) return;
    ledger.record(toLedgerEntry(record, referencePrice(), replicaId));
  };
  if (!journaled) return { observe };
  return {
    observe,
    beforeEnd(record, response) {
      if (!MODEL_PATHS.has(record.path)) return undefined;
      journaledRecords.add(record);
      // The record as the client is about to see it: the status sent, the time to this end.
      const answered: RequestRecord = {
        ...record,
        status: record.status === 0 ? response.statusCode : record.status,
        durationMs: performance.now() - record.startedAt,
      };
      return journaled.recordDurably(toLedgerEntry(answered, referencePrice(), replicaId));
    },
  };
}
