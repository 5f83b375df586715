// Cache, single-flight and batching benchmark (docs/cache.md, docs/benchmarks.md).
//
//   npm run bench:cache -- [--part key|miss|hit|replay|batch|all] [--duration 8] [--warmup 2] [--connections 50]
//                          [--requests 400] [--concurrency 8] [--repeat-share 0.5] [--no-ledger]
//
// hit:    the same chat request at `connections` concurrency, measured directly against the
//         simulator, through the bare proxy, and through Switchyard where every request is a cache
//         hit (one warm-up request stores it): no upstream call at all.
// replay: a repetitive coding workload (test stubs, docstrings, names) with repeats, replayed at
//         `concurrency` against Switchyard with the simulator at real speed (time scale 1);
//         reports hits, shared calls and the share of upstream tokens and cost saved.
// miss:   the miss path against the cache turned off, A/B in alternating rounds on one simulator:
//         cache off; cache on with `Cache-Control: no-store` (key, lookup, flight; nothing stored);
//         cache on with every prompt distinct (the whole miss path, entries stored and evicted).
// key:    the cost of computing one cache key (normalize + sorted JSON + SHA-256) in process,
//         for a typical chat request (system prompt, a 1.5 KB user message with code, one tool).
// batch:  small /v1/completions with distinct prompts at `connections` concurrency, Switchyard
//         with and without micro-batching on the deployment (cache off in both): client req/s,
//         latency, and upstream calls per client request.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { request as httpRequest } from 'undici';
import autocannon from 'autocannon';
import { installCleanup, machineInfo, runLoad, startChild, stopAll } from './harness.mjs';
import { quickCheck } from './check-answer.mjs';
import { seededRandom } from '../dist/usage/ledger/ledger-fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin', 'switchyard.js');
const { values: flags } = parseArgs({
  options: {
    part: { type: 'string', default: 'all' },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    requests: { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '8' },
    'repeat-share': { type: 'string', default: '0.5' },
    'no-ledger': { type: 'boolean', default: false },
  },
});
const parts = flags.part === 'all' ? ['key', 'miss', 'hit', 'replay', 'batch'] : [flags.part];
const duration = Number(flags.duration);
const warmup = Number(flags.warmup);
const connections = Number(flags.connections);
installCleanup(170_000);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-cache-'));
const out = [];
const log = (line) => process.stderr.write(`${line}\n`);
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

async function startSim(timeScale) {
  return startChild(
    `sim-${timeScale}`,
    process.execPath,
    [CLI, 'sim', '--host', '127.0.0.1', '--port', '0', '--time-scale', String(timeScale)],
    { ready: /fleet on (http:\/\/[^\s]+)/ },
  );
}

let configCount = 0;
async function startGateway(simUrl, extra) {
  const file = path.join(tmp, `config-${configCount++}.yaml`);
  writeFileSync(
    file,
    [
      'server: { host: 127.0.0.1, port: 0 }',
      'providers:',
      `  sim-openai: { type: simulated, base_url: ${simUrl}/sim-openai/v1 }`,
      `  sim-qwen: { type: simulated, base_url: ${simUrl}/sim-qwen/v1 }`,
      'models:',
      '  gpt-4o-mini: { deployments: [{ provider: sim-openai }] }',
      '  qwen2.5-coder-7b-instruct: { deployments: [{ provider: sim-qwen }] }',
      'routing: { default_model: gpt-4o-mini }',
      `data_dir: ${path.join(tmp, `data-${configCount}`)}`,
      ...(flags['no-ledger'] ? ['ledger: { enabled: false }'] : []),
      ...extra,
      '',
    ].join('\n'),
  );
  return startChild(
    `switchyard-${configCount}`,
    process.execPath,
    [CLI, 'serve', '--config', file, '--host', '127.0.0.1', '--port', '0'],
    { ready: /listening on (http:\/\/[^\s]+)/ },
  );
}

async function post(url, body, headers = {}) {
  const started = performance.now();
  const response = await httpRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    json: response.statusCode === 200 ? JSON.parse(text) : undefined,
    ms: performance.now() - started,
  };
}

async function simStats(simUrl) {
  const response = await httpRequest(`${simUrl}/_sim/stats`);
  return response.body.json();
}

