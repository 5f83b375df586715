import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startSimulator } from '../../src/sim/start-simulator.js';
import { benchFleet, BENCH_MODELS, PREMIUM_MODEL } from './bench-fleet.js';
import type { RoutingSection } from './bench-config.js';
import { startBenchGateway } from './bench-gateway.js';
import { tuneCascade } from './cascade-tuning.js';
import { runClient } from './client-session.js';
import { tunePolicies } from './policy-strategies.js';
import { parseRouterBench } from './routerbench-workload.js';
import { oracleModel, summarize } from './scoring.js';
import { sendWorkload } from './send-workload.js';
import { randomModel } from './strategies.js';
import { strategyRow, type RowOutcome, type StrategyRow } from './strategy-metrics.js';
import { replayTableFor, splitTasks, type BenchTask } from './workload.js';

export interface RoutingBenchOptions {
  trainFile: string;
  evalFile: string;
  /** When train and eval are the same file: the share of its rows held out for eval (the rest trains). */
  holdout?: number;
  seed: number;
  concurrency: number;
  /** Simulator time scale while serving (latency figures are divided by it). */
  timeScale: number;
  /** Use only the first N rows of each split (the test suite's small slice). */
  limit?: number;
  /** Tune on every n-th policy candidate only (default 1: all). */
  candidateStride?: number;
  log: (line: string) => void;
}

export interface RoutingBenchResult {
  train: number;
  eval: number;
  premiumCostPerPrompt: number;
  strategies: StrategyRow[];
  tuning: Array<{ strategy: string; candidates: number; winner: string }>;
  /** Always-premium through the gateway against its recorded figures: |cost drift| summed, answers that failed. */
  replayCheck: { costDriftUsd: number; errors: number };
  seconds: number;
}

/** Train and eval rows: two files, or one file split by a seeded hash of the row id (never overlapping). */
export function loadSplit(options: RoutingBenchOptions): { train: BenchTask[]; eval: BenchTask[] } {
  const read = (file: string) => parseRouterBench(readFileSync(file, 'utf8')).tasks;
  let train: BenchTask[];
  let evaluation: BenchTask[];
  if (path.resolve(options.trainFile) === path.resolve(options.evalFile)) {
    if (options.holdout === undefined)
      throw new Error(
        '--train and --eval are the same file: pass --holdout F to split it (the eval rows are never trained on)',
      );
    const split = splitTasks(read(options.trainFile), options.holdout, options.seed);
    train = split.tuning;
    evaluation = split.holdout;
  } else {
    train = read(options.trainFile);
    const trainIds = new Set(train.map((task) => task.id));
    evaluation = read(options.evalFile).filter((task) => !trainIds.has(task.id));
  }
  if (options.limit !== undefined) {
    train = train.slice(0, options.limit);
    evaluation = evaluation.slice(0, options.limit);
  }
  return { train, eval: evaluation };
}

function recordedRows(
  tasks: readonly BenchTask[],
  choose: (task: BenchTask) => string,
): RowOutcome[] {
  return tasks.map((task) => {
    const model = choose(task);
    const outcome = task.outcomes[model];
    return {
      taskId: task.id,
      passed: outcome?.passed === true,
      costUsd: outcome?.costUsd ?? 0,
      latencyMs: 0,
      attempts: 1,
      model,
    };
  });
}

/**
 * The routing benchmark: every policy is tuned and every learner learns on the train rows only;
 * all figures are over the eval rows. See docs/benchmarks.md ("Routing").
 */
