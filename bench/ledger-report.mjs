// Usage-ledger benchmark: bulk-load N request rows (default 10M over 90 days, 20 models, 8
// providers, 200 keys) into SQLite and/or PostgreSQL, build the daily rollup, then time reports
// over 7- and 30-day windows grouped by model and by day, from the rollup (what `report` does) and
// from a scan of the request rows (what it would cost without the rollup). Last, the real write
// path: entries through `record()` into the loaded store. See docs/ledger.md.
//
//   npm run build && node bench/ledger-report.mjs [--rows 10000000] [--days 90] [--store sqlite|postgres|both]
//                    [--repeat 3] [--write-entries 100000] [--dir /tmp/x] [--keep]
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (default)
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { machineInfo } from './harness.mjs';
import {
  dailyBackfillSql,
  openPostgresLedger,
  openSqliteLedger,
} from '../dist/usage/ledger/index.js';
import { REQUEST_COLUMNS, REQUEST_COLUMN_NAMES } from '../dist/usage/ledger/ledger-rows.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DAY = 86_400_000;
const END = Date.UTC(2026, 2, 31); // data ends at this midnight; "now" is END or END - 5 h
const CHUNK = 20_000;
const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    days: { type: 'string', default: '90' },
    store: { type: 'string', default: 'both' },
    repeat: { type: 'string', default: '3' },
    'write-entries': { type: 'string', default: '100000' },
    dir: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const ROWS = Number(flags.rows);
const DAYS = Number(flags.days);
const REPEAT = Number(flags.repeat);
const WRITE_ENTRIES = Number(flags['write-entries']);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'switchyard_ledger_bench';

// ── Synthetic traffic ────────────────────────────────────────────────────────────────────────
const PROVIDERS = [
  'deepseek',
  'dashscope',
  'openai',
  'anthropic',
  'mistral',
  'together',
  'fireworks',
  'groq',
];
// [model, input $/M, cached input $/M, output $/M, provider indexes]
const MODELS = [
  ['deepseek-chat', 0.27, 0.07, 1.1, [0, 5, 6]],
  ['qwen-coder-plus', 0.35, 0.07, 1.4, [1]],
  ['gpt-4o-mini', 0.15, 0.075, 0.6, [2]],
  ['qwen2.5-coder-32b', 0.2, 0.2, 0.2, [5, 6, 7]],
  ['codestral', 0.3, 0.3, 0.9, [4]],
  ['llama-3.3-70b', 0.59, 0.59, 0.79, [7, 5, 6]],
  ['claude-haiku', 0.8, 0.08, 4, [3]],
  ['gpt-4.1-mini', 0.4, 0.1, 1.6, [2]],
  ['deepseek-reasoner', 0.55, 0.14, 2.19, [0, 5]],
  ['qwen-turbo', 0.05, 0.02, 0.2, [1]],
  ['mistral-small', 0.1, 0.1, 0.3, [4, 5]],
  ['claude-sonnet', 3, 0.3, 15, [3]],
  ['gpt-4.1', 2, 0.5, 8, [2]],
  ['gpt-4o', 2.5, 1.25, 10, [2]],
  ['o4-mini', 1.1, 0.275, 4.4, [2]],
  ['mixtral-8x22b', 0.9, 0.9, 0.9, [5, 6]],
  ['qwen-max', 1.6, 0.4, 6.4, [1]],
  ['devstral', 0.1, 0.1, 0.3, [4, 6]],
  ['kimi-k2', 0.6, 0.15, 2.5, [5, 7]],
  ['claude-opus', 15, 1.5, 75, [3]],
];
const REFERENCE = { input: 3, cached: 0.3, output: 15 }; // claude-sonnet
const HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 9, 8, 9, 10, 10, 9, 7, 5, 4, 3, 2, 2, 1];

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), state | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}
let random = mulberry32(20260331);
const zipf = (count, skew) => Math.min(count - 1, Math.floor(count * random() ** skew));
const logNormal = (median, sigma) =>
  Math.round(
    median *
      Math.exp(
        sigma * Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random()),
      ),
  );
const hourTotal = HOUR_WEIGHTS.reduce((sum, weight) => sum + weight, 0);
function randomHour() {
  let pick = random() * hourTotal;
  for (let hour = 0; hour < 24; hour += 1) if ((pick -= HOUR_WEIGHTS[hour]) < 0) return hour;
  return 23;
}

