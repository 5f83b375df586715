// Router benchmark: decision time (router.plan) for 10 and 1,000 candidate deployments, per
// policy, and feature extraction time for a small and a 100k-token prompt. In-process, no
// network. See docs/benchmarks.md ("Router decision time").
//
//   npm run bench:router -- [--iterations 20000] [--json]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { machineInfo } from './harness.mjs';
import { embeddedConfigFile } from '../dist/config/load-config.js';
import { resolveConfig } from '../dist/config/resolve-config.js';
import { extractFeatures } from '../dist/router/features/extract-features.js';
import { createPolicyRouter } from '../dist/app/create-policy-router.js';

const { values: flags } = parseArgs({
  options: {
    iterations: { type: 'string', default: '20000' },
    json: { type: 'boolean', default: false },
  },
});
const iterations = Number(flags.iterations);

/** `models` models × `providers` simulated providers = candidate deployments, all in every policy. */
function configWith(models, providers) {
  const file = embeddedConfigFile();
  file.providers = {};
  file.models = {};
  const fleet = ['sim-qwen', 'sim-deepseek', 'sim-openai', 'sim-mistral'];
  for (let p = 0; p < providers; p++)
    file.providers[`p${p}`] = { type: 'simulated', fleet_provider: fleet[p % fleet.length] };
  const upstream = {
    'sim-qwen': 'qwen2.5-coder-7b-instruct',
    'sim-deepseek': 'deepseek-chat',
    'sim-openai': 'gpt-4o-mini',
    'sim-mistral': 'codestral-latest',
  };
  const names = [];
  for (let m = 0; m < models; m++) {
    names.push(`m${m}`);
    file.models[`m${m}`] = {
      deployments: Array.from({ length: providers }, (_, p) => ({
        provider: `p${p}`,
        model: upstream[fleet[p % fleet.length]],
      })),
    };
  }
  file.routing = {
    policies: {
      'cost-optimal': {
        type: 'cost-optimal',
        quality_floor: 70,
        rank_by: 'cost',
        latency_budget_mode: 'demote',
      },
      'cost-optimal+budget': {
        type: 'cost-optimal',
        quality_floor: 70,
        rank_by: 'cost',
        latency_budget_ms: 2000,
        latency_budget_mode: 'demote',
      },
      tiers: {
        type: 'tiers',
        fallback: 'stronger',
        latency_budget_mode: 'demote',
        tiers: {
          small: names.slice(0, Math.ceil(models / 2)),
          large:
            names.slice(Math.ceil(models / 2)).length > 0
              ? names.slice(Math.ceil(models / 2))
              : names,
        },
        rules: [
          {
            when: { any: [{ prompt_tokens: { above: 2000 } }, { task: 'system-level' }] },
            tier: 'large',
          },
          { when: { prompt_tokens: { below: 500 }, imports: 'none' }, tier: 'small' },
        ],
      },
      weighted: {
        type: 'weighted',
        split: 'request-id',
        latency_budget_mode: 'demote',
        arms: [
          { deployments: names.slice(0, Math.ceil(models / 2)), weight: 9 },
          { deployments: names, weight: 1 },
        ],
      },
    },
  };
  file.simulator = { enabled: true, time_scale: 1 };
  return resolveConfig(file, 'bench', {});
}

/** Adapters that never call anything: the router only plans. */
function offlineAdapters(config) {
  const refuse = () => Promise.reject(new Error('offline adapter'));
  return new Map(
    [...config.providers].map(([id, provider]) => [
      id,
      {
        id,
        wire: provider.settings.wire,
        chat: refuse,
        streamChat: refuse,
        close: () => Promise.resolve(),
      },
    ]),
  );
}

function chatRequest(text) {
  return {
    kind: 'chat',
    model: 'auto',
    stream: false,
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  };
}

function time(label, run, count) {
  for (let i = 0; i < Math.min(2000, count); i++) run(i); // warm-up
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    run(i);
    samples[i] = performance.now() - start;
  }
  samples.sort();
  const mean = samples.reduce((sum, value) => sum + value, 0) / count;
  return {
    label,
    iterations: count,
    meanUs: round(mean * 1000),
    p50Us: round(samples[Math.floor(count * 0.5)] * 1000),
    p99Us: round(samples[Math.floor(count * 0.99)] * 1000),
  };
}
const round = (value) => Math.round(value * 100) / 100;

const request = chatRequest(
  'Write unit tests for this Python function:\ndef add(a, b):\n    return a + b\n',
);
const rows = [];
for (const [models, providers] of [
  [10, 1],
  [100, 10],
]) {
  const config = configWith(models, providers);
  const router = createPolicyRouter(config, offlineAdapters(config));
  const candidates = models * providers;
  for (const policy of ['cost-optimal', 'cost-optimal+budget', 'tiers', 'weighted']) {
    const asked = { ...request, model: policy };
    const count = candidates >= 1000 ? Math.max(200, Math.floor(iterations / 20)) : iterations;
    rows.push({
      candidates,
      ...time(`plan ${policy}`, (i) => router.plan(asked, { requestId: `r${i}` }), count),
    });
  }
  rows.push({
    candidates,
    ...time(
      'plan model name (1 deployment of m0 per provider)',
      () => router.plan({ ...request, model: 'm0' }),
      iterations,
    ),
  });
}

// A 100k-token prompt: ~400,000 characters of Python source plus an instruction.
const line =
  'def handler_%(event, context):\n    result = [item for item in event.get("items", []) if item]\n    return {"count": len(result)}\n';
let source = 'import os\nimport json\nimport requests\n';
for (let i = 0; source.length < 400_000; i++) source += line.replaceAll('%', String(i));
const big = chatRequest(
  `Refactor this module to remove duplication:\n\`\`\`python\n${source}\n\`\`\``,
);
const small = chatRequest(
  'Suggest a better name for this variable: x = [u for u in users if u.active]',
);
rows.push({
  candidates: '-',
  ...time(
    `extractFeatures small prompt (${small.messages[0].content[0].text.length} chars)`,
    () => extractFeatures(small),
    iterations,
  ),
});
rows.push({
  candidates: '-',
  ...time(
    `extractFeatures 100k-token prompt (${big.messages[0].content[0].text.length} chars)`,
    () => extractFeatures(big),
    Math.max(500, Math.floor(iterations / 10)),
  ),
});

const result = {
  when: new Date().toISOString(),
  machine: machineInfo(),
  rows,
  promptTokensOfBig: extractFeatures(big).promptTokens,
};
if (flags.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(
    `Router benchmark ${result.when} — ${result.machine.cpu} × ${result.machine.cores}, Node ${result.machine.node}, load ${result.machine.loadAvg.join(' ')}`,
  );
  console.log(
    `${'what'.padEnd(62)}${'candidates'.padStart(11)}${'mean µs'.padStart(10)}${'p50 µs'.padStart(10)}${'p99 µs'.padStart(10)}`,
  );
  for (const row of rows)
    console.log(
      `${row.label.padEnd(62)}${String(row.candidates).padStart(11)}${String(row.meanUs).padStart(10)}${String(row.p50Us).padStart(10)}${String(row.p99Us).padStart(10)}`,
    );
  console.log(`(the big prompt is ~${result.promptTokensOfBig} tokens by the router's estimate)`);
}
