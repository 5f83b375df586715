// The ledger's cost on the request path, in process: a finished request's record turned into a
// ledger entry (toLedgerEntry), into column values and into their JSON text (what the SQLite
// ledger's `record` queues), plus its share of posting a batch's texts to the SQLite writer
// thread (a structured clone of the array of strings). It also prints the hand-off alone: the only
// step done for a whole batch in one event-loop turn, so the longest the ledger holds the loop. CPU µs per entry over 2,000-entry
// batches, median of 30 measured batches. See docs/ledger.md.
//
//   npm run build && node bench/ledger-record.mjs
import { toLedgerEntry } from '../dist/pipeline/settle/ledger-entry.js';
import { createEntryIdGenerator } from '../dist/usage/ledger/entry-ids.js';
import { entryToRows } from '../dist/usage/ledger/ledger-rows.js';
import { Worker } from 'node:worker_threads';
import { machineInfo } from './harness.mjs';

const BATCH = 2000;
const WARMUP_BATCHES = 10;
const MEASURED_BATCHES = 30;
const nextId = createEntryIdGenerator();
const price = { inputPerMTok: 0.15, outputPerMTok: 0.6 };

/** A request record as the overhead benchmark's requests leave it: one attempt, usage, a route. */
function record() {
  const now = performance.now();
  const usage = { inputTokens: 20, outputTokens: 25 };
  return {
    requestId: crypto.randomUUID(),
    method: 'POST',
    path: '/v1/chat/completions',
    startedAt: now,
    startedAtWall: Date.now(),
    status: 200,
    stream: false,
    modelAsked: 'gpt-4o-mini',
    model: 'gpt-4o-mini',
    provider: 'sim-openai',
    route: 'gpt-4o-mini (asked for by name); 1 deployment',
    usage,
    costUsd: 0.0000183,
    cacheStatus: 'none',
    durationMs: 3.2,
    attempts: [
      {
        key: 'sim-openai/gpt-4o-mini',
        provider: 'sim-openai',
        model: 'gpt-4o-mini',
        upstreamModel: 'gpt-4o-mini',
        startedAt: now,
        startedAtWall: Date.now(),
        endedAt: now + 3,
        status: 200,
        usage,
        costUsd: 0.0000183,
      },
    ],
  };
}

const records = Array.from({ length: BATCH }, record);
// A thread that receives and drops the batches, as the SQLite writer would receive them.
const sink = new Worker("require('node:worker_threads').parentPort.on('message', () => {})", {
  eval: true,
});
const perEntry = [];
/** The batch hand-off: the one step done for a whole batch in a single event-loop turn. */
const postMs = [];
let bytes = 0;
for (let round = 0; round < WARMUP_BATCHES + MEASURED_BATCHES; round += 1) {
  const start = process.cpuUsage();
  const batch = [];
  for (const finished of records)
    batch.push(JSON.stringify(entryToRows(toLedgerEntry(finished, price), nextId())));
  const beforePost = process.cpuUsage();
  sink.postMessage(batch);
  const used = process.cpuUsage(start);
  const post = process.cpuUsage(beforePost);
  bytes = batch.reduce((sum, text) => sum + text.length, 0) / BATCH;
  if (round >= WARMUP_BATCHES) {
    perEntry.push((used.user + used.system) / BATCH);
    postMs.push((post.user + post.system) / 1000);
  }
}
await sink.terminate();
perEntry.sort((a, b) => a - b);
postMs.sort((a, b) => a - b);
const at = (q) =>
  perEntry[Math.min(perEntry.length - 1, Math.floor(q * perEntry.length))].toFixed(2);
const machine = machineInfo();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores; node ${machine.node}`);
console.log(
  `ledger record path: ${at(0.5)} µs per entry (p10 ${at(0.1)}, p90 ${at(0.9)}), ${bytes.toFixed(0)} bytes of JSON per entry, ${BATCH}-entry batches`,
);
console.log(
  `batch hand-off (one event-loop turn): ${postMs[postMs.length >> 1].toFixed(2)} ms median per ${BATCH}-entry batch`,
);
