import { redactText } from '../../core/redact.js';
import { createEntryIdGenerator } from './entry-ids.js';
import type {
  Ledger,
  LedgerEntry,
  LedgerWriteOptions,
  ReportQuery,
  UsageReport,
} from './ledger.js';
import { entryToRows, type EntryRows } from './ledger-rows.js';
import { normalizeReportQuery, type NormalizedReportQuery } from './report-sql.js';
import { WriteQueue } from './write-queue.js';
import {
  chargeReport,
  chargeSlots,
  selfHostedTokensStatement,
  toSelfHostedTokens,
} from './self-hosted-charge.js';
import {
  attemptRowsStatement,
  recentRequestsStatement,
  timeSeriesStatement,
  toAttemptRow,
  toRecentRequest,
  toTimeSlot,
  toTrafficRow,
  trafficMixStatement,
  type Placeholder,
  type Statement,
  type WindowQuery,
} from './detail-queries.js';
import {
  findRequestStatement,
  outcomeEvidenceStatement,
  outcomeReportStatement,
  recordOutcomeStatement,
  toFoundRequest,
  toOutcomeEvidence,
  toOutcomeReportRow,
} from './outcome-queries.js';
import {
  escalationReportStatement,
  recentOutcomesStatement,
  recordEscalationStatement,
  toEscalationReportRow,
  toRecentOutcome,
} from './escalation-queries.js';

function checkedWindow(query: WindowQuery): WindowQuery {
  if (!Number.isFinite(query.from) || !Number.isFinite(query.to) || query.to < query.from)
    throw new RangeError('ledger query: from and to must be valid times, from <= to');
  return query;
}

/**
 * What a store provides; the queue, row conversion and query checks are shared. `Queued` is the
 * form an entry waits in until its batch is written: the store picks the one its writer takes.
 */
export interface LedgerStore<Queued> {
  kind: Ledger['kind'];
  /** Turns an entry's column values into their queued form, at `record` time. Must not throw. */
  queue(rows: EntryRows): Queued;
  /** Writes one batch in one transaction; rows whose entry id is already stored are skipped. */
  writeBatch(batch: Queued[]): Promise<void>;
  report(query: NormalizedReportQuery): Promise<UsageReport>;
  /** Runs a read-only statement built for this store's placeholders. */
  select(build: (placeholder: Placeholder) => Statement): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export function createQueuedLedger<Queued>(
  store: LedgerStore<Queued>,
  options: LedgerWriteOptions = {},
): Ledger {
  const log =
    options.log ?? ((message: string) => process.stderr.write(`[ledger] ${redactText(message)}\n`));
  const queue = new WriteQueue<Queued>((batch) => store.writeBatch(batch), { ...options, log });
  const nextEntryId = createEntryIdGenerator();
  let closing: Promise<void> | undefined;
  return {
    kind: store.kind,
    record(entry: LedgerEntry): void {
      let queued: Queued;
      try {
        // Converted now: the caller may reuse or change its objects after recording them.
        const given = entry.entryId;
        const entryId =
          typeof given === 'string' && given.length > 0 && given.length <= 64
            ? given
            : nextEntryId();
        queued = store.queue(entryToRows(entry, entryId));
      } catch (error) {
        log(
          `record: unusable entry dropped: ${error instanceof Error ? error.message : String(error)}`,
        );
        return;
      }
      queue.push(queued);
    },
    flush: () => queue.flush(),
    close(): Promise<void> {
      closing ??= queue.close().finally(() => store.close());
      return closing;
    },
    async report(query: ReportQuery): Promise<UsageReport> {
      const normalized = normalizeReportQuery(query);
      const report = await store.report(normalized);
      const prices = query.selfHosted ?? [];
      if (prices.length === 0 || report.totals.requests === 0) return report;
      const rows = await store.select((placeholder) =>
        selfHostedTokensStatement(
          { from: normalized.from, to: normalized.to, prices },
          placeholder,
        ),
      );
      return chargeReport(report, rows.map(toSelfHostedTokens), prices, query.now ?? Date.now());
    },
    stats: () => queue.stats(),
    recentRequests: async (query) =>
      (
        await store.select((placeholder) =>
          recentRequestsStatement(checkedWindow(query), placeholder),
        )
      ).map(toRecentRequest),
    attemptRows: async (query) =>
      (
        await store.select((placeholder) => attemptRowsStatement(checkedWindow(query), placeholder))
      ).map(toAttemptRow),
    trafficMix: async (query) =>
      (
        await store.select((placeholder) => trafficMixStatement(checkedWindow(query), placeholder))
      ).map(toTrafficRow),
    async timeSeries(query) {
      const slots = (
        await store.select((placeholder) =>
          timeSeriesStatement({ ...checkedWindow(query), slotMs: query.slotMs }, placeholder),
        )
      ).map((row) => toTimeSlot(row, query.slotMs));
      const prices = query.selfHosted ?? [];
      if (prices.length === 0 || slots.length === 0) return slots;
      const rows = await store.select((placeholder) =>
        selfHostedTokensStatement({ ...query, prices }, placeholder),
      );
      return [
        ...chargeSlots(
          slots,
          rows.map(toSelfHostedTokens),
          prices,
          query.now ?? Date.now(),
          query.slotMs,
        ),
      ];
    },
    async recordOutcome(outcome) {
      await store.select((placeholder) => recordOutcomeStatement(outcome, placeholder));
    },
    outcomeEvidence: async (since) =>
      (await store.select((placeholder) => outcomeEvidenceStatement(since, placeholder))).map(
        toOutcomeEvidence,
      ),
    outcomeReport: async (query) =>
      (
        await store.select((placeholder) =>
          outcomeReportStatement(checkedWindow(query), placeholder),
        )
      ).map(toOutcomeReportRow),
    async recordEscalation(escalation) {
      await store.select((placeholder) => recordEscalationStatement(escalation, placeholder));
    },
    escalationReport: async (query) =>
      (
        await store.select((placeholder) =>
          escalationReportStatement(checkedWindow(query), placeholder),
        )
      ).map(toEscalationReportRow),
    recentOutcomes: async (query) =>
      (
        await store.select((placeholder) =>
          recentOutcomesStatement(checkedWindow(query), placeholder),
        )
      ).map(toRecentOutcome),
    async findRequest(requestId, since) {
      const rows = await store.select((placeholder) =>
        findRequestStatement(requestId, since, placeholder),
      );
      return rows[0] === undefined ? undefined : toFoundRequest(rows[0]);
    },
  };
}
