// Routing benchmark: tunes and learns on --train, reports on every --eval row. Requests go through
// a real gateway (in-process, loopback, no ledger) to the simulator, which replays each model's
// recorded answer. See docs/benchmarks.md ("Routing").
//
//   npm run bench:routing -- --train FILE --eval FILE [--holdout 0.4] [--json OUT]
//       [--seed 1] [--concurrency 8] [--time-scale 0.02] [--limit N]
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { formatBenchTable } from './format-bench-table.js';
import { jsonSummary, runRoutingBench } from './routing-bench.js';

const { values: flags } = parseArgs({
  options: {
    train: { type: 'string' },
    eval: { type: 'string' },
    holdout: { type: 'string' },
    json: { type: 'string' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
    'time-scale': { type: 'string', default: '0.02' },
    limit: { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`bench:routing: ${message}\n`);
  process.exit(2);
}

if (flags.train === undefined || flags.eval === undefined)
  fail('usage: npm run bench:routing -- --train FILE --eval FILE [--holdout F] [--json OUT]');
const seed = Number(flags.seed);
const concurrency = Number(flags.concurrency);
const timeScale = Number(flags['time-scale']);
const holdout = flags.holdout === undefined ? undefined : Number(flags.holdout);
const limit = flags.limit === undefined ? undefined : Number(flags.limit);
if (!Number.isInteger(seed)) fail('--seed must be an integer');
if (!(concurrency >= 1)) fail('--concurrency must be at least 1');
if (!(timeScale > 0 && timeScale <= 1)) fail('--time-scale must be in (0, 1]');
if (holdout !== undefined && !(holdout > 0 && holdout < 1))
  fail('--holdout must be between 0 and 1');
if (limit !== undefined && !(Number.isInteger(limit) && limit >= 5))
  fail('--limit must be an integer ≥ 5');

const watchdog = setTimeout(() => {
  process.stderr.write('bench:routing: watchdog: the run exceeded 300 s, stopping\n');
  process.exit(1);
}, 300_000);

const startedAt = new Date();
const result = await runRoutingBench({
  trainFile: flags.train,
  evalFile: flags.eval,
  ...(holdout === undefined ? {} : { holdout }),
  ...(limit === undefined ? {} : { limit }),
  seed,
  concurrency,
  timeScale,
  log: (line) => process.stdout.write(`${line}\n`),
});
const meta = {
  command: `npm run bench:routing -- ${process.argv.slice(2).join(' ')}`.trim(),
  startedAt: startedAt.toISOString(),
  node: process.version,
  cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
  seconds: Math.round(result.seconds),
};
process.stdout.write(`\n${formatBenchTable(meta, result)}\n`);
if (flags.json !== undefined) {
  writeFileSync(flags.json, `${JSON.stringify({ meta, ...jsonSummary(result) }, null, 2)}\n`);
  process.stdout.write(`figures written to ${flags.json}\n`);
}
clearTimeout(watchdog);
