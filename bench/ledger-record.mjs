// The ledger's cost on the request path, in process: a finished request's record turned into a
// ledger entry (toLedgerEntry), into column values (what `record` queues) and into its share of
// the JSON string a batch is posted to the SQLite writer as. CPU µs per entry over 2,000-entry
// batches, median of 30 measured batches. See docs/ledger.md.
//
//   npm run build && node bench/ledger-record.mjs
import { toLedgerEntry } from '../dist/server/ledger-entry.js';
import { createEntryIdGenerator } from '../dist/usage/ledger/entry-ids.js';
import { entryToRows } from '../dist/usage/ledger/ledger-rows.js';
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
    requestId: crypto.randomUUID(), method: 'POST', path: '/v1/chat/completions', startedAt: now, startedAtWall: Date.now(),
    status: 200, stream: false, modelAsked: 'gpt-4o-mini', model: 'gpt-4o-mini', provider: 'sim-openai',
    route: 'gpt-4o-mini (asked for by name); 1 deployment', usage, costUsd: 0.0000183, cacheStatus: 'none', durationMs: 3.2,
    attempts: [{ key: 'sim-openai/gpt-4o-mini', provider: 'sim-openai', model: 'gpt-4o-mini', upstreamModel: 'gpt-4o-mini', startedAt: now, startedAtWall: Date.now(), endedAt: now + 3, status: 200, usage, costUsd: 0.0000183 }],
  };
}

const records = Array.from({ length: BATCH }, record);
const perEntry = [];
let bytes = 0;
for (let round = 0; round < WARMUP_BATCHES + MEASURED_BATCHES; round += 1) {
  const start = process.cpuUsage();
  const batch = [];
  for (const finished of records) batch.push(entryToRows(toLedgerEntry(finished, price), nextId()));
  const posted = JSON.stringify(batch);
  const used = process.cpuUsage(start);
  bytes = posted.length / BATCH;
  if (round >= WARMUP_BATCHES) perEntry.push((used.user + used.system) / BATCH);
}
perEntry.sort((a, b) => a - b);
const at = (q) => perEntry[Math.min(perEntry.length - 1, Math.floor(q * perEntry.length))].toFixed(2);
const machine = machineInfo();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores; node ${machine.node}`);
console.log(`ledger record path: ${at(0.5)} µs per entry (p10 ${at(0.1)}, p90 ${at(0.9)}), ${bytes.toFixed(0)} bytes of JSON per entry, ${BATCH}-entry batches`);