/** Yields chunks of rows (arrays in REQUEST_COLUMN_NAMES order), in time order, traffic growing 2× over the period. */
function* generateRows() {
  random = mulberry32(20260331); // every store gets the same rows
  const start = END - DAYS * DAY;
  const dayWeights = Array.from(
    { length: DAYS },
    (_, day) => (1 + day / DAYS) * (new Date(start + day * DAY).getUTCDay() % 6 === 0 ? 0.4 : 1),
  );
  const weightTotal = dayWeights.reduce((sum, weight) => sum + weight, 0);
  let produced = 0;
  let prefix = randomUUID().slice(0, 8);
  for (let day = 0; day < DAYS; day += 1) {
    const count =
      day === DAYS - 1 ? ROWS - produced : Math.round((ROWS * dayWeights[day]) / weightTotal);
    const times = Array.from(
      { length: count },
      () => start + day * DAY + randomHour() * 3_600_000 + Math.floor(random() * 3_600_000),
    ).sort((a, b) => a - b);
    if (day % 7 === 0) prefix = randomUUID().slice(0, 8); // a restart: new entry-id prefix
    for (let offset = 0; offset < count; offset += CHUNK) {
      yield times
        .slice(offset, offset + CHUNK)
        .map((time, index) =>
          makeRow(`${prefix}${(produced + offset + index).toString(36).padStart(9, '0')}`, time),
        );
    }
    produced += count;
  }
}

function makeRow(entryId, time) {
  const rejected = random() < 0.02;
  const cacheRoll = random();
  const cacheStatus = rejected
    ? 'none'
    : cacheRoll < 0.12
      ? 'hit'
      : cacheRoll < 0.15
        ? 'shared'
        : cacheRoll < 0.2
          ? 'bypass'
          : 'miss';
  const served = cacheStatus === 'hit' || cacheStatus === 'shared';
  const failed = !rejected && !served && random() < 0.03;
  const [model, inputPrice, cachedPrice, outputPrice, providers] = MODELS[zipf(MODELS.length, 2.2)];
  const input = rejected ? 0 : logNormal(1200, 1);
  const cached = rejected || random() < 0.7 ? 0 : Math.floor(input * 0.6);
  const output = rejected || failed ? 0 : logNormal(200, 0.9);
  const price = (input - cached) * inputPrice + cached * cachedPrice + output * outputPrice; // $ per M tokens → nano-USD × 1000
  const nano = Math.round(price * 1000);
  const reference = Math.round(
    ((input - cached) * REFERENCE.input + cached * REFERENCE.cached + output * REFERENCE.output) *
      1000,
  );
  const latency = rejected ? 2 : served ? 3 : logNormal(1500, 0.7);
  return [
    entryId,
    randomUUID(),
    time,
    random() < 0.01 ? null : `key_${zipf(200, 1.8).toString().padStart(3, '0')}`,
    random() < 0.6 ? 'auto' : model,
    rejected ? null : model,
    rejected ? null : PROVIDERS[providers[zipf(providers.length, 1.5)]],
    rejected || served ? 0 : failed ? 3 : random() < 0.05 ? 2 : 1,
    input,
    cached,
    output,
    rejected ? 0 : Math.floor(output * 0.05),
    served || rejected || failed ? 0 : nano,
    random() < 0.02 ? 1 : 0,
    served ? nano : 0,
    rejected ? null : reference,
    latency,
    random() < 0.5 ? Math.floor(latency / 4) : null,
    rejected ? (random() < 0.5 ? 401 : 429) : failed ? 503 : 200,
    rejected ? 'unauthorized' : failed ? 'upstream_unavailable' : null,
    cacheStatus,
    served ? null : 'tier-1: short prompt, no imports',
    random() < 0.5 ? 1 : 0,
    '/v1/chat/completions', // endpoint (migration 6)
    `replica-${entryId.charCodeAt(0) % 3}`, // replica_id (migration 7)
  ];
}

// ── Measurement ──────────────────────────────────────────────────────────────────────────────
const seconds = (milliseconds) => Number((milliseconds / 1000).toFixed(2));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeReports(ledger) {
  const windows = [];
  for (const [label, to] of [
    ['aligned', END],
    ['rolling', END - 5 * 3_600_000],
  ]) {
    for (const days of [7, 30]) {
      for (const groupBy of [['model'], ['day']]) {
        for (const useRollup of [true, false]) {
          const timings = [];
          let totals;
          for (let run = 0; run < REPEAT; run += 1) {
            const begin = performance.now();
            const report = await ledger.report({ from: to - days * DAY, to, groupBy, useRollup });
            timings.push(performance.now() - begin);
            totals = report.totals;
          }
          const result = {
            window: `${days}d ${label}`,
            groupBy: groupBy.join(','),
            source: useRollup ? 'rollup' : 'scan',
            requests: totals.requests,
            costUsd: totals.costUsd,
            firstMs: round(timings[0]),
            medianMs: round(median(timings)),
          };
          windows.push(result);
          console.log(
            `  ${result.window.padEnd(12)} by ${result.groupBy.padEnd(6)} ${result.source.padEnd(7)} ${String(result.requests).padStart(9)} requests  first ${String(result.firstMs).padStart(8)} ms  median ${String(result.medianMs).padStart(8)} ms`,
          );
        }
      }
    }
  }
  return windows;
}
const round = (value) => Number(value.toFixed(value < 10 ? 2 : 0));

