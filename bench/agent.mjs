// Agent-session cost benchmark: replays Claude-Code-shaped sessions (a ~30k-token system + tools
// prefix with cache marks, a growing history, tool calls and their results) against the simulator
// and prints the cost per session for three ways of serving them:
//   direct  — straight to the simulated Anthropic provider (priced at the catalog's Anthropic price);
//   pinned  — through Switchyard, pinned to the same model;
//   auto    — through Switchyard with `model: auto`.
// Costs are what each call was billed: the provider's usage (cache reads and writes included) at the
// catalog prices; through Switchyard, its own `x-switchyard-cost-usd`. See docs/benchmarks.md.
//
//   npm run bench:agent -- [--sessions 3] [--turns 20] [--model claude-sonnet-4-20250514] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo } from './harness.mjs';
import { startGateway } from '../dist/app/start-gateway.js';
import { embeddedConfigFile } from '../dist/config/load-config.js';
import { resolveConfig } from '../dist/config/resolve-config.js';
import { decodeAnthropicUsage } from '../dist/providers/anthropic/decode-response.js';
import { buildModelRegistry } from '../dist/registry/model-registry.js';
import { costOfUsage } from '../dist/usage/cost/cost-of-usage.js';

const { values: flags } = parseArgs({
  options: {
    sessions: { type: 'string', default: '3' },
    turns: { type: 'string', default: '20' },
    model: { type: 'string', default: 'claude-sonnet-4-20250514' },
    json: { type: 'boolean', default: false },
  },
});
const sessions = Number(flags.sessions);
const turns = Number(flags.turns);
const pinnedModel = flags.model;

const ephemeral = { type: 'ephemeral' };
const TOOL_NAMES = [
  'Bash',
  'Read',
  'Edit',
  'MultiEdit',
  'Write',
  'Glob',
  'Grep',
  'LS',
  'WebFetch',
  'WebSearch',
  'TodoWrite',
  'Task',
  'NotebookEdit',
  'NotebookRead',
  'ExitPlanMode',
  'BashOutput',
];

/** About 5k tokens of tool definitions; the tag makes each session's prefix its own. */
function tools(tag) {
  return TOOL_NAMES.map((name, index) => ({
    name,
    description: `${index === 0 ? `[${tag}] ` : ''}${name}: ${'Use this tool when the task needs it; read its parameters carefully, prefer absolute paths, and report errors verbatim. '.repeat(10)}`,
    input_schema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Absolute path of the file or directory' },
        command: { type: 'string', description: 'The command or pattern' },
      },
      required: [],
    },
  }));
}

/** About 25k tokens of system prompt in two blocks, the second marked (as Claude Code sends it). */
function system(tag) {
  const rules =
    'You are an interactive CLI agent for software engineering. Keep answers short, follow the repository conventions, run the tests before you finish, never commit secrets, and explain what you changed. ';
  return [
    {
      type: 'text',
      text: `You are Claude Code, Anthropic's official CLI for Claude. Session ${tag}.`,
    },
    { type: 'text', text: rules.repeat(480), cache_control: ephemeral },
  ];
}

/** A file's contents as a tool result: about 1,500 tokens. */
function toolOutput(turn) {
  return `// src/module-${turn}.ts\n${'export function step(input: string): string { return input.trim().toLowerCase(); }\n'.repeat(70)}`;
}

/** The next user turn: the results of the answer's tool calls, else an instruction. The last block is marked. */
function nextUserTurn(answer, turn) {
  const calls = (answer.content ?? []).filter((block) => block.type === 'tool_use');
  const blocks =
    calls.length > 0
      ? calls.map((call) => ({
          type: 'tool_result',
          tool_use_id: call.id,
          content: toolOutput(turn),
        }))
      : [
          {
            type: 'text',
            text: `Good. Now continue with step ${turn}: read the next module and fix it.`,
          },
        ];
  return { role: 'user', content: blocks };
}

/** History as sent: only the newest user message keeps its cache mark (Claude Code moves it). */
function withMovingMark(history) {
  return history.map((message, index) => {
    if (message.role !== 'user') return message;
    const last = index === history.length - 1;
    const content = message.content.map((block, position) => {
      const { cache_control: _mark, ...plain } = block;
      return last && position === message.content.length - 1
        ? { ...plain, cache_control: ephemeral }
        : plain;
    });
    return { ...message, content };
  });
}

async function post(url, body, headers) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'x-api-key': 'sk-bench',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  return { body: JSON.parse(text), headers: response.headers };
}

/** One session of `turns` turns; returns its cost and what served it. */
async function runSession(index, send) {
  const tag = `session-${index}`;
  const history = [
    {
      role: 'user',
      content: [
        {
          type: 'text',
          text: `Task ${tag}: the test suite fails in src/parser.ts; find the bug and fix it.`,
        },
      ],
    },
  ];
  const totals = {
    costUsd: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    served: {},
  };
  for (let turn = 1; turn <= turns; turn++) {
    const body = {
      max_tokens: 32_000,
      system: system(tag),
      tools: tools(tag),
      messages: withMovingMark(history),
    };
    const { answer, costUsd, usage, served } = await send(body);
    totals.costUsd += costUsd;
    totals.inputTokens += usage.inputTokens;
    totals.cachedInputTokens += usage.cachedInputTokens ?? 0;
    totals.cacheWriteTokens += usage.cacheWriteTokens ?? 0;
    totals.outputTokens += usage.outputTokens;
    totals.served[served] = (totals.served[served] ?? 0) + 1;
    history.push({ role: 'assistant', content: answer.content });
    history.push(nextUserTurn(answer, turn));
  }
  return totals;
}

