// Gateway overhead benchmark: the same upstream (the Switchyard simulator, time scale 0) measured
// directly, through a bare Node proxy, through Switchyard and optionally through peer gateways,
// for non-streamed and streamed chat completions, in one run. See docs/benchmarks.md.
//
//   npm run bench -- [--duration 10] [--warmup 2] [--connections 50] [--rounds 1] [--only nonstream|stream]
//                    [--tokens 25] [--peer portkey=http://127.0.0.1:8788] [--cpu-prof] [--cache off|miss]
//                    [--variant NAME=DIR] [--rate 500 [--rate 1000]]
//
// `--variant NAME=DIR` also starts the Switchyard built in another checkout DIR (its
// bin/switchyard.js and dist/) with the same config and measures it in the same rounds, so two
// builds are compared side by side (each against the bare proxy of the same round).
// `--rate R` switches to the open-loop mode (bench/open-loop.mjs): requests leave on a fixed
// schedule of R per second whatever the answers do, and latency counts from the scheduled send.
//
// Every request is the same, so the exact cache would answer all but the first: the benchmark
// config turns the cache off (`--cache off`, the default) to keep measuring the relay. `--cache
// miss` turns it on and sends `Cache-Control: no-store` to Switchyard, so every request pays the
// miss path (key hashing, a lookup that misses, the single-flight wrapper) and nothing is stored.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkTarget, quickCheck } from './check-answer.mjs';
import { installCleanup, machineInfo, runLoad, startChild, stopAll } from './harness.mjs';
import { runOpenLoop } from './open-loop.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const MODEL = 'gpt-4o-mini';
const MODES = ['nonstream', 'stream'];

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    tokens: { type: 'string', default: '25' },
    rounds: { type: 'string', default: '1' },
    only: { type: 'string' },
    peer: { type: 'string', multiple: true, default: [] },
    variant: { type: 'string', multiple: true, default: [] },
    rate: { type: 'string', multiple: true, default: [] },
    'cpu-prof': { type: 'boolean', default: false },
    // Measure the relay alone: Switchyard without its usage ledger (and so without virtual keys).
    'no-ledger': { type: 'boolean', default: false },
    cache: { type: 'string', default: 'off' },
  },
});
const duration = positive('duration');
const warmup = Number(flags.warmup);
const connections = positive('connections');
const tokens = positive('tokens');
const rounds = Math.ceil(positive('rounds'));
if (flags.only !== undefined && !MODES.includes(flags.only))
  usage(`--only must be one of ${MODES.join(', ')}`);
const modes = flags.only ? [flags.only] : MODES;
const peers = flags.peer.map(parsePeer);
const variants = flags.variant.map(parseVariant);
const rates = flags.rate.map((rate) => {
  const value = Number(rate);
  if (!(value > 0)) usage(`--rate must be a positive number, got "${rate}"`);
  return value;
});
if (!['off', 'miss'].includes(flags.cache)) usage('--cache must be off or miss');

function positive(name) {
  const value = Number(flags[name]);
  if (!(value > 0)) usage(`--${name} must be a positive number`);
  return value;
}
function usage(message) {
  process.stderr.write(`overhead: ${message}\n`);
  process.exit(2);
}

/** `NAME=URL`; URL is the peer's OpenAI base URL (`/v1` is assumed when it has no path). */
function parsePeer(spec) {
  const at = spec.indexOf('=');
  if (at < 1) usage(`--peer expects NAME=URL, got "${spec}"`);
  const url = new URL(spec.slice(at + 1));
  const base = url.pathname === '/' ? `${url.origin}/v1` : url.href.replace(/\/$/, '');
  return { name: spec.slice(0, at), base };
}

/** `NAME=DIR`: another checkout whose bin/switchyard.js (and built dist/) is started too. */
function parseVariant(spec) {
  const at = spec.indexOf('=');
  if (at < 1) usage(`--variant expects NAME=DIR, got "${spec}"`);
  const name = spec.slice(0, at);
  if (['direct', 'bare-proxy', 'switchyard'].includes(name))
    usage(`--variant name "${name}" is taken`);
  return { name, cli: path.join(path.resolve(spec.slice(at + 1)), 'bin', 'switchyard.js') };
}

