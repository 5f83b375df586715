import { hashText } from '../../src/sim/hash-text.js';
import { SimReplayTable } from '../../src/sim/replay-table.js';

/** What one model did on one task: its answer, the usage it reports, whether the answer passed. */
export interface TaskOutcome {
  passed: boolean;
  answer: string;
  promptTokens: number;
  completionTokens: number;
  /** USD at the model's list price for those tokens. */
  costUsd: number;
}

/** One prompt of a workload with every model's outcome on it. The router sees only `prompt`. */
export interface BenchTask {
  id: string;
  prompt: string;
  /** A label for per-group breakdowns and tuning (e.g. `python/bug-fix`); not sent. */
  group: string;
  outcomes: Record<string, TaskOutcome>;
}

export interface Workload {
  name: string;
  description: string;
  tasks: BenchTask[];
}

export interface WorkloadSplit {
  tuning: BenchTask[];
  holdout: BenchTask[];
}

/**
 * A deterministic split: tasks ordered by a seeded hash of their id, the first
 * round(fraction × n) are the holdout. The same ids, seed and fraction give the same split
 * regardless of the tasks' order.
 */
export function splitTasks(
  tasks: BenchTask[],
  holdoutFraction: number,
  seed: number,
): WorkloadSplit {
  if (!(holdoutFraction > 0 && holdoutFraction < 1))
    throw new Error('the holdout fraction must be between 0 and 1');
  const ranked = [...tasks].sort(
    (a, b) => hashText(a.id, seed) - hashText(b.id, seed) || (a.id < b.id ? -1 : 1),
  );
  const holdoutCount = Math.round(ranked.length * holdoutFraction);
  const holdout = new Set(ranked.slice(0, holdoutCount).map((task) => task.id));
  return {
    tuning: tasks.filter((task) => !holdout.has(task.id)),
    holdout: tasks.filter((task) => holdout.has(task.id)),
  };
}

/** The simulator's replay table for these tasks: every model answers each prompt as recorded. */
export function replayTableFor(
  tasks: Iterable<BenchTask>,
  table = new SimReplayTable(),
): SimReplayTable {
  for (const task of tasks) {
    for (const [model, outcome] of Object.entries(task.outcomes)) {
      table.set(model, task.prompt, {
        text: outcome.answer,
        promptTokens: outcome.promptTokens,
        completionTokens: outcome.completionTokens,
      });
    }
  }
  return table;
}