const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-agent-'));
const file = {
  ...embeddedConfigFile(),
  data_dir: dataDir,
  server: { port: 0, host: '127.0.0.1' },
  simulator: { enabled: true, time_scale: 0 },
  logging: { level: 'error' },
};
const gateway = await startGateway(resolveConfig(file, 'bench', {}), { log: () => {} });
const registry = buildModelRegistry();
const anthropicPrice = registry.deployment(pinnedModel, 'anthropic')?.price;
if (anthropicPrice === undefined) throw new Error(`no Anthropic price for ${pinnedModel}`);
const simMessages = `${gateway.simulator.baseUrlFor('sim-anthropic')}/messages`;

const scenarios = {
  direct: async (body) => {
    const { body: answer } = await post(simMessages, { ...body, model: pinnedModel });
    const usage = decodeAnthropicUsage(answer.usage);
    return {
      answer,
      usage,
      costUsd: costOfUsage(usage, anthropicPrice).costUsd,
      served: `sim-anthropic/${pinnedModel}`,
    };
  },
  pinned: (body) => throughGateway({ ...body, model: pinnedModel }),
  auto: (body) => throughGateway({ ...body, model: 'auto' }),
};

async function throughGateway(body) {
  const { body: answer, headers } = await post(`${gateway.url}/v1/messages`, body);
  const cost = headers.get('x-switchyard-cost-usd');
  if (cost === null || cost === '') throw new Error('no x-switchyard-cost-usd header');
  return {
    answer,
    usage: decodeAnthropicUsage(answer.usage),
    costUsd: Number(cost),
    served: `${headers.get('x-switchyard-provider')}/${headers.get('x-switchyard-model')}`,
  };
}

const results = {};
try {
  for (const [name, send] of Object.entries(scenarios)) {
    // Every scenario replays the same sessions from a cold simulator (its prompt caches emptied),
    // so the three see identical prompts and answers and differ only in where they are served.
    gateway.simulator.resetStats();
    results[name] = [];
    for (let index = 0; index < sessions; index++)
      results[name].push(await runSession(index, send));
  }
} finally {
  await gateway.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const mean = (list, field) => list.reduce((sum, item) => sum + item[field], 0) / list.length;
const summary = Object.fromEntries(
  Object.entries(results).map(([name, list]) => [
    name,
    {
      costPerSessionUsd: mean(list, 'costUsd'),
      sessionsUsd: list.map((item) => item.costUsd),
      inputTokens: mean(list, 'inputTokens'),
      cachedInputTokens: mean(list, 'cachedInputTokens'),
      cacheWriteTokens: mean(list, 'cacheWriteTokens'),
      outputTokens: mean(list, 'outputTokens'),
      served: list.reduce((all, item) => {
        for (const [key, count] of Object.entries(item.served)) all[key] = (all[key] ?? 0) + count;
        return all;
      }, {}),
    },
  ]),
);
const direct = summary.direct.costPerSessionUsd;
const report = {
  machine: machineInfo(),
  sessions,
  turns,
  model: pinnedModel,
  scenarios: summary,
  pinnedVsDirect: summary.pinned.costPerSessionUsd / direct,
  autoVsDirect: summary.auto.costPerSessionUsd / direct,
  targets: {
    pinnedAtMostDirectPlus1Percent: summary.pinned.costPerSessionUsd <= direct * 1.01,
    autoAtMost30PercentOfDirect: summary.auto.costPerSessionUsd <= direct * 0.3,
  },
};
if (flags.json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(
    `bench:agent — ${sessions} sessions × ${turns} turns, Claude-Code-shaped, model ${pinnedModel}`,
  );
  for (const [name, item] of Object.entries(summary)) {
    const k = (value) => `${Math.round(value / 1000)}k`;
    console.log(
      `${name.padEnd(7)} $${item.costPerSessionUsd.toFixed(4)} per session  (input ${k(item.inputTokens)}, cache read ${k(item.cachedInputTokens)}, cache write ${k(item.cacheWriteTokens)}, output ${Math.round(item.outputTokens)})  served: ${Object.entries(
        item.served,
      )
        .map(([key, count]) => `${key} ×${count}`)
        .join(', ')}`,
    );
  }
  console.log(
    `pinned / direct = ${report.pinnedVsDirect.toFixed(4)} (target ≤ 1.01: ${report.targets.pinnedAtMostDirectPlus1Percent ? 'met' : 'MISSED'})`,
  );
  console.log(
    `auto / direct   = ${report.autoVsDirect.toFixed(4)} (target ≤ 0.30: ${report.targets.autoAtMost30PercentOfDirect ? 'met' : 'MISSED'})`,
  );
}
