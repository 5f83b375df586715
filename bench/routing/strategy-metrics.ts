import { createSeededRandom } from '../../src/sim/hash-text.js';

/** One eval row as a strategy answered it. */
export interface RowOutcome {
  taskId: string;
  passed: boolean;
  /** Every attempt's cost, USD. */
  costUsd: number;
  /** Wall time for the row (all attempts), ms; 0 for strategies scored from the recorded outcomes. */
  latencyMs: number;
  /** Requests made for the row (1 unless a cascade escalated). */
  attempts: number;
  /** The model of the last answer. */
  model?: string;
}

/** The figures `--json` writes per strategy. */
export interface StrategyFigures {
  success: number;
  cost_per_prompt: number;
  share_of_premium: number;
  /** Success minus the single-model convex hull's success at the same cost per prompt. */
  hull_margin: number;
  /** 95% bootstrap interval of `success` over the eval rows. */
  ci: [number, number];
}

export interface StrategyRow extends StrategyFigures {
  name: string;
  kind: 'recorded' | 'gateway';
  note: string;
  mean_attempts: number;
  p50_ms: number;
  p95_ms: number;
  model_mix: Record<string, number>;
}

/** 95% percentile bootstrap interval of the pass rate (seeded: the same rows give the same interval). */
export function bootstrapInterval(
  passed: readonly boolean[],
  rounds = 1000,
  seed = 1,
): [number, number] {
  if (passed.length === 0) return [0, 0];
  const random = createSeededRandom(seed);
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let count = 0;
    for (let index = 0; index < passed.length; index++)
      if (passed[Math.floor(random.next() * passed.length)]) count++;
    rates.push(count / passed.length);
  }
  rates.sort((a, b) => a - b);
  return [
    rates[Math.floor(rounds * 0.025)]!,
    rates[Math.min(rounds - 1, Math.floor(rounds * 0.975))]!,
  ];
}

/**
 * The single-model convex hull (RouterBench's "zero router": mixing single models at random):
 * the upper concave envelope of the (cost, success) points, read at `cost`. Below the cheapest
 * model the cheapest model's success (no credit for being cheaper still); above the dearest, the
 * best success.
 */
export function hullSuccess(
  points: ReadonlyArray<{ cost: number; success: number }>,
  cost: number,
): number {
  const sorted = [...points].sort((a, b) => a.cost - b.cost || b.success - a.success);
  const hull: Array<{ cost: number; success: number }> = [];
  for (const point of sorted) {
    if (hull.length > 0 && point.success <= hull[hull.length - 1]!.success) continue;
    while (hull.length >= 2) {
      const [a, b] = [hull[hull.length - 2]!, hull[hull.length - 1]!];
      // Drop b when it lies on or below the segment a → point.
      const cross =
        (b.cost - a.cost) * (point.success - a.success) -
        (b.success - a.success) * (point.cost - a.cost);
      if (cross >= 0) hull.pop();
      else break;
    }
    hull.push(point);
  }
  if (hull.length === 0) return 0;
  if (cost <= hull[0]!.cost) return hull[0]!.success;
  for (let index = 1; index < hull.length; index++) {
    const [a, b] = [hull[index - 1]!, hull[index]!];
    if (cost <= b.cost)
      return a.success + ((b.success - a.success) * (cost - a.cost)) / (b.cost - a.cost);
  }
  return hull[hull.length - 1]!.success;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

/** A strategy's figures over the eval rows. */
export function strategyRow(
  name: string,
  kind: StrategyRow['kind'],
  note: string,
  rows: readonly RowOutcome[],
  premiumCostPerPrompt: number,
  hull: ReadonlyArray<{ cost: number; success: number }>,
): StrategyRow {
  const n = Math.max(1, rows.length);
  const success = rows.filter((row) => row.passed).length / n;
  const cost = rows.reduce((total, row) => total + row.costUsd, 0) / n;
  const mix: Record<string, number> = {};
  for (const row of rows) mix[row.model ?? '(failed)'] = (mix[row.model ?? '(failed)'] ?? 0) + 1;
  return {
    name,
    kind,
    note,
    success,
    cost_per_prompt: cost,
    share_of_premium: premiumCostPerPrompt > 0 ? cost / premiumCostPerPrompt : 0,
    hull_margin: success - hullSuccess(hull, cost),
    ci: bootstrapInterval(rows.map((row) => row.passed)),
    mean_attempts: rows.reduce((total, row) => total + row.attempts, 0) / n,
    p50_ms: percentile(
      rows.map((row) => row.latencyMs),
      50,
    ),
    p95_ms: percentile(
      rows.map((row) => row.latencyMs),
      95,
    ),
    model_mix: mix,
  };
}