async function hitPart() {
  const sim = await startSim(0);
  const bare = await startChild(
    'bare-proxy',
    process.execPath,
    [
      path.join(ROOT, 'bench', 'bare-proxy.mjs'),
      '--upstream',
      `${sim.url}/sim-openai/v1`,
      '--port',
      '0',
    ],
    { ready: /listening on (http:\/\/[^\s]+)/ },
  );
  const gateway = await startGateway(sim.url, ['cache: { ttl_seconds: 3600 }']);
  const body = JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Write a Python hello world [[sim:tokens=25]]' }],
  });
  const headers = { 'content-type': 'application/json' };
  const first = await post(`${gateway.url}/v1/chat/completions`, JSON.parse(body));
  const second = await post(`${gateway.url}/v1/chat/completions`, JSON.parse(body));
  if (second.headers['x-switchyard-cache'] !== 'hit')
    throw new Error(
      `expected a hit, got ${second.headers['x-switchyard-cache']} (first: ${first.headers['x-switchyard-cache']})`,
    );
  const targets = [
    ['direct', `${sim.url}/sim-openai/v1/chat/completions`],
    ['bare-proxy', `${bare.url}/v1/chat/completions`],
    ['switchyard (hit)', `${gateway.url}/v1/chat/completions`],
  ];
  const rows = [];
  for (const [name, url] of targets) {
    log(`  hit: ${name}…`);
    const before = await simStats(sim.url);
    const result = await runLoad({
      url,
      headers,
      body,
      connections,
      warmup,
      duration,
      verifyBody: quickCheck(false),
    });
    const after = await simStats(sim.url);
    rows.push({ name, ...result, upstream: after.requests - before.requests });
  }
  out.push(
    '### Cache-hit path (non-streamed chat, identical requests)',
    '',
    '| target | req/s | p50 ms | p99 ms | errors | upstream calls |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${fmt(r.reqPerSec)} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ${r.errors} | ${r.upstream} |`,
    ),
    '',
  );
  await Promise.all([sim.stop(), bare.stop(), gateway.stop()]);
  return rows;
}

function workload(count, repeatShare) {
  const next = seededRandom(42);
  const functions = [
    'parse_date',
    'slugify',
    'merge_intervals',
    'lru_get',
    'retry_with_backoff',
    'flatten',
    'chunk',
    'dedupe',
    'to_snake_case',
    'read_config',
    'top_k',
    'is_palindrome',
  ];
  const kinds = [
    (fn) => `Write a pytest test stub for ${fn}(). Only the test function.`,
    (fn) => `Write a one-line docstring for def ${fn}(...):`,
    (fn) => `Suggest a better name for the variable tmp in ${fn}.`,
  ];
  const seen = [];
  const requests = [];
  for (let index = 0; index < count; index++) {
    let prompt;
    if (seen.length > 0 && next() < repeatShare)
      prompt = seen[Math.floor(next() ** 2 * seen.length)];
    else {
      const fn = functions[Math.floor(next() * functions.length)];
      prompt = `${kinds[Math.floor(next() * kinds.length)](fn)} (file ${Math.floor(next() * 1000)}.py) [[sim:tokens=${40 + Math.floor(next() * 80)}]]`;
      seen.push(prompt);
    }
    requests.push({
      model: 'gpt-4o-mini',
      temperature: 0,
      messages: [
        { role: 'system', content: 'You are a coding assistant.' },
        { role: 'user', content: prompt },
      ],
    });
  }
  return { requests, distinct: seen.length };
}