/** Extra request headers a peer gateway needs to reach `upstreamBase` (an OpenAI-style base URL). */
function peerHeaders(name, upstreamBase) {
  if (name.toLowerCase().startsWith('portkey')) {
    return { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstreamBase };
  }
  return {};
}

function requestFor(target, mode) {
  const payload = {
    model: MODEL,
    messages: [{ role: 'user', content: `Write a Python hello world [[sim:tokens=${tokens}]]` }],
    ...(mode === 'stream' ? { stream: true } : {}),
  };
  return {
    url: target.url,
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer sk-anything',
      ...target.headers,
    },
    body: JSON.stringify(payload),
  };
}

async function startTargets(tmp) {
  const node = process.execPath;
  const cli = path.join(ROOT, 'bin', 'switchyard.js');
  const sim = await startChild(
    'simulator',
    node,
    [cli, 'sim', '--host', '127.0.0.1', '--port', '0', '--time-scale', '0'],
    {
      ready: /fleet on (http:\/\/[^\s]+)/,
    },
  );
  const upstreamBase = `${sim.url}/sim-openai/v1`;

  // One config per gateway process: each keeps its own data directory (its own SQLite ledger).
  const configFor = (name) => {
    const file = path.join(tmp, `${name}.yaml`);
    writeFileSync(
      file,
      [
        'server: { host: 127.0.0.1, port: 0 }',
        // Request log lines off, so figures compare with runs from before JSON logs were the default.
        'logging: { requests: false }',
        'providers:',
        `  sim-openai: { type: simulated, base_url: ${upstreamBase} }`,
        'models:',
        `  ${MODEL}: { deployments: [{ provider: sim-openai }] }`,
        `data_dir: ${path.join(tmp, `data-${name}`)}`,
        `cache: { enabled: ${flags.cache === 'miss'} }`,
        ...(flags['no-ledger']
          ? ['ledger: { enabled: false }']
          : process.env.BENCH_LEDGER_BATCH
            ? [`ledger: { batch_size: ${process.env.BENCH_LEDGER_BATCH} }`]
            : []),
        '',
      ].join('\n'),
    );
    return file;
  };
  const profDir = path.join(RESULTS_DIR, `cpu-prof-${stamp}`);
  const prof = (name) =>
    flags['cpu-prof']
      ? ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-name', `${name}.cpuprofile`]
      : [];
  const [bare, gateway, ...others] = await Promise.all([
    startChild(
      'bare-proxy',
      node,
      [
        ...prof('bare-proxy'),
        path.join(ROOT, 'bench', 'bare-proxy.mjs'),
        '--upstream',
        upstreamBase,
        '--port',
        '0',
      ],
      {
        ready: /listening on (http:\/\/[^\s]+)/,
      },
    ),
    startChild(
      'switchyard',
      node,
      [
        ...prof('switchyard'),
        cli,
        'serve',
        '--config',
        configFor('switchyard'),
        '--host',
        '127.0.0.1',
        '--port',
        '0',
      ],
      {
        ready: /listening on (http:\/\/[^\s]+)/,
      },
    ),
    ...variants.map((variant) =>
      startChild(
        variant.name,
        node,
        [
          ...prof(variant.name),
          variant.cli,
          'serve',
          '--config',
          configFor(variant.name),
          '--host',
          '127.0.0.1',
          '--port',
          '0',
        ],
        {
          ready: /listening on (http:\/\/[^\s]+)/,
        },
      ),
    ),
  ]);
  if (flags['cpu-prof'])
    process.stderr.write(
      `CPU profiles of bare-proxy and switchyard → ${path.relative(ROOT, profDir)}/ (written when they stop)\n`,
    );
  return {
    upstreamBase,
    targets: [
      { name: 'direct', url: `${upstreamBase}/chat/completions`, headers: {} },
      {
        name: 'bare-proxy',
        url: `${bare.url}/v1/chat/completions`,
        headers: {},
        pid: bare.child.pid,
      },
      {
        name: 'switchyard',
        url: `${gateway.url}/v1/chat/completions`,
        headers: flags.cache === 'miss' ? { 'cache-control': 'no-store' } : {},
        pid: gateway.child.pid,
      },
      ...others.map((other) => ({
        name: other.name,
        url: `${other.url}/v1/chat/completions`,
        headers: flags.cache === 'miss' ? { 'cache-control': 'no-store' } : {},
        pid: other.child.pid,
        variant: true,
      })),
      ...peers.map((peer) => ({
        name: peer.name,
        url: `${peer.base}/chat/completions`,
        headers: peerHeaders(peer.name, upstreamBase),
      })),
    ],
  };
}

