import type { BenchTask } from './workload.js';

/** One request of the benchmark as it came back from the gateway. */
export interface RequestResult {
  taskId: string;
  /** The model that answered (`x-switchyard-model`); absent when the request failed. */
  model?: string;
  /** The answer passed: the serving model's recorded outcome on this task. A failed request never passes. */
  passed: boolean;
  /** `x-switchyard-cost-usd` (0 when the request failed). */
  costUsd: number;
  latencyMs: number;
  /** The error, when the gateway did not answer with 200. */
  error?: string;
}

export interface StrategySummary {
  strategy: string;
  requests: number;
  passed: number;
  successRate: number;
  totalCostUsd: number;
  costPerPromptUsd: number;
  p50Ms: number;
  p95Ms: number;
  errors: number;
  /** Requests per serving model. */
  modelMix: Record<string, number>;
}

/** Nearest-rank percentile (p in 0..100) of the values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Whether the answer of `model` to `task` passed; unknown models and failed requests do not. */
export function scoreAnswer(task: BenchTask, model: string | undefined): boolean {
  return model !== undefined && task.outcomes[model]?.passed === true;
}

export function summarize(strategy: string, results: readonly RequestResult[]): StrategySummary {
  const modelMix: Record<string, number> = {};
  let passed = 0;
  let totalCostUsd = 0;
  let errors = 0;
  for (const result of results) {
    if (result.passed) passed++;
    totalCostUsd += result.costUsd;
    if (result.error !== undefined) errors++;
    const key = result.model ?? '(failed)';
    modelMix[key] = (modelMix[key] ?? 0) + 1;
  }
  const latencies = results.map((result) => result.latencyMs);
  const requests = results.length;
  return {
    strategy,
    requests,
    passed,
    successRate: requests === 0 ? 0 : passed / requests,
    totalCostUsd,
    costPerPromptUsd: requests === 0 ? 0 : totalCostUsd / requests,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    errors,
    modelMix,
  };
}

/**
 * The oracle's model for a task: the cheapest model (by its recorded cost on this task) whose
 * answer passed; when none passed, the cheapest model outright (a failure either way, so the
 * oracle pays as little as possible). Ties go to the earlier model in `models`.
 */
export function oracleModel(task: BenchTask, models: readonly string[]): string {
  let best: string | undefined;
  let bestPassed = false;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const model of models) {
    const outcome = task.outcomes[model];
    if (outcome === undefined) continue;
    const better =
      outcome.passed && !bestPassed
        ? true
        : outcome.passed === bestPassed && outcome.costUsd < bestCost;
    if (better) {
      best = model;
      bestPassed = outcome.passed;
      bestCost = outcome.costUsd;
    }
  }
  if (best === undefined) throw new Error(`task ${task.id} has no outcome for any model`);
  return best;
}

/** What a fixed choice of model per task would score from the recorded outcomes alone (no requests). */
export function recordedSummary(
  strategy: string,
  tasks: readonly BenchTask[],
  choose: (task: BenchTask) => string,
): StrategySummary {
  return summarize(
    strategy,
    tasks.map((task) => {
      const model = choose(task);
      const outcome = task.outcomes[model];
      return {
        taskId: task.id,
        model,
        passed: outcome?.passed === true,
        costUsd: outcome?.costUsd ?? 0,
        latencyMs: 0,
      };
    }),
  );
}
