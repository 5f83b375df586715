// The throughput cost of each ledger durability mode: `batch` (entries wait in memory for their
// batch, ledger.flush_ms bounds what a SIGKILL loses) against `journal` (each answered request is
// group-committed to a local journal, one fdatasync per batch, before its response ends). Each
// round starts one `switchyard serve` per mode (embedded simulator at time scale 0, SQLite ledger,
// its own data directory) and loads it with autocannon; modes alternate within a round.
//
//   npm run build && node bench/ledger-durability.mjs [--rounds 2] [--connections 32] [--duration 5]
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { embeddedConfigFile } from '../dist/config/load-config.js';
import { installCleanup, machineInfo, runLoad, startChild, stopChild } from './harness.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
  },
});
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
installCleanup((rounds * 2 * (duration + warmup + 15) + 30) * 1000);

const MODES = [
  { name: 'batch (flush_ms 250)', ledger: { durability: 'batch', flush_ms: 250 } },
  { name: 'journal', ledger: { durability: 'journal', flush_ms: 250 } },
];
const body = JSON.stringify({
  model: 'auto',
  messages: [{ role: 'user', content: 'Say hi' }],
});
const bin = path.resolve(import.meta.dirname, '../bin/switchyard.js');

const results = MODES.map(() => []);
for (let round = 0; round < rounds; round += 1) {
  for (const [index, mode] of MODES.entries()) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-durability-'));
    const configPath = path.join(dataDir, 'switchyard.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        ...embeddedConfigFile(),
        data_dir: dataDir,
        server: { host: '127.0.0.1', port: 0 },
        simulator: { enabled: true, time_scale: 0 },
        ledger: mode.ledger,
        logging: { requests: false },
      }),
    );
    const gateway = await startChild(
      'switchyard',
      process.execPath,
      [bin, 'serve', '--config', configPath],
      {
        ready: /listening on (http:\/\/[^\s]+)/,
      },
    );
    const result = await runLoad({
      url: `${gateway.url}/v1/chat/completions`,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
      body,
      connections,
      warmup,
      duration,
      cpuPid: gateway.child.pid,
    });
    await stopChild(gateway, 10_000);
    results[index].push(result);
    process.stderr.write(
      `round ${round + 1} ${mode.name}: ${result.reqPerSec.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, errors ${result.errors}\n`,
    );
  }
}

const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const info = machineInfo();
console.log(
  `\n${info.cpu}, ${info.cores} cores, Node ${process.versions.node}, load average ${os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
);
console.log(
  `${connections} connections, ${duration} s measured after ${warmup} s warm-up, ${rounds} rounds (median)\n`,
);
console.log('| mode | req/s | p50 ms | p99 ms | gateway CPU µs/request |');
console.log('|---|---:|---:|---:|---:|');
for (const [index, mode] of MODES.entries()) {
  const runs = results[index];
  const cpu = median(runs.map((run) => run.cpuUsPerRequest ?? Number.NaN));
  console.log(
    `| ${mode.name} | ${median(runs.map((run) => run.reqPerSec)).toFixed(0)} | ${median(runs.map((run) => run.p50Ms)).toFixed(1)} | ${median(runs.map((run) => run.p99Ms)).toFixed(1)} | ${cpu.toFixed(0)} |`,
  );
}