/** Several rounds of one target and mode: the median of each figure, errors summed, every round kept. */
function combine(results) {
  if (results.length === 1) return results[0];
  const median = (key) => {
    const sorted = results.map((r) => r[key]).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const sum = (key) => results.reduce((total, r) => total + r[key], 0);
  const cpu = results.every((r) => r.cpuUsPerRequest !== undefined)
    ? median('cpuUsPerRequest')
    : undefined;
  const machineCpu = results.every((r) => r.machineCpuUsPerRequest !== undefined)
    ? median('machineCpuUsPerRequest')
    : undefined;
  return {
    reqPerSec: median('reqPerSec'),
    cpuUsPerRequest: cpu,
    machineCpuUsPerRequest: machineCpu,
    p50Ms: median('p50Ms'),
    p90Ms: median('p90Ms'),
    p99Ms: median('p99Ms'),
    maxMs: Math.max(...results.map((r) => r.maxMs)),
    ok: sum('ok'),
    errors: sum('errors'),
    rounds: results,
  };
}

/**
 * The request rate at which this workload would keep every core busy: cores / (machine CPU per
 * request). The load generator and the upstream are part of it, so no proxy of that per-request
 * cost can go faster on this machine, however many processes it runs.
 */
function ceiling(row) {
  return (machine.cores * 1e6) / row.machineCpuUsPerRequest;
}

function fmt(n, digits) {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

function table(rows) {
  const header = [
    'target',
    'mode',
    'req/s',
    'cpu µs/req',
    'machine µs/req',
    'ceiling req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'vs bare',
  ];
  const lines = rows.map((r) => [
    r.target,
    r.mode,
    fmt(r.reqPerSec, 0),
    r.cpuUsPerRequest === undefined ? '-' : fmt(r.cpuUsPerRequest, 0),
    r.machineCpuUsPerRequest === undefined ? '-' : fmt(r.machineCpuUsPerRequest, 0),
    r.machineCpuUsPerRequest === undefined ? '-' : fmt(ceiling(r), 0),
    fmt(r.p50Ms, 2),
    fmt(r.p99Ms, 2),
    String(r.errors),
    r.ratioToBare === null ? '-' : `${fmt(r.ratioToBare * 100, 0)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    row(header),
    `|${widths.map((w, i) => (i < 2 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`,
    ...lines.map(row),
  ].join('\n');
}

/** Switchyard against the project's goals: ≥ 60% of the bare proxy, ≥ 10× each peer gateway. */
function goalLines(rows) {
  const sy = rows.filter((r) => r.target === 'switchyard');
  // With several rounds, each round's own ratio too: both targets ran seconds apart in it, so the
  // spread of these shows how much the machine's noise moves the result.
  const perRound = (r, other, show) => {
    if (!r.rounds || !other.rounds || r.rounds.length !== other.rounds.length) return '';
    return ` [rounds: ${r.rounds.map((round, i) => (other.rounds[i].reqPerSec > 0 ? show(round.reqPerSec / other.rounds[i].reqPerSec) : '-')).join(' ')}]`;
  };
  const versus = (name, show, goal, subject = sy) =>
    subject
      .map((r) => {
        const other = rows.find((o) => o.mode === r.mode && o.target === name);
        return other?.reqPerSec > 0
          ? `${r.mode} ${show(r.reqPerSec / other.reqPerSec)}${goal(r.reqPerSec / other.reqPerSec) ? '' : ' (below goal)'}${perRound(r, other, show)}`
          : undefined;
      })
      .filter(Boolean)
      .join(', ');
  const variantNames = variants.map((variant) => variant.name);
  const names = [...new Set(rows.map((r) => r.target))].filter(
    (n) => !['direct', 'bare-proxy', 'switchyard', ...variantNames].includes(n),
  );
  const cpuLine = sy
    .map((r) => {
      const bare = rows.find((o) => o.mode === r.mode && o.target === 'bare-proxy');
      if (r.cpuUsPerRequest === undefined || !(bare?.cpuUsPerRequest > 0)) return undefined;
      const rounds =
        r.rounds && bare.rounds && r.rounds.length === bare.rounds.length
          ? ` [rounds: ${r.rounds.map((round, i) => fmt(round.cpuUsPerRequest / bare.rounds[i].cpuUsPerRequest, 2)).join(' ')}]`
          : '';
      return `${r.mode} ${fmt(r.cpuUsPerRequest / bare.cpuUsPerRequest, 2)}×${rounds}`;
    })
    .filter(Boolean)
    .join(', ');
  // What 10× a peer asks of this machine: the rate it names against the machine's ceiling for the
  // bare proxy's and Switchyard's per-request cost (measured in the same run).
  const ceilingLines = names.flatMap((name) =>
    sy
      .map((r) => {
        const peer = rows.find((o) => o.mode === r.mode && o.target === name);
        const bare = rows.find((o) => o.mode === r.mode && o.target === 'bare-proxy');
        if (
          !(peer?.reqPerSec > 0) ||
          r.machineCpuUsPerRequest === undefined ||
          bare?.machineCpuUsPerRequest === undefined
        )
          return undefined;
        return `${r.mode}: 10× ${name} = ${fmt(10 * peer.reqPerSec, 0)} req/s; machine ceiling (${machine.cores} cores fully busy) for bare-proxy ${fmt(ceiling(bare), 0)}, for switchyard ${fmt(ceiling(r), 0)} req/s`;
      })
      .filter(Boolean),
  );
  return [
    `switchyard / bare-proxy (goal ≥ 60%): ${versus(
      'bare-proxy',
      (x) => `${fmt(x * 100, 0)}%`,
      (x) => x >= 0.6,
    )}`,
    ...(cpuLine
      ? [
          `CPU per request, switchyard (all its threads, ledger writer included) / bare-proxy: ${cpuLine}`,
        ]
      : []),
    ...variantNames.flatMap((name) => {
      const subject = rows.filter((r) => r.target === name);
      return [
        `${name} / bare-proxy: ${versus(
          'bare-proxy',
          (x) => `${fmt(x * 100, 0)}%`,
          () => true,
          subject,
        )}`,
        `${name} / switchyard: ${versus(
          'switchyard',
          (x) => fmt(x, 3),
          () => true,
          subject,
        )}`,
      ];
    }),
    ...names.map(
      (name) =>
        `switchyard / ${name} (goal ≥ 10×): ${versus(
          name,
          (x) => `${fmt(x, 1)}×`,
          (x) => x >= 10,
        )}`,
    ),
    ...ceilingLines,
  ];
}

/**
 * The open-loop mode (`--rate`): every target but the direct upstream, at each rate and mode,
 * round-robin; then the latency Switchyard (and each variant) adds over the bare proxy, per round
 * (both ran seconds apart) and as the median of the rounds.
 */
async function fixedRate(targets, upstreamBase, checks) {
  const measuredTargets = targets.filter((target) => target.name !== 'direct');
  const results = new Map();
  const key = (name, mode, rate) => `${name}/${mode}/${rate}`;
  for (let round = 1; round <= rounds; round++) {
    for (const rate of rates) {
      for (const mode of modes) {
        for (const target of measuredTargets) {
          process.stderr.write(
            `  ${rounds > 1 ? `round ${round} ` : ''}${String(rate).padStart(5)}/s ${mode.padEnd(9)} ${target.name.padEnd(12)} `,
          );
          const result = await runOpenLoop({
            ...requestFor(target, mode),
            rate,
            warmup,
            duration,
            verifyBody: quickCheck(mode === 'stream'),
          });
          process.stderr.write(
            `p50 ${fmt(result.p50Ms, 2)} ms, p99 ${fmt(result.p99Ms, 2)} ms${result.errors ? `, ${result.errors} errors` : ''}\n`,
          );
          const list = results.get(key(target.name, mode, rate)) ?? [];
          list.push(result);
          results.set(key(target.name, mode, rate), list);
        }
      }
    }
  }
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const header = [
    'target',
    'mode',
    'rate/s',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'p99.9 ms',
    'max ms',
    'errors',
    'generator lag p99 ms',
    'added p50 ms',
    'added p99 ms',
  ];
  const rows = [];
  const added = [];
  for (const rate of rates) {
    for (const mode of modes) {
      const bare = results.get(key('bare-proxy', mode, rate));
      for (const target of measuredTargets) {
        const list = results.get(key(target.name, mode, rate));
        const delta = (field) => list.map((r, i) => r[field] - bare[i][field]);
        const isBare = target.name === 'bare-proxy';
        rows.push([
          target.name,
          mode,
          String(rate),
          fmt(median(list.map((r) => r.p50Ms)), 2),
          fmt(median(list.map((r) => r.p90Ms)), 2),
          fmt(median(list.map((r) => r.p99Ms)), 2),
          fmt(median(list.map((r) => r.p999Ms)), 2),
          fmt(Math.max(...list.map((r) => r.maxMs)), 2),
          String(list.reduce((n, r) => n + r.errors, 0)),
          fmt(median(list.map((r) => r.lagP99Ms)), 2),
          isBare ? '-' : fmt(median(delta('p50Ms')), 2),
          isBare ? '-' : fmt(median(delta('p99Ms')), 2),
        ]);
        if (!isBare) {
          const rounds =
            list.length > 1
              ? ` [rounds: p50 ${delta('p50Ms')
                  .map((d) => fmt(d, 2))
                  .join(' ')}; p99 ${delta('p99Ms')
                  .map((d) => fmt(d, 2))
                  .join(' ')}]`
              : '';
          added.push(
            `${target.name} at ${rate}/s, ${mode}: added p50 ${fmt(median(delta('p50Ms')), 2)} ms, p99 ${fmt(median(delta('p99Ms')), 2)} ms${target.name === 'switchyard' && rate === 500 ? (median(delta('p99Ms')) <= 1 ? ' (goal p99 ≤ 1 ms met)' : ' (goal p99 ≤ 1 ms not met)') : ''}${rounds}`,
          );
        }
      }
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((l) => l[i].length)));
  const line = (cells) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const lines = [
    '',
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}; node ${machine.node}; load avg at start ${machine.loadAvg.join(' ')}`,
    `command: ${command}`,
    `upstream: switchyard simulator (time scale 0), model ${MODEL}, ${tokens}-token answers; open loop at ${rates.join(', ')} req/s, latency from the scheduled send to the last byte; ${warmup} s warm-up + ${duration} s measured${rounds > 1 ? ` × ${rounds} rounds (medians)` : ''}; Switchyard cache ${flags.cache === 'miss' ? 'on, every request a miss (no-store)' : 'off'}`,
    '',
    line(header),
    `|${widths.map((w, i) => (i < 2 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`,
    ...rows.map(line),
    '',
    'added = target minus the bare proxy in the same round (median over rounds). A large generator lag means the load generator fell behind its schedule.',
    ...added,
  ];
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `overhead-rate-${stamp}.json`);
  const json = {
    startedAt: stamp,
    command,
    machine,
    options: {
      duration,
      warmup,
      rounds,
      tokens,
      modes,
      rates,
      model: MODEL,
      upstreamBase,
      cache: flags.cache,
    },
    checks,
    results: Object.fromEntries(results),
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  lines.push(`results: ${path.relative(ROOT, file)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const command = `npm run bench --${process.argv
  .slice(2)
  .map((a) => ` ${a}`)
  .join('')}`.replace(/ --$/, '');
const machine = machineInfo();
const perRunS = warmup + duration + 3;
installCleanup(
  (30 +
    rounds *
      (3 + peers.length + variants.length) *
      modes.length *
      Math.max(1, rates.length) *
      (perRunS + 10)) *
    1000,
);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-'));
try {
  process.stderr.write(`starting simulator, bare proxy and switchyard…\n`);
  const { upstreamBase, targets } = await startTargets(tmp);

  const checks = {};
  for (const target of targets) {
    for (const mode of modes) {
      try {
        checks[`${target.name}/${mode}`] = await checkTarget(
          requestFor(target, mode),
          mode === 'stream',
        );
      } catch (error) {
        throw new Error(
          `pre-flight check failed for ${target.name} (${mode}, ${target.url}): ${error.message}`,
        );
      }
    }
  }
  process.stderr.write(
    `all targets answer correctly; measuring ${warmup} s warm-up + ${duration} s per target and mode, ${connections} connections\n`,
  );
  if (rates.length > 0) {
    await fixedRate(targets, upstreamBase, checks);
  } else {
    // Round-robin over targets, so a burst of noise from a shared machine hits one round, not one target.
    const runs = new Map(
      targets.flatMap((target) => modes.map((mode) => [`${target.name}/${mode}`, []])),
    );
    // Switchyard and its variants also rotate their order each round, so none of them always runs
    // right after the bare proxy (or after another gateway's ledger writer catching up).
    const gateways = targets.filter((target) => target.name === 'switchyard' || target.variant);
    const orderFor = (round) => {
      const shift = (round - 1) % gateways.length;
      const rotated = [...gateways.slice(shift), ...gateways.slice(0, shift)];
      let next = 0;
      return targets.map((target) =>
        target.name === 'switchyard' || target.variant ? rotated[next++] : target,
      );
    };
    for (let round = 1; round <= rounds; round++) {
      for (const mode of modes) {
        for (const target of orderFor(round)) {
          process.stderr.write(
            `  ${rounds > 1 ? `round ${round} ` : ''}${mode.padEnd(9)} ${target.name.padEnd(12)} `,
          );
          const result = await runLoad({
            ...requestFor(target, mode),
            connections,
            warmup,
            duration,
            verifyBody: quickCheck(mode === 'stream'),
            cpuPid: target.pid,
          });
          process.stderr.write(
            `${fmt(result.reqPerSec, 0)} req/s${result.errors ? `, ${result.errors} errors` : ''}\n`,
          );
          runs.get(`${target.name}/${mode}`).push(result);
        }
      }
    }
    const rows = modes.flatMap((mode) =>
      targets.map((target) => ({
        target: target.name,
        mode,
        url: target.url,
        ...combine(runs.get(`${target.name}/${mode}`)),
      })),
    );
    for (const row of rows) {
      const bare = rows.find((r) => r.mode === row.mode && r.target === 'bare-proxy');
      row.ratioToBare = bare && bare.reqPerSec > 0 ? row.reqPerSec / bare.reqPerSec : null;
    }

    const lines = [
      '',
      `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}; node ${machine.node}; load avg at start ${machine.loadAvg.join(' ')}`,
      `command: ${command}`,
      `upstream: switchyard simulator (time scale 0) at ${upstreamBase}, model ${MODEL}, ${tokens}-token answers; ${connections} connections, ${warmup} s warm-up + ${duration} s measured${rounds > 1 ? ` × ${rounds} rounds (medians)` : ''}; all processes on loopback; Switchyard cache ${flags.cache === 'miss' ? 'on, every request a miss (no-store)' : 'off'}`,
      '',
      table(rows),
      '',
      'req/s counts 2xx responses that passed the body check; errors = non-2xx + transport errors/timeouts + bad bodies.',
      ...goalLines(rows),
    ];
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `overhead-${stamp}.json`);
    const json = {
      startedAt: stamp,
      command,
      machine,
      options: {
        duration,
        warmup,
        connections,
        rounds,
        tokens,
        modes,
        model: MODEL,
        upstreamBase,
        cache: flags.cache,
      },
      checks,
      results: rows,
    };
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    lines.push(`results: ${path.relative(ROOT, file)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
} catch (error) {
  process.stderr.write(`\noverhead: ${error.message}\n`);
  process.exitCode = 1;
} finally {
  await stopAll();
  rmSync(tmp, { recursive: true, force: true });
}
