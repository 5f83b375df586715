import { afterEach, describe, expect, it } from 'vitest';
import type {
  GroupDimension,
  Ledger,
  LedgerWriteOptions,
  ReportFigures,
} from '../../src/usage/ledger/ledger.js';
import {
  DAY,
  FIXTURE_EPOCH,
  makeAttempt,
  makeEntry,
  randomEntries,
  seededRandom,
} from '../../src/usage/ledger/ledger-fixtures.js';
import { dailyBackfillSql, MIGRATIONS } from '../../src/usage/ledger/migrations.js';
import { checkEscalations, checkOutcomes } from './outcome-contract.js';
import { checkSelfHostedCharge } from './self-hosted-contract.js';

/** One store location (a temporary directory, a PostgreSQL schema) that ledgers can be opened on. */
export interface LedgerStoreHandle {
  open(options?: LedgerWriteOptions): Promise<Ledger>;
  query(sql: string): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

const HOUR = 3_600_000;

/** Five requests over two days with figures worked out by hand. */
export function handCheckedEntries() {
  return [
    makeEntry(
      {
        requestId: 'one',
        startedAt: FIXTURE_EPOCH + 10 * HOUR,
        apiKeyId: 'key-a',
        modelAsked: 'auto',
        model: 'deepseek-chat',
        provider: 'deepseek',
        usage: { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 300 },
        costUsd: 0.0021,
        referenceCostUsd: 0.03,
      },
      [
        makeAttempt({
          startedAt: FIXTURE_EPOCH + 10 * HOUR,
          status: 503,
          errorCode: 'upstream_unavailable',
        }),
        makeAttempt({
          startedAt: FIXTURE_EPOCH + 10 * HOUR + 40,
          usage: { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 300 },
          costUsd: 0.0021,
        }),
      ],
    ),
    makeEntry(
      {
        requestId: 'two',
        startedAt: FIXTURE_EPOCH + 11 * HOUR,
        apiKeyId: 'key-a',
        model: 'gpt-4o-mini',
        provider: 'openai',
        usage: { inputTokens: 500, outputTokens: 100 },
        costUsd: 0.0003,
        costEstimated: true,
      },
      [
        makeAttempt({
          startedAt: FIXTURE_EPOCH + 11 * HOUR,
          provider: 'openai',
          model: 'gpt-4o-mini',
          upstreamModel: 'gpt-4o-mini-2024-07-18',
          costUsd: 0.0003,
        }),
      ],
    ),
    makeEntry({
      requestId: 'three',
      startedAt: FIXTURE_EPOCH + DAY + 9 * HOUR,
      apiKeyId: 'key-b',
      model: 'deepseek-chat',
      provider: 'deepseek',
      usage: { inputTokens: 1000, outputTokens: 300 },
      costUsd: 0,
      savedUsd: 0.0021,
      referenceCostUsd: 0.03,
      cacheStatus: 'hit',
    }),
    makeEntry({
      requestId: 'four',
      startedAt: FIXTURE_EPOCH + DAY + 12 * HOUR,
      status: 401,
      errorCode: 'unauthorized',
      cacheStatus: 'none',
    }),
    makeEntry(
      {
        requestId: 'five',
        startedAt: FIXTURE_EPOCH + DAY + 13 * HOUR,
        apiKeyId: 'key-b',
        model: 'deepseek-chat',
        provider: 'together',
        status: 503,
        errorCode: 'upstream_unavailable',
        stream: true,
      },
      [
        makeAttempt({
          startedAt: FIXTURE_EPOCH + DAY + 13 * HOUR,
          provider: 'together',
          status: 503,
          errorCode: 'upstream_unavailable',
        }),
      ],
    ),
  ];
}

function figures(partial: Partial<ReportFigures>): ReportFigures {
  return {
    requests: 0,
    errors: 0,
    cacheHits: 0,
    estimatedCostRequests: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    unpricedRequests: 0,
    savedByCacheUsd: 0,
    savedByRoutingUsd: 0,
    selfHostedUsd: 0,
    ...partial,
  };
}

/** The cases every Ledger implementation must pass, with the same expected values. */
export function describeLedgerContract(
  name: string,
  createStore: () => Promise<LedgerStoreHandle>,
): void {
  describe(`${name} ledger contract`, () => {
    const handles: LedgerStoreHandle[] = [];
    const ledgers: Ledger[] = [];
    async function fresh(
      options?: LedgerWriteOptions,
    ): Promise<{ store: LedgerStoreHandle; ledger: Ledger }> {
      const store = await createStore();
      handles.push(store);
      const ledger = await store.open({ flushIntervalMs: 20, ...options });
      ledgers.push(ledger);
      return { store, ledger };
    }
    afterEach(async () => {
      for (const ledger of ledgers.splice(0)) await ledger.close().catch(() => undefined);
      for (const store of handles.splice(0)) await store.dispose();
    });

    it('writes one row per request and one per upstream attempt', async () => {
      const { store, ledger } = await fresh();
      for (const entry of handCheckedEntries()) ledger.record(entry);
      await ledger.flush();
      expect(await count(store, 'ledger_requests')).toBe(5);
      expect(await count(store, 'ledger_attempts')).toBe(4);
      const [first] = await store.query(
        "SELECT attempts, cost_nano_usd, reference_cost_nano_usd, stream FROM ledger_requests WHERE request_id = 'one'",
      );
      expect(normalize(first)).toEqual({
        attempts: '2',
        cost_nano_usd: '2100000',
        reference_cost_nano_usd: '30000000',
        stream: '0',
      });
      const attempts = await store.query(
        "SELECT attempt, status, upstream_model FROM ledger_attempts WHERE request_id = 'two'",
      );
      expect(attempts.map(normalize)).toEqual([
        { attempt: '1', status: '200', upstream_model: 'gpt-4o-mini-2024-07-18' },
      ]);
      expect(ledger.stats()).toMatchObject({ queued: 0, written: 5, dropped: 0 });
    });

    it('reports totals, failures, cache and routing savings', async () => {
      const { ledger } = await fresh();
      for (const entry of handCheckedEntries()) ledger.record(entry);
      await ledger.flush();
      const report = await ledger.report({
        from: FIXTURE_EPOCH,
        to: FIXTURE_EPOCH + 2 * DAY,
        groupBy: [],
      });
      const totals = figures({
        requests: 5,
        errors: 2,
        cacheHits: 1,
        estimatedCostRequests: 1,
        inputTokens: 2500,
        cachedInputTokens: 200,
        outputTokens: 700,
        costUsd: 0.0024,
        savedByCacheUsd: 0.0021,
        savedByRoutingUsd: 0.0558,
      });
      expect(report.totals).toEqual(totals);
      expect(report.rows).toEqual([{ group: {}, ...totals }]);
      expect(report.from).toEqual(new Date(FIXTURE_EPOCH));
    });

    it('groups by model, provider, key and day, sorted, with null for a missing dimension', async () => {
      const { ledger } = await fresh();
      for (const entry of handCheckedEntries()) ledger.record(entry);
      await ledger.flush();
      const groups = async (groupBy: GroupDimension[]) =>
        (
          await ledger.report({ from: FIXTURE_EPOCH, to: FIXTURE_EPOCH + 2 * DAY, groupBy })
        ).rows.map((row) => [row.group, row.requests]);
      expect(await groups(['model'])).toEqual([
        [{ model: null }, 1],
        [{ model: 'deepseek-chat' }, 3],
        [{ model: 'gpt-4o-mini' }, 1],
      ]);
      expect(await groups(['provider'])).toEqual([
        [{ provider: null }, 1],
        [{ provider: 'deepseek' }, 2],
        [{ provider: 'openai' }, 1],
        [{ provider: 'together' }, 1],
      ]);
      expect(await groups(['key'])).toEqual([
        [{ key: null }, 1],
        [{ key: 'key-a' }, 2],
        [{ key: 'key-b' }, 2],
      ]);
      expect(await groups(['day'])).toEqual([
        [{ day: '2026-03-01' }, 2],
        [{ day: '2026-03-02' }, 3],
      ]);
      expect(await groups(['day', 'model'])).toEqual([
        [{ day: '2026-03-01', model: 'deepseek-chat' }, 1],
        [{ day: '2026-03-01', model: 'gpt-4o-mini' }, 1],
        [{ day: '2026-03-02', model: null }, 1],
        [{ day: '2026-03-02', model: 'deepseek-chat' }, 2],
      ]);
      const byModel = await ledger.report({
        from: FIXTURE_EPOCH,
        to: FIXTURE_EPOCH + 2 * DAY,
        groupBy: ['model'],
      });
      expect(byModel.rows[1]).toEqual({
        group: { model: 'deepseek-chat' },
        ...figures({
          requests: 3,
          errors: 1,
          cacheHits: 1,
          inputTokens: 2000,
          cachedInputTokens: 200,
          outputTokens: 600,
          costUsd: 0.0021,
          savedByCacheUsd: 0.0021,
          savedByRoutingUsd: 0.0558,
        }),
      });
    });

    it('includes from, excludes to, and reads partial days from the request rows', async () => {
      const { ledger } = await fresh();
      for (const entry of handCheckedEntries()) ledger.record(entry);
      await ledger.flush();
      const requests = async (from: number, to: number) =>
        (await ledger.report({ from, to, groupBy: [] })).totals.requests;
      expect(await requests(FIXTURE_EPOCH + 10.5 * HOUR, FIXTURE_EPOCH + DAY + 12 * HOUR)).toBe(2);
      expect(await requests(FIXTURE_EPOCH + 10 * HOUR, FIXTURE_EPOCH + 2 * DAY)).toBe(5);
      expect(await requests(FIXTURE_EPOCH + 10 * HOUR + 1, FIXTURE_EPOCH + 2 * DAY)).toBe(4);
      expect(await requests(FIXTURE_EPOCH + DAY, FIXTURE_EPOCH + DAY + 13 * HOUR)).toBe(2);
      expect(await requests(FIXTURE_EPOCH - DAY, FIXTURE_EPOCH + 3 * DAY)).toBe(5);
      expect(await requests(FIXTURE_EPOCH + 3 * DAY, FIXTURE_EPOCH + 3 * DAY)).toBe(0);
      await expect(ledger.report({ from: 2, to: 1, groupBy: [] })).rejects.toThrow(RangeError);
    });

    it('gives the same report from the daily rollup as from a scan of the request rows', async () => {
      const { ledger } = await fresh({ batchSize: 97 });
      for (const entry of randomEntries(7, 1500)) ledger.record(entry);
      await ledger.flush();
      const random = seededRandom(11);
      const all: GroupDimension[] = ['model', 'provider', 'key', 'day'];
      for (let trial = 0; trial < 12; trial += 1) {
        const from = FIXTURE_EPOCH - DAY + Math.floor(random() * 6 * DAY);
        const to = from + Math.floor(random() * 8 * DAY);
        const groupBy = all.filter(() => random() < 0.5);
        const rollup = await ledger.report({ from, to, groupBy });
        const scan = await ledger.report({ from, to, groupBy, useRollup: false });
        expect(rollup).toEqual(scan);
      }
      expect(
        (await ledger.report({ from: 0, to: FIXTURE_EPOCH + 30 * DAY, groupBy: [] })).totals
          .requests,
      ).toBe(1500);
    });

    it('rebuilding the rollup from the request rows (migration 2 backfill) gives the same table', async () => {
      const { store, ledger } = await fresh({ batchSize: 50 });
      for (const entry of randomEntries(3, 400)) ledger.record(entry);
      await ledger.flush();
      const snapshot = async () =>
        (
          await store.query('SELECT * FROM ledger_daily ORDER BY day, api_key_id, model, provider')
        ).map(normalize);
      const before = await snapshot();
      await store.query('DELETE FROM ledger_daily');
      await store.query(dailyBackfillSql());
      expect(await snapshot()).toEqual(before);
    });

    it('lists recent requests, attempts, the traffic mix by prompt bucket and time slots', async () => {
      const { ledger } = await fresh();
      for (const entry of handCheckedEntries()) ledger.record(entry);
      await ledger.flush();
      const window = { from: FIXTURE_EPOCH, to: FIXTURE_EPOCH + 2 * DAY };
      const recent = await ledger.recentRequests({ ...window, limit: 2 });
      expect(recent.map((row) => row.requestId)).toEqual(['five', 'four']);
      expect(recent[0]).toMatchObject({
        model: 'deepseek-chat',
        provider: 'together',
        status: 503,
        errorCode: 'upstream_unavailable',
        stream: true,
        attempts: 1,
        cacheStatus: 'miss',
        latencyMs: 100,
      });
      const attempts = await ledger.attemptRows(window);
      expect(attempts.map((row) => [row.provider, row.status])).toEqual([
        ['together', 503],
        ['openai', 200],
        ['deepseek', 200],
        ['deepseek', 503],
      ]);
      expect(attempts[1]).toMatchObject({
        model: 'gpt-4o-mini',
        latencyMs: 90,
        firstTokenMs: null,
        outputTokens: 0,
      });
      expect(await ledger.trafficMix(window)).toEqual([
        {
          model: 'deepseek-chat',
          provider: 'deepseek',
          bucket: '1k-4k',
          requests: 1,
          inputTokens: 1000,
          cachedInputTokens: 200,
          outputTokens: 300,
          costUsd: 0.0021,
          unpricedRequests: 0,
        },
        {
          model: 'gpt-4o-mini',
          provider: 'openai',
          bucket: '<1k',
          requests: 1,
          inputTokens: 500,
          cachedInputTokens: 0,
          outputTokens: 100,
          costUsd: 0.0003,
          unpricedRequests: 0,
        },
      ]);
      const slots = await ledger.timeSeries({ ...window, slotMs: DAY });
      expect(slots).toHaveLength(2);
      expect(slots[0]).toMatchObject({
        start: FIXTURE_EPOCH,
        requests: 2,
        errors: 0,
        failovers: 1,
        cacheHits: 0,
        savedByCacheUsd: 0,
      });
      expect(slots[0]!.costUsd).toBeCloseTo(0.0024, 12);
      expect(slots[0]!.savedByRoutingUsd).toBeCloseTo(0.0279, 12);
      expect(slots[1]).toMatchObject({
        start: FIXTURE_EPOCH + DAY,
        requests: 3,
        errors: 2,
        failovers: 0,
        cacheHits: 1,
        costUsd: 0,
      });
      expect(slots[1]!.savedByCacheUsd).toBeCloseTo(0.0021, 12);
      expect(slots[1]!.savedByRoutingUsd).toBeCloseTo(0.0279, 12);
    });

    it('records an unknown price as unknown (never $0, never saved by routing) and names the replica', async () => {
      const { store, ledger } = await fresh();
      const usage = { inputTokens: 1000, outputTokens: 200 };
      ledger.record(
        makeEntry(
          {
            requestId: 'priced',
            startedAt: FIXTURE_EPOCH + HOUR,
            usage,
            costUsd: 0.001,
            referenceCostUsd: 0.01,
            replicaId: 'gw-a',
          },
          [makeAttempt({ startedAt: FIXTURE_EPOCH + HOUR, usage, costUsd: 0.001 })],
        ),
      );
      ledger.record(
        makeEntry(
          {
            requestId: 'self-hosted',
            startedAt: FIXTURE_EPOCH + 2 * HOUR,
            provider: 'vllm',
            usage,
            costUsd: null,
            referenceCostUsd: 0.01,
            replicaId: 'gw-b',
          },
          [
            makeAttempt({
              startedAt: FIXTURE_EPOCH + 2 * HOUR,
              provider: 'vllm',
              usage,
              costUsd: null,
            }),
          ],
        ),
      );
      await ledger.flush();
      const rows = await store.query(
        'SELECT r.request_id, r.cost_nano_usd, r.replica_id, a.cost_nano_usd AS attempt_cost FROM ledger_requests r JOIN ledger_attempts a ON a.entry_id = r.entry_id ORDER BY r.request_id',
      );
      expect(rows.map(normalize)).toEqual([
        {
          request_id: 'priced',
          cost_nano_usd: '1000000',
          replica_id: 'gw-a',
          attempt_cost: '1000000',
        },
        {
          request_id: 'self-hosted',
          cost_nano_usd: 'null',
          replica_id: 'gw-b',
          attempt_cost: 'null',
        },
      ]);
      for (const useRollup of [true, false]) {
        const report = await ledger.report({
          from: FIXTURE_EPOCH,
          to: FIXTURE_EPOCH + DAY,
          groupBy: [],
          useRollup,
        });
        expect(report.totals).toMatchObject({ requests: 2, unpricedRequests: 1, costUsd: 0.001 });
        expect(report.totals.savedByRoutingUsd).toBeCloseTo(0.009, 12);
      }
      const recent = await ledger.recentRequests({ from: FIXTURE_EPOCH, to: FIXTURE_EPOCH + DAY });
      expect(recent.map((row) => [row.requestId, row.costUsd, row.replicaId])).toEqual([
        ['self-hosted', null, 'gw-b'],
        ['priced', 0.001, 'gw-a'],
      ]);
      const [slot] = await ledger.timeSeries({
        from: FIXTURE_EPOCH,
        to: FIXTURE_EPOCH + DAY,
        slotMs: DAY,
      });
      expect(slot).toMatchObject({ requests: 2, unpricedRequests: 1 });
      expect(slot!.savedByRoutingUsd).toBeCloseTo(0.009, 12);
    });

    it('stores answer outcomes, sums them per deployment and bucket, finds a request by id', async () => {
      const { ledger } = await fresh();
      await checkOutcomes(ledger);
    });

    it("charges a self-hosted box's hours to the requests it served, by tokens, in reports and the time series", async () => {
      const { ledger } = await fresh();
      await checkSelfHostedCharge(ledger);
    });

    it('stores escalations and counts them per kind, deployment, bucket and target', async () => {
      const { ledger } = await fresh();
      await checkEscalations(ledger);
    });

    it('keeps two rows when a client reuses its request id', async () => {
      const { store, ledger } = await fresh();
      const entry = makeEntry({
        requestId: 'client-chosen',
        startedAt: FIXTURE_EPOCH,
        costUsd: 0.001,
      });
      ledger.record(entry);
      ledger.record(entry);
      await ledger.flush();
      expect(await count(store, 'ledger_requests')).toBe(2);
      expect(
        (await ledger.report({ from: FIXTURE_EPOCH, to: FIXTURE_EPOCH + DAY, groupBy: [] })).totals
          .costUsd,
      ).toBe(0.002);
    });

    it('close writes what is queued; reopening applies no migration twice', async () => {
      const { store, ledger } = await fresh({ flushIntervalMs: 60_000, batchSize: 10_000 });
      for (const entry of randomEntries(5, 300)) ledger.record(entry);
      expect(ledger.stats().queued).toBe(300);
      await ledger.close();
      const reopened = await store.open();
      ledgers.push(reopened);
      expect(
        (await reopened.report({ from: 0, to: FIXTURE_EPOCH + 30 * DAY, groupBy: [] })).totals
          .requests,
      ).toBe(300);
      const versions = (
        await store.query('SELECT version FROM schema_migrations ORDER BY version')
      ).map((row) => Number(row.version));
      expect(versions).toEqual(MIGRATIONS.map((migration) => migration.version));
    });

    it('never throws from record: bad numbers are zeroed, unusable entries dropped and logged', async () => {
      const logged: string[] = [];
      const { store, ledger } = await fresh({ log: (message) => logged.push(message) });
      const weird = makeEntry({
        startedAt: FIXTURE_EPOCH,
        costUsd: Number.NaN,
        latencyMs: -5,
        usage: { inputTokens: Infinity, outputTokens: 2.6 },
        routeReason: 'x'.repeat(5000),
      });
      expect(() => ledger.record(weird)).not.toThrow();
      expect(() => ledger.record(null as unknown as Parameters<Ledger['record']>[0])).not.toThrow();
      await ledger.flush();
      const [row] = await store.query(
        'SELECT cost_nano_usd, latency_ms, input_tokens, output_tokens, route_reason FROM ledger_requests',
      );
      expect(normalize(row)).toMatchObject({
        cost_nano_usd: '0',
        latency_ms: '0',
        input_tokens: '0',
        output_tokens: '3',
      });
      expect(String(row?.route_reason).length).toBe(1000);
      expect(logged.some((message) => message.includes('unusable entry'))).toBe(true);
    });
  });
}

async function count(store: LedgerStoreHandle, table: string): Promise<number> {
  const [row] = await store.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(row?.n);
}

/** Driver-independent view of a row: every value as a string (bigint, int8 strings and numbers alike). */
function normalize(row: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(row ?? {}).map(([key, value]) => [key, String(value)]));
}