async function replayPart() {
  const sim = await startSim(1);
  const gateway = await startGateway(sim.url, []);
  const { requests, distinct } = workload(Number(flags.requests), Number(flags['repeat-share']));
  const statuses = {};
  let tokensServed = 0;
  let tokensUpstream = 0;
  let costUpstream = 0;
  const costOf = new Map();
  const pending = [];
  let cursor = 0;
  const started = performance.now();
  const worker = async () => {
    while (cursor < requests.length) {
      const body = requests[cursor++];
      const answer = await post(`${gateway.url}/v1/chat/completions`, body);
      const status = answer.headers['x-switchyard-cache'];
      statuses[status] = (statuses[status] ?? 0) + 1;
      const tokens = answer.json.usage.prompt_tokens + answer.json.usage.completion_tokens;
      tokensServed += tokens;
      const key = JSON.stringify(body);
      if (status === 'miss') {
        tokensUpstream += tokens;
        const cost = Number(answer.headers['x-switchyard-cost-usd']);
        costUpstream += cost;
        costOf.set(key, cost);
      } else pending.push(key);
    }
  };
  await Promise.all(Array.from({ length: Number(flags.concurrency) }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const costSaved = pending.reduce((sum, key) => sum + (costOf.get(key) ?? 0), 0);
  const upstream = (await simStats(sim.url)).requests;
  out.push(
    '### Replay of a repetitive workload',
    '',
    `${requests.length} chat requests (test stubs, docstrings, names; ${distinct} distinct, repeat share ${flags['repeat-share']}, seeded), ${flags.concurrency} at a time, simulator at real speed; ${fmt(elapsed, 1)} s.`,
    '',
    `| cache status | requests |`,
    '|---|---:|',
    ...Object.entries(statuses).map(([status, n]) => `| ${status} | ${n} |`),
    '',
    `upstream calls: ${upstream} for ${requests.length} requests; tokens served ${tokensServed}, sent upstream ${tokensUpstream} → ${fmt((1 - tokensUpstream / tokensServed) * 100, 1)}% of tokens saved; cost upstream $${costUpstream.toFixed(6)}, saved $${costSaved.toFixed(6)} → ${fmt((costSaved / (costUpstream + costSaved)) * 100, 1)}% of cost saved.`,
    '',
  );
  await Promise.all([sim.stop(), gateway.stop()]);
}

async function missPart() {
  const sim = await startSim(0);
  const off = await startGateway(sim.url, ['cache: { enabled: false }']);
  const on = await startGateway(sim.url, []);
  const body = (unique) =>
    JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [
        {
          role: 'user',
          content: `Write a Python hello world${unique === undefined ? '' : ` ${unique}`} [[sim:tokens=25]]`,
        },
      ],
    });
  const targets = [
    ['cache off', off.url, {}, true],
    ['cache on, no-store', on.url, { 'cache-control': 'no-store' }, true],
    ['cache on, distinct prompts', on.url, {}, true],
    ['cache on, one prompt (hits)', on.url, {}, false],
  ];
  const rounds = 3;
  const results = new Map(targets.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, url, headers, unique] of targets) {
      log(`  miss: round ${round + 1} ${name}…`);
      let counter = 0;
      const result = await autocannon({
        url,
        connections,
        ...(process.env.BENCH_DEBUG ? { amount: 100 } : { duration: Math.max(3, duration / 2) }),
        requests: [
          {
            method: 'POST',
            path: '/v1/chat/completions',
            headers: { 'content-type': 'application/json', ...headers },
            setupRequest: (request) => ({
              ...request,
              body: body(unique ? `${round}-${counter++}` : undefined),
            }),
          },
        ],
      });
      if (process.env.BENCH_DEBUG)
        log(
          JSON.stringify({
            total: result.requests.total,
            codes: result.statusCodeStats,
            errors: result.errors,
            timeouts: result.timeouts,
          }),
        );
      results.get(name).push({
        reqPerSec: result['2xx'] / result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.non2xx,
      });
    }
  }
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  out.push(
    '### Miss path vs cache off (A/B, alternating rounds, medians of 3)',
    '',
    '| Switchyard | req/s | p50 ms | p99 ms | errors |',
    '|---|---:|---:|---:|---:|',
    ...targets.map(([name]) => {
      const rows = results.get(name);
      return `| ${name} | ${fmt(median(rows.map((r) => r.reqPerSec)))} | ${median(rows.map((r) => r.p50))} | ${median(rows.map((r) => r.p99))} | ${rows.reduce((sum, r) => sum + r.errors, 0)} |`;
    }),
    '',
  );
  await Promise.all([sim.stop(), off.stop(), on.stop()]);
}

