// Normal-request latency while 200 slowloris connections are held open, against the same probe
// with no attackers. The gateway (`switchyard serve`, embedded simulator at time scale 0) runs with
// an event-loop delay probe preloaded; the attackers run in their own process; the probe sends
// sequential chat completions on 4 keep-alive connections from this process and times each.
//
//   npm run build && node bench/slowloris.mjs [--rounds 2] [--attackers 200] [--seconds 3]
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { embeddedConfigFile } from '../dist/config/load-config.js';
import { installCleanup, processCpuMs, startChild, stopChild } from './harness.mjs';
import { timedChat } from './slowloris/clients.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    attackers: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '3' },
  },
});
const rounds = Number(values.rounds);
const attackers = Number(values.attackers);
const seconds = Number(values.seconds);
installCleanup((rounds * (2 * seconds + 20) + 30) * 1000);

const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
const here = import.meta.dirname;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-slowloris-'));
const configPath = path.join(dataDir, 'switchyard.json');
writeFileSync(
  configPath,
  JSON.stringify({
    ...embeddedConfigFile(),
    data_dir: dataDir,
    server: {
      host: '127.0.0.1',
      port: 0,
      headers_timeout_ms: HEADERS_TIMEOUT_MS,
      request_timeout_ms: REQUEST_TIMEOUT_MS,
    },
    simulator: { enabled: true, time_scale: 0 },
    logging: { requests: false },
  }),
);
const gateway = await startChild(
  'switchyard',
  process.execPath,
  [
    '--require',
    path.join(here, 'slowloris/event-loop-probe.cjs'),
    path.join(here, '../bin/switchyard.js'),
    'serve',
    '--config',
    configPath,
  ],
  { ready: /listening on (http:\/\/[^\s]+)/ },
);
const loopLines = () =>
  [...gateway.output.matchAll(/event-loop-delay p50=([\d.]+) p99=([\d.]+) max=([\d.]+)/g)].map(
    (match) => ({
      p99: Number(match[2]),
      max: Number(match[3]),
    }),
  );

async function probe(durationMs) {
  const cpuBefore = processCpuMs(gateway.child.pid);
  const startedAt = performance.now();
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const latencies = [];
  const until = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() < until) latencies.push(await timedChat(gateway.url, agent));
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  const cpuMs = processCpuMs(gateway.child.pid) - cpuBefore;
  return {
    requests: latencies.length,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.at(-1),
    // The gateway's CPU use in the window (share of one core) and per normal request.
    cpuShare: cpuMs / (performance.now() - startedAt),
    cpuMsPerRequest: cpuMs / latencies.length,
  };
}

const format = (result) =>
  `${result.requests} requests, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms; gateway CPU ${(result.cpuShare * 100).toFixed(0)}% of a core, ${result.cpuMsPerRequest.toFixed(2)} ms per request`;
const loopSince = (from) => {
  const lines = loopLines().slice(from);
  return lines.length === 0
    ? 'no samples'
    : `event loop p99 ≤ ${Math.max(...lines.map((line) => line.p99)).toFixed(1)} ms, max ${Math.max(...lines.map((line) => line.max)).toFixed(1)} ms`;
};

await probe(1000); // warm-up
for (let round = 1; round <= rounds; round += 1) {
  let mark = loopLines().length;
  const alone = await probe(seconds * 1000);
  console.log(
    `round ${round}, no attackers:   ${format(alone)}; ${loopSince(mark)}; load ${os.loadavg()[0].toFixed(1)}`,
  );
  mark = loopLines().length;
  const attack = spawn(
    process.execPath,
    [path.join(here, 'slowloris/attackers.mjs'), gateway.url, String(attackers)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let report = '';
  attack.stdout.on('data', (chunk) => (report += chunk));
  const finished = new Promise((resolve) => attack.once('exit', resolve));
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the attackers connect
  const underAttack = await probe(REQUEST_TIMEOUT_MS + 500);
  await finished;
  console.log(
    `round ${round}, ${attackers} slowloris: ${format(underAttack)}; ${loopSince(mark)}; attackers ${report.trim()}; load ${os.loadavg()[0].toFixed(1)}`,
  );
}
await stopChild(gateway);