async function timeWrites(ledger) {
  const base = END - 2 * 3_600_000;
  let sequence = 0;
  const entry = () => {
    const index = (sequence += 1);
    return {
      request: {
        requestId: randomUUID(),
        startedAt: base + index,
        apiKeyId: `key_${index % 200}`,
        modelAsked: 'auto',
        model: MODELS[index % 20][0],
        provider: 'deepseek',
        usage: { inputTokens: 1200, outputTokens: 200 },
        costUsd: 0.00054,
        referenceCostUsd: 0.0066,
        latencyMs: 900,
        firstTokenMs: 210,
        status: 200,
        cacheStatus: 'miss',
        routeReason: 'tier-1',
        stream: true,
      },
      attempts: [
        {
          provider: 'deepseek',
          model: 'deepseek-chat',
          upstreamModel: 'deepseek-chat',
          startedAt: base + index,
          latencyMs: 880,
          firstTokenMs: 200,
          usage: { inputTokens: 1200, outputTokens: 200 },
          costUsd: 0.00054,
          status: 200,
        },
      ],
    };
  };
  // Baseline: the same paced loop without the ledger, to tell the machine's noise from the ledger's cost.
  const baseline = monitorEventLoopDelay({ resolution: 1 });
  baseline.enable();
  for (let index = 0; index < WRITE_ENTRIES; index += 1) {
    entry();
    if (index % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
  }
  baseline.disable();
  // A: throughput and event-loop delay, recording 10 entries per loop turn as a busy server would.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const begin = performance.now();
  let recordMs = 0;
  for (let index = 0; index < WRITE_ENTRIES; index += 1) {
    const recordBegin = performance.now();
    ledger.record(entry());
    recordMs += performance.now() - recordBegin;
    if (index % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
  }
  await ledger.flush();
  const elapsed = performance.now() - begin;
  loopDelay.disable();
  // B: how long one default batch (500 entries) takes to commit.
  const batchTimes = [];
  for (let round = 0; round < 40; round += 1) {
    for (let index = 0; index < 500; index += 1) ledger.record(entry());
    const batchBegin = performance.now();
    await ledger.flush();
    batchTimes.push(performance.now() - batchBegin);
  }
  batchTimes.sort((a, b) => a - b);
  const result = {
    entries: WRITE_ENTRIES,
    entriesPerSecond: Math.round(WRITE_ENTRIES / (elapsed / 1000)),
    recordMicrosecondsEach: Number(((recordMs * 1000) / WRITE_ENTRIES).toFixed(2)),
    eventLoopDelayP99Ms: Number((loopDelay.percentile(99) / 1e6).toFixed(1)),
    eventLoopDelayMaxMs: Number((loopDelay.max / 1e6).toFixed(1)),
    baselineDelayP99Ms: Number((baseline.percentile(99) / 1e6).toFixed(1)),
    baselineDelayMaxMs: Number((baseline.max / 1e6).toFixed(1)),
    batch500MedianMs: round(batchTimes[20]),
    batch500P95Ms: round(batchTimes[37]),
  };
  console.log(
    `  write path: ${result.entries} entries (1 attempt each) in ${seconds(elapsed)} s = ${result.entriesPerSecond}/s; record() ${result.recordMicrosecondsEach} µs; event-loop delay p99 ${result.eventLoopDelayP99Ms} ms, max ${result.eventLoopDelayMaxMs} ms (without the ledger: ${result.baselineDelayP99Ms} / ${result.baselineDelayMaxMs}); a 500-entry batch commits in ${result.batch500MedianMs} ms (p95 ${result.batch500P95Ms})`,
  );
  return result;
}

async function benchSqlite(directory) {
  console.log(`\nSQLite (${directory})`);
  await (await openSqliteLedger({ dataDir: directory })).close(); // schema through the migrations
  const database = new Database(path.join(directory, 'switchyard.db'));
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  const insert = database.prepare(
    `INSERT INTO ledger_requests (${REQUEST_COLUMN_NAMES.join(', ')}) VALUES (${REQUEST_COLUMN_NAMES.map(() => '?').join(', ')})`,
  );
  const insertChunk = database.transaction((rows) => {
    for (const row of rows) insert.run(row);
  });
  let begin = performance.now();
  for (const rows of generateRows()) insertChunk(rows);
  const loadMs = performance.now() - begin;
  begin = performance.now();
  database.exec(dailyBackfillSql());
  const rollupMs = performance.now() - begin;
  begin = performance.now();
  database.exec('ANALYZE');
  const analyzeMs = performance.now() - begin;
  const dailyRows = database.prepare('SELECT COUNT(*) AS n FROM ledger_daily').get().n;
  database.close();
  const sizeMb = Math.round(statSync(path.join(directory, 'switchyard.db')).size / 2 ** 20);
  console.log(
    `  loaded ${ROWS} rows in ${seconds(loadMs)} s (${Math.round(ROWS / (loadMs / 1000))} rows/s, generation included); rollup ${dailyRows} rows in ${seconds(rollupMs)} s; ANALYZE ${seconds(analyzeMs)} s; file ${sizeMb} MB`,
  );
  const ledger = await openSqliteLedger({ dataDir: directory });
  const reports = await timeReports(ledger);
  const writes = await timeWrites(ledger);
  await ledger.close();
  return {
    loadSeconds: seconds(loadMs),
    rollupSeconds: seconds(rollupMs),
    analyzeSeconds: seconds(analyzeMs),
    dailyRows,
    sizeMb,
    reports,
    writes,
  };
}

async function benchPostgres() {
  console.log(`\nPostgreSQL (${DATABASE_URL}, schema ${SCHEMA})`);
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await (await openPostgresLedger({ url: DATABASE_URL, schema: SCHEMA })).close();
  await admin.query(`SET search_path = ${SCHEMA}`);
  const columns = REQUEST_COLUMN_NAMES.map(
    (name, index) => `$${index + 1}::${REQUEST_COLUMNS[name]}[]`,
  ).join(', ');
  const sql = `INSERT INTO ledger_requests (${REQUEST_COLUMN_NAMES.join(', ')}) SELECT * FROM unnest(${columns})`;
  let begin = performance.now();
  let pending = Promise.resolve();
  for (const rows of generateRows()) {
    const arrays = REQUEST_COLUMN_NAMES.map((_, column) => rows.map((row) => row[column]));
    await pending; // one insert in flight while the next chunk is generated
    pending = admin.query(sql, arrays);
  }
  await pending;
  const loadMs = performance.now() - begin;
  begin = performance.now();
  await admin.query(dailyBackfillSql());
  const rollupMs = performance.now() - begin;
  begin = performance.now();
  await admin.query('VACUUM ANALYZE ledger_requests');
  await admin.query('VACUUM ANALYZE ledger_daily');
  const analyzeMs = performance.now() - begin;
  const dailyRows = Number((await admin.query('SELECT COUNT(*) AS n FROM ledger_daily')).rows[0].n);
  const sizeMb = Math.round(
    Number(
      (
        await admin.query(
          `SELECT SUM(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
          [SCHEMA],
        )
      ).rows[0].bytes,
    ) /
      2 ** 20,
  );
  console.log(
    `  loaded ${ROWS} rows in ${seconds(loadMs)} s (${Math.round(ROWS / (loadMs / 1000))} rows/s, generation included); rollup ${dailyRows} rows in ${seconds(rollupMs)} s; VACUUM ANALYZE ${seconds(analyzeMs)} s; ${sizeMb} MB with indexes`,
  );
  const ledger = await openPostgresLedger({ url: DATABASE_URL, schema: SCHEMA });
  const reports = await timeReports(ledger);
  const writes = await timeWrites(ledger);
  await ledger.close();
  if (!flags.keep) await admin.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
  await admin.end();
  return {
    loadSeconds: seconds(loadMs),
    rollupSeconds: seconds(rollupMs),
    vacuumAnalyzeSeconds: seconds(analyzeMs),
    dailyRows,
    sizeMb,
    reports,
    writes,
  };
}

const machine = machineInfo();
console.log(
  `Ledger bench: ${ROWS} rows over ${DAYS} days; ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}`,
);
const results = { date: new Date().toISOString(), machine, rows: ROWS, days: DAYS, repeat: REPEAT };
const directory = flags.dir ?? mkdtempSync(path.join(os.tmpdir(), 'switchyard-ledger-bench-'));
try {
  if (flags.store !== 'postgres') results.sqlite = await benchSqlite(directory);
  if (flags.store !== 'sqlite') results.postgres = await benchPostgres();
  if (results.sqlite && results.postgres) {
    const same = results.sqlite.reports.every(
      (report, index) =>
        report.requests === results.postgres.reports[index].requests &&
        report.costUsd === results.postgres.reports[index].costUsd,
    );
    console.log(
      `\nSQLite and PostgreSQL reports agree (requests and cost, every window): ${same ? 'yes' : 'NO'}`,
    );
    results.storesAgree = same;
  }
} finally {
  if (!flags.keep && flags.dir === undefined) rmSync(directory, { recursive: true, force: true });
}
mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
const file = path.join(
  ROOT,
  'bench',
  'results',
  `ledger-report-${results.date.replace(/[:.]/g, '-')}.json`,
);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nresults: ${path.relative(ROOT, file)}`);