async function keyPart() {
  const { cacheKey } = await import('../dist/cache/cache-key.js');
  const requestWith = (lineEnd) => {
    const code = Array.from(
      { length: 40 },
      (_, line) => `    value_${line} = compute(items[${line}], factor)`,
    ).join(lineEnd);
    return {
      kind: 'chat',
      model: 'auto',
      stream: false,
      temperature: 0.2,
      maxTokens: 512,
      messages: [
        { role: 'system', content: 'You are a careful coding assistant.' },
        { role: 'user', content: [{ type: 'text', text: `Write tests for:\n${code}` }] },
      ],
      tools: [
        {
          name: 'run_tests',
          description: 'Run the test suite',
          parameters: {
            type: 'object',
            properties: { path: { type: 'string' }, verbose: { type: 'boolean' } },
            required: ['path'],
          },
        },
      ],
    };
  };
  const lines = [];
  for (const [name, lineEnd] of [
    ['clean text (LF, no trailing spaces)', '\n'],
    ['every line with trailing spaces and CRLF', '  \r\n'],
  ]) {
    const request = requestWith(lineEnd);
    for (let index = 0; index < 20_000; index++) cacheKey(request);
    const count = 100_000;
    const started = performance.now();
    for (let index = 0; index < count; index++) cacheKey(request);
    const keyMicroseconds = ((performance.now() - started) * 1000) / count;
    const text = JSON.stringify(request);
    const jsonStarted = performance.now();
    for (let index = 0; index < count; index++) JSON.stringify(request);
    const jsonMicroseconds = ((performance.now() - jsonStarted) * 1000) / count;
    lines.push(
      `| ${name} | ${text.length} | ${fmt(keyMicroseconds, 2)} | ${fmt(jsonMicroseconds, 2)} |`,
    );
  }
  out.push(
    '### Cache key cost (in process, one core)',
    '',
    '| chat request | JSON bytes | µs per key | µs per JSON.stringify (reference) |',
    '|---|---:|---:|---:|',
    ...lines,
    '',
  );
}

async function closedLoop(url, makeBody, seconds, concurrency) {
  const latencies = [];
  let errors = 0;
  let counter = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const answer = await post(url, makeBody(counter++)).catch(() => ({ status: 0 }));
      if (answer.status === 200) latencies.push(answer.ms);
      else errors++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)];
  return {
    reqPerSec: latencies.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    ok: latencies.length,
    errors,
  };
}

async function batchPart() {
  const rows = [];
  for (const [name, extra] of [
    ['batching off', ['cache: { enabled: false }']],
    [
      'batching 5 ms / 16',
      [
        'cache: { enabled: false }',
        'batching: { deployments: { sim-qwen/qwen2.5-coder-7b-instruct: { window_ms: 5, max_prompts: 16 } } }',
      ],
    ],
  ]) {
    for (const timeScale of [0, 1]) {
      const sim = await startSim(timeScale);
      const gateway = await startGateway(sim.url, extra);
      const run = Math.random().toString(36).slice(2);
      const body = (index) => ({
        model: 'qwen2.5-coder-7b-instruct',
        prompt: `# ${run} ${index}\ndef helper_${index}(x):`,
        max_tokens: 16,
      });
      log(`  batch: ${name}, time scale ${timeScale}…`);
      await closedLoop(`${gateway.url}/v1/completions`, body, warmup, connections);
      const before = await simStats(sim.url);
      const result = await closedLoop(`${gateway.url}/v1/completions`, body, duration, connections);
      const after = await simStats(sim.url);
      rows.push({
        name,
        timeScale,
        ...result,
        upstreamPerRequest: (after.requests - before.requests) / result.ok,
      });
      await Promise.all([sim.stop(), gateway.stop()]);
    }
  }
  out.push(
    '### Micro-batching (/v1/completions, distinct 16-token prompts)',
    '',
    '| config | sim time scale | req/s | p50 ms | p99 ms | errors | upstream calls / request |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.timeScale} | ${fmt(r.reqPerSec)} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ${r.errors} | ${fmt(r.upstreamPerRequest, 3)} |`,
    ),
    '',
  );
}

try {
  const machine = machineInfo();
  out.push(
    `machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}; load avg at start ${machine.loadAvg.join(' ')}`,
    `command: npm run bench:cache -- ${process.argv.slice(2).join(' ')}`.trimEnd(),
    `ledger: ${flags['no-ledger'] ? 'off' : 'on (SQLite)'}; ${connections} connections, ${warmup} s warm-up + ${duration} s measured`,
    '',
  );
  for (const part of parts) {
    log(`${part}…`);
    if (part === 'hit') await hitPart();
    else if (part === 'replay') await replayPart();
    else if (part === 'batch') await batchPart();
    else if (part === 'key') await keyPart();
    else if (part === 'miss') await missPart();
    else throw new Error(`unknown --part ${part}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
} catch (error) {
  process.stderr.write(`\ncache bench: ${error.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  await stopAll();
  rmSync(tmp, { recursive: true, force: true });
}
