// Routing benchmark: sends workloads through a real gateway (in-process, loopback, no ledger) to
// the simulator, which replays each model's recorded answer, and reports cost, success and latency
// per policy and baseline on the holdout split. See docs/benchmarks.md ("Routing").
//
//   npm run bench:routing -- [--mbpp ../shared/data/routerbench-mbpp-train.csv] [--holdout-fraction 0.4]
//       [--seed 1] [--concurrency 8] [--time-scale 0.05] [--generated 400] [--only real|generated]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulator } from '../../src/sim/start-simulator.js';
import { benchFleet, BENCH_MODELS, PREMIUM_MODEL } from './bench-fleet.js';
import { startBenchGateway } from './bench-gateway.js';
import { generateWorkload } from './generated-workload.js';
import { tunePolicies, type TunedPolicies } from './policy-strategies.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { benchConfigFile } from './bench-config.js';
import { formatReport, type WorkloadReport } from './format-report.js';
import { parseRouterBench } from './routerbench-workload.js';
import { recordedSummary, summarize, oracleModel } from './scoring.js';
import { sendWorkload } from './send-workload.js';
import { baselineStrategies, type Strategy } from './strategies.js';
import { replayTableFor, splitTasks, type Workload } from './workload.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const DEFAULT_MBPP = path.resolve(ROOT, '..', 'shared', 'data', 'routerbench-mbpp-train.csv');