export async function runRoutingBench(options: RoutingBenchOptions): Promise<RoutingBenchResult> {
  const started = performance.now();
  const { train, eval: evaluation } = loadSplit(options);
  if (train.length === 0 || evaluation.length === 0) throw new Error('no train or no eval rows');
  options.log(`${train.length} train rows, ${evaluation.length} eval rows`);
  const models = BENCH_MODELS.map((model) => model.name);
  const premiumRows = recordedRows(evaluation, () => PREMIUM_MODEL);
  const premiumCost =
    premiumRows.reduce((total, row) => total + row.costUsd, 0) / evaluation.length;
  const hull = models.map((model) => {
    const rows = recordedRows(evaluation, () => model);
    return {
      cost: rows.reduce((total, row) => total + row.costUsd, 0) / rows.length,
      success: rows.filter((row) => row.passed).length / rows.length,
    };
  });
  const strategies: StrategyRow[] = [];
  const add = (name: string, kind: StrategyRow['kind'], note: string, rows: RowOutcome[]): void => {
    const row = strategyRow(name, kind, note, rows, premiumCost, hull);
    strategies.push(row);
    const mix =
      kind === 'gateway'
        ? ` (served by ${Object.entries(row.model_mix)
            .sort((a, b) => b[1] - a[1])
            .map(([model, count]) => `${model} ${count}`)
            .join(', ')})`
        : '';
    options.log(
      `  ${name}: ${(row.success * 100).toFixed(1)}% at ${(row.share_of_premium * 100).toFixed(1)}% of premium's cost${mix}`,
    );
  };
  add(
    'oracle',
    'recorded',
    'cheapest model whose recorded answer passes (knows the outcomes)',
    recordedRows(evaluation, (task) => oracleModel(task, models)),
  );
  for (const model of models)
    add(
      `always-${model}`,
      'recorded',
      'one model for every prompt',
      recordedRows(evaluation, () => model),
    );
  add(
    'random',
    'recorded',
    `uniform over the ${models.length} models, seed ${options.seed}`,
    recordedRows(evaluation, (task) => randomModel(task, options.seed)),
  );

  const tuning: RoutingBenchResult['tuning'] = [];
  // Policies tuned on the train rows (every candidate through a gateway, simulator at time scale 0).
  const tuningSimulator = await startSimulator({
    fleet: benchFleet(),
    timeScale: 0,
    seed: options.seed,
    replay: replayTableFor(train),
  });
  let tuned: Awaited<ReturnType<typeof tunePolicies>>;
  try {
    tuned = await tunePolicies(
      train,
      async (candidate) => {
        const gateway = await startBenchGateway(
          tuningSimulator,
          candidate.routing,
          `tuning ${candidate.family}`,
        );
        try {
          const answers = await sendWorkload(train, () => candidate.alias, {
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
      },
      options.candidateStride ?? 1,
    );
  } finally {
    await tuningSimulator.close();
  }
  for (const entry of tuned.tuning)
    tuning.push({ strategy: entry.family, candidates: entry.candidates, winner: entry.winner });
  options.log(
    `  tuned ${tuned.tuning.reduce((total, entry) => total + entry.candidates, 0)} policy candidates on the train rows`,
  );

  const simulator = await startSimulator({
    fleet: benchFleet(),
    timeScale: options.timeScale,
    seed: options.seed,
    replay: replayTableFor([...train, ...evaluation]),
  });
  const scale = (rows: RowOutcome[]): RowOutcome[] =>
    rows.map((row) => ({ ...row, latencyMs: row.latencyMs / options.timeScale }));
  const client = (gatewayUrl: string, extra: Partial<Parameters<typeof runClient>[2]> = {}) => ({
    baseUrl: gatewayUrl,
    concurrency: options.concurrency,
    feedback: false,
    maxAttempts: 1,
    ...extra,
  });
  let replayCheck = { costDriftUsd: 0, errors: 0 };
  try {
    const withGateway = async <T>(
      routing: Partial<RoutingSection> | 'shipped' | undefined,
      label: string,
      run: (url: string) => Promise<T>,
    ): Promise<T> => {
      const gateway = await startBenchGateway(simulator, routing, label);
      try {
        return await run(gateway.url);
      } finally {
        await gateway.close(1000);
      }
    };
    // The replay is faithful: always-premium through the gateway costs what was recorded.
    const premiumThrough = await withGateway(undefined, 'replay check', (url) =>
      runClient(evaluation, PREMIUM_MODEL, client(url)),
    );
    replayCheck = {
      costDriftUsd: premiumThrough.reduce(
        (total, row, index) => total + Math.abs(row.costUsd - premiumRows[index]!.costUsd),
        0,
      ),
      errors: premiumThrough.filter((row) => row.model === undefined).length,
    };

    // auto as shipped: the bench is a client that reports every answer's outcome through
    // /v1/feedback, train rows first, then eval rows (as the cascade does): an eval row's
    // outcome only teaches the rows after it.
    const auto = await withGateway('shipped', 'auto as shipped', async (url) => {
      await runClient(train, 'auto', client(url, { feedback: true }));
      return runClient(evaluation, 'auto', client(url, { feedback: true }));
    });
    add(
      'auto',
      'gateway',
      'built-in auto, nothing overridden; learns from the feedback the bench reports (train rows, then eval rows)',
      scale(auto),
    );

    for (const strategy of tuned.strategies) {
      const rows = await withGateway(strategy.routing, strategy.name, (url) =>
        runClient(evaluation, strategy.modelFor(evaluation[0]!), client(url)),
      );
      add(strategy.name, 'gateway', `tuned on train: ${strategy.note}`, scale(rows));
    }

    // The cascade tuned on the train rows; the bench plays a client that runs the tests and reports.
    const cascade = tuneCascade(train, 0.05, options.seed);
    tuning.push({
      strategy: 'cascade',
      candidates: cascade.candidates,
      winner: `${cascade.rungs.join(' → ')} (train: ${(cascade.success * 100).toFixed(1)}% at ${(cascade.shareOfPremium * 100).toFixed(1)}% of premium, p90 over resamples ${(cascade.shareOfPremiumP90 * 100).toFixed(1)}%)`,
    });
    const routing: Partial<RoutingSection> = {
      policies: {
        cascade: {
          type: 'cascade',
          rungs: cascade.rungs.map((model) => [model]),
          start_margin: 50,
        },
      },
    };
    const top = new Set([cascade.rungs.at(-1)!]);
    const cascadeRows = await withGateway(routing, 'cascade', async (url) => {
      await runClient(
        train,
        'cascade',
        client(url, { feedback: true, maxAttempts: cascade.rungs.length, topModels: top }),
      );
      return runClient(
        evaluation,
        'cascade',
        client(url, { feedback: true, maxAttempts: cascade.rungs.length, topModels: top }),
      );
    });
    add(
      'cascade',
      'gateway',
      `${cascade.rungs.join(' → ')}; escalates on the failure the client reports (feedback + retry)`,
      scale(cascadeRows),
    );
  } finally {
    await simulator.close();
  }
  return {
    train: train.length,
    eval: evaluation.length,
    premiumCostPerPrompt: premiumCost,
    strategies,
    tuning,
    replayCheck,
    seconds: (performance.now() - started) / 1000,
  };
}

/** What `--json` writes. */
export function jsonSummary(result: RoutingBenchResult): {
  strategies: Record<
    string,
    Pick<StrategyRow, 'success' | 'cost_per_prompt' | 'share_of_premium' | 'hull_margin' | 'ci'>
  >;
} {
  return {
    strategies: Object.fromEntries(
      result.strategies.map((row) => [
        row.name,
        {
          success: row.success,
          cost_per_prompt: row.cost_per_prompt,
          share_of_premium: row.share_of_premium,
          hull_margin: row.hull_margin,
          ci: row.ci,
        },
      ]),
    ),
  };
}
