// Generated agent-session workload: multi-turn coding-agent conversations whose tool results
// report test failures according to each simulated model's published skill per language, through
// a real gateway (embedded config, simulator at time scale 0). Measures the in-conversation
// failure signal (a failing tool result raises a cascade) and cache affinity. docs/benchmarks.md.
//
//   npm run bench:agent-sessions -- --skills ../shared/data/quality-priors.md
//       [--sessions 140] [--turns 4] [--seed 1] [--concurrency 8] [--json OUT]
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { startGateway } from '../../src/app/start-gateway.js';
import { embeddedConfigFile, parseConfigText } from '../../src/config/load-config.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { parseSkillTable } from './agent-skills.js';
import { generateAgentTasks, runAgentSessions, type SessionResult } from './agent-sessions.js';

const { values: flags } = parseArgs({
  options: {
    skills: { type: 'string' },
    sessions: { type: 'string', default: '140' },
    turns: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
    json: { type: 'string' },
  },
});
if (flags.skills === undefined) {
  process.stderr.write(
    'usage: npm run bench:agent-sessions -- --skills quality-priors.md [--sessions N] [--json OUT]\n',
  );
  process.exit(2);
}
const skills = parseSkillTable(readFileSync(flags.skills, 'utf8'));
const sessions = Number(flags.sessions);
const maxTurns = Number(flags.turns);
const seed = Number(flags.seed);
const concurrency = Number(flags.concurrency);
const tasks = generateAgentTasks(sessions, seed);
const CASCADE = {
  type: 'cascade' as const,
  rungs: [['qwen2.5-coder-7b-instruct'], ['deepseek-chat'], ['claude-sonnet-4-20250514']],
};
const STRATEGIES: Array<{ name: string; model: string; cascade?: boolean }> = [
  { name: 'always-qwen2.5-coder-7b', model: 'qwen2.5-coder-7b-instruct' },
  { name: 'always-deepseek-chat', model: 'deepseek-chat' },
  { name: 'always-claude-sonnet-4', model: 'claude-sonnet-4-20250514' },
  { name: 'auto', model: 'auto' },
  { name: 'cascade', model: 'cascade', cascade: true },
];

const started = performance.now();
const rows: Array<{ name: string; results: SessionResult[] }> = [];
for (const strategy of STRATEGIES) {
  // A fresh gateway and simulator per strategy: cold provider caches, nothing learned.
  const base = embeddedConfigFile();
  const file = {
    ...base,
    server: { port: 0, host: '127.0.0.1', access_log: false },
    simulator: { enabled: true, time_scale: 0 },
    ledger: { enabled: false },
    cache: { enabled: false },
    logging: { level: 'error' as const },
    ...(strategy.cascade ? { routing: { ...base.routing, policies: { cascade: CASCADE } } } : {}),
  };
  // Through the schema, as a config file is (defaults applied, errors reported).
  const source = `bench:agent-sessions (${strategy.name})`;
  const parsed = parseConfigText(JSON.stringify(file), source);
  const gateway = await startGateway(resolveConfig(parsed, source, {}), { log: () => {} });
  try {
    const results = await runAgentSessions(tasks, {
      baseUrl: gateway.url,
      model: strategy.model,
      skills,
      maxTurns,
      seed,
      concurrency,
    });
    rows.push({ name: strategy.name, results });
  } finally {
    await gateway.close(1000);
  }
}

const summary = rows.map(({ name, results }) => {
  const sum = (pick: (result: SessionResult) => number) =>
    results.reduce((total, result) => total + pick(result), 0);
  const served: Record<string, number> = {};
  for (const result of results)
    for (const model of result.served) served[model] = (served[model] ?? 0) + 1;
  return {
    name,
    success: sum((result) => (result.passed ? 1 : 0)) / results.length,
    cost_per_session: sum((result) => result.costUsd) / results.length,
    turns_per_session: sum((result) => result.turns) / results.length,
    escalations_per_session: sum((result) => result.escalations) / results.length,
    model_switches_per_session: sum((result) => result.switches) / results.length,
    cache_read_share:
      sum((result) => result.cacheReadTokens) /
      Math.max(
        1,
        sum((r) => r.inputTokens),
      ),
    served,
  };
});
const premium = summary.find((row) => row.name === 'always-claude-sonnet-4')!.cost_per_session;
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const lines = [
  `## Agent sessions — ${sessions} sessions, at most ${maxTurns} turns, seed ${seed} (${Math.round((performance.now() - started) / 1000)} s, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)})`,
  '',
  '| strategy | success | $/session | share of sonnet | turns | escalations | model switches | cache-read share | served (turns) |',
  '|---|--:|--:|--:|--:|--:|--:|--:|---|',
  ...summary.map(
    (row) =>
      `| ${row.name} | ${percent(row.success)} | ${row.cost_per_session.toFixed(5)} | ${percent(row.cost_per_session / premium)} | ${row.turns_per_session.toFixed(2)} | ${row.escalations_per_session.toFixed(2)} | ${row.model_switches_per_session.toFixed(2)} | ${percent(row.cache_read_share)} | ${Object.entries(
        row.served,
      )
        .sort((a, b) => b[1] - a[1])
        .map(([model, count]) => `${model} ${count}`)
        .join(', ')} |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
if (flags.json !== undefined)
  writeFileSync(
    flags.json,
    `${JSON.stringify({ sessions, maxTurns, seed, strategies: Object.fromEntries(summary.map((row) => [row.name, row])) }, null, 2)}\n`,
  );