const { values: flags } = parseArgs({
  options: {
    mbpp: { type: 'string', default: DEFAULT_MBPP },
    'holdout-fraction': { type: 'string', default: '0.4' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
    'time-scale': { type: 'string', default: '0.05' },
    generated: { type: 'string', default: '400' },
    only: { type: 'string' },
  },
});
const holdoutFraction = Number(flags['holdout-fraction']);
const seed = Number(flags.seed);
const concurrency = Number(flags.concurrency);
const timeScale = Number(flags['time-scale']);
const generatedCount = Number(flags.generated);
if (!(holdoutFraction > 0 && holdoutFraction < 1))
  fail('--holdout-fraction must be between 0 and 1');
if (!Number.isInteger(seed)) fail('--seed must be an integer');
if (!(concurrency >= 1)) fail('--concurrency must be at least 1');
if (!(timeScale > 0 && timeScale <= 1)) fail('--time-scale must be in (0, 1]');
if (!(Number.isInteger(generatedCount) && generatedCount >= 10))
  fail('--generated must be an integer ≥ 10');
if (flags.only !== undefined && flags.only !== 'real' && flags.only !== 'generated')
  fail('--only must be real or generated');

function fail(message: string): never {
  process.stderr.write(`bench:routing: ${message}\n`);
  process.exit(2);
}

const watchdog = setTimeout(() => {
  process.stderr.write('bench:routing: watchdog: the run exceeded 170 s, stopping\n');
  process.exit(1);
}, 170_000);

function loadWorkloads(): Workload[] {
  const workloads: Workload[] = [];
  if (flags.only !== 'generated') {
    if (process.env.CI === 'true')
      process.stdout.write(
        'real-outcome workload: not run under CI=true (its data stays out of the repository)\n',
      );
    else if (!existsSync(flags.mbpp))
      process.stdout.write(
        `real-outcome workload: skipped, ${flags.mbpp} not found (pass --mbpp PATH)\n`,
      );
    else workloads.push(parseRouterBench(readFileSync(flags.mbpp, 'utf8')));
  }
  if (flags.only !== 'real') workloads.push(generateWorkload(generatedCount, seed));
  return workloads;
}

/** Whether this gateway's config schema has routing policies (the router branch); the baselines run either way. */
function routerHasPolicies(): boolean {
  try {
    parseConfigText(
      JSON.stringify(
        benchConfigFile(() => 'http://127.0.0.1:9/v1', {
          policies: {
            auto: { type: 'weighted', arms: [{ deployments: [PREMIUM_MODEL], weight: 1 }] },
          },
        }),
      ),
      'probe',
    );
    return true;
  } catch {
    return false;
  }
}

/** Tunes the policies on the tuning split: every candidate over the tuning prompts, simulator at time scale 0. */
async function tuneOn(workload: Workload, tuning: Workload['tasks']): Promise<TunedPolicies> {
  const simulator = await startSimulator({
    fleet: benchFleet(),
    timeScale: 0,
    seed,
    replay: replayTableFor(tuning),
  });
  const started = performance.now();
  try {
    const tuned = await tunePolicies(tuning, async (candidate) => {
      const gateway = await startBenchGateway(
        simulator,
        candidate.routing,
        `tuning ${candidate.family}`,
      );
      try {
        const answers = await sendWorkload(tuning, () => candidate.alias, {
          baseUrl: `${gateway.url}/v1`,
          concurrency: 16,
        });
        return summarize(
          candidate.label,
          answers.map((answer) => answer.result),
        );
      } finally {
        await gateway.close(1000);
      }
    });
    process.stdout.write(
      `  ${workload.name}: tuned ${tuned.tuning.reduce((total, entry) => total + entry.candidates, 0)} candidate configs on ${tuning.length} tuning prompts in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    return tuned;
  } finally {
    await simulator.close();
  }
}

async function runWorkload(workload: Workload): Promise<WorkloadReport> {
  const split = splitTasks(workload.tasks, holdoutFraction, seed);
  const tuned = routerHasPolicies() ? await tuneOn(workload, split.tuning) : undefined;
  if (tuned === undefined)
    process.stdout.write(
      '  routing policies: not available in this build (no routing.policies in the config schema); baselines only\n',
    );
  const strategies: Strategy[] = [...baselineStrategies(seed), ...(tuned?.strategies ?? [])];
  const simulator = await startSimulator({
    fleet: benchFleet(),
    timeScale,
    seed,
    replay: replayTableFor(split.holdout),
  });
  const models = BENCH_MODELS.map((model) => model.name);
  const report: WorkloadReport = {
    workload: workload.name,
    description: workload.description,
    tasks: workload.tasks.length,
    tuning: split.tuning.length,
    holdout: split.holdout.length,
    recordedFullSet: [
      recordedSummary('always-premium', workload.tasks, () => PREMIUM_MODEL),
      recordedSummary('oracle', workload.tasks, (task) => oracleModel(task, models)),
      ...models
        .filter((model) => model !== PREMIUM_MODEL)
        .map((model) => recordedSummary(model, workload.tasks, () => model)),
    ],
    results: [],
    ...(tuned === undefined ? {} : { policyTuning: tuned.tuning }),
  };
  try {
    for (const strategy of strategies) {
      const gateway = await startBenchGateway(simulator, strategy.routing, strategy.name);
      try {
        const started = performance.now();
        const answers = await sendWorkload(split.holdout, (task) => strategy.modelFor(task), {
          baseUrl: `${gateway.url}/v1`,
          concurrency,
        });
        const seconds = (performance.now() - started) / 1000;
        const results = answers.map((answer) => answer.result);
        let replayMismatches = 0;
        let costDriftUsd = 0;
        answers.forEach((answer, index) => {
          const task = split.holdout[index]!;
          const outcome =
            answer.result.model === undefined ? undefined : task.outcomes[answer.result.model];
          if (outcome === undefined) return;
          if (answer.text !== outcome.answer) replayMismatches++;
          costDriftUsd += Math.abs(answer.result.costUsd - outcome.costUsd);
        });
        const summary = summarize(
          strategy.name,
          results.map((result) => ({ ...result, latencyMs: result.latencyMs / timeScale })),
        );
        report.results.push({
          ...summary,
          kind: strategy.kind,
          note: strategy.note,
          seconds,
          replayMismatches,
          costDriftUsd,
        });
        process.stdout.write(
          `  ${workload.name} ${strategy.name}: ${summary.passed}/${summary.requests} passed, $${summary.totalCostUsd.toFixed(4)}, ${seconds.toFixed(1)} s\n`,
        );
      } finally {
        await gateway.close(1000);
      }
    }
  } finally {
    await simulator.close();
  }
  return report;
}

const startedAt = new Date();
const reports: WorkloadReport[] = [];
for (const workload of loadWorkloads()) reports.push(await runWorkload(workload));
const meta = {
  command: `npm run bench:routing -- ${process.argv.slice(2).join(' ')}`.trim(),
  startedAt: startedAt.toISOString(),
  node: process.version,
  cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
  options: { holdoutFraction, seed, concurrency, timeScale, generatedCount },
};
process.stdout.write(`\n${formatReport(meta, reports)}\n`);
const resultsDirectory = path.join(ROOT, 'bench', 'results');
mkdirSync(resultsDirectory, { recursive: true });
const file = path.join(
  resultsDirectory,
  `routing-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`,
);
writeFileSync(file, `${JSON.stringify({ meta, reports }, null, 2)}\n`);
process.stdout.write(`summaries (no per-prompt data) written to ${path.relative(ROOT, file)}\n`);
clearTimeout(watchdog);
