import type { StrategySummary } from './scoring.js';

export interface StrategyResult extends StrategySummary {
  kind: 'oracle' | 'baseline' | 'policy';
  note: string;
  /** Wall-clock seconds to send the holdout through the gateway. */
  seconds: number;
  /** Answers whose text differed from the serving model's recorded answer (0 = replay exact). */
  replayMismatches: number;
  /** Sum over answers of |gateway cost − recorded cost|, USD. */
  costDriftUsd: number;
}

export interface WorkloadReport {
  workload: string;
  description: string;
  tasks: number;
  tuning: number;
  holdout: number;
  /** Every task, scored from the recorded outcomes alone (no requests): checks the data against its published figures. */
  recordedFullSet: StrategySummary[];
  /** Holdout, through the gateway. */
  results: StrategyResult[];
  /** Per policy family: candidates tried on the tuning split and the winner's tuning figures. */
  policyTuning?: Array<{
    family: string;
    candidates: number;
    winner: string;
    tuningSuccess: number;
    tuningCostShare: number;
  }>;
}

export interface RunMeta {
  command: string;
  startedAt: string;
  node: string;
  cpus: string;
  options: {
    holdoutFraction: number;
    seed: number;
    concurrency: number;
    timeScale: number;
    generatedCount: number;
  };
}

const usd = (value: number): string => `$${value < 0.01 ? value.toFixed(5) : value.toFixed(4)}`;
const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

function topModels(mix: Record<string, number>, total: number): string {
  return Object.entries(mix)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([model, count]) => `${model.replace(/^.*\//, '')} ${Math.round((count / total) * 100)}%`)
    .join(', ');
}

/** The Markdown report: per workload, the holdout table through the gateway, then the recorded full-set check. */
export function formatReport(meta: RunMeta, reports: readonly WorkloadReport[]): string {
  const lines: string[] = [
    `Routing benchmark — ${meta.startedAt}, node ${meta.node}, ${meta.cpus}`,
    `command: ${meta.command}`,
    `holdout fraction ${meta.options.holdoutFraction}, seed ${meta.options.seed}, concurrency ${meta.options.concurrency}, simulator time scale ${meta.options.timeScale} (latencies below are measured ÷ time scale)`,
  ];
  for (const report of reports) {
    const premium = report.results.find((result) => result.strategy === 'always-premium');
    lines.push(
      '',
      `### ${report.workload}: ${report.holdout} holdout prompts (of ${report.tasks}; ${report.tuning} kept for tuning)`,
      '',
    );
    lines.push(
      '| strategy | success | cost / prompt | total cost | vs premium cost | p50 ms | p95 ms | errors | top models |',
    );
    lines.push('|---|--:|--:|--:|--:|--:|--:|--:|---|');
    for (const result of report.results) {
      const share =
        premium && premium.totalCostUsd > 0
          ? percent(result.totalCostUsd / premium.totalCostUsd)
          : '–';
      lines.push(
        `| ${result.strategy} | ${percent(result.successRate)} | ${usd(result.costPerPromptUsd)} | ${usd(result.totalCostUsd)} | ${share} | ${Math.round(result.p50Ms)} | ${Math.round(result.p95Ms)} | ${result.errors} | ${topModels(result.modelMix, result.requests)} |`,
      );
    }
    for (const entry of report.policyTuning ?? []) {
      lines.push(
        `- ${entry.family}: best of ${entry.candidates} configs on the tuning split (${percent(entry.tuningSuccess)} success at ${percent(entry.tuningCostShare)} of premium's cost there): ${entry.winner}`,
      );
    }
    if (report.policyTuning === undefined)
      lines.push('', 'policies: not run (this build has no routing policies)');
    const mismatches = report.results.reduce((total, result) => total + result.replayMismatches, 0);
    const drift = report.results.reduce((total, result) => total + result.costDriftUsd, 0);
    const requests = report.results.reduce((total, result) => total + result.requests, 0);
    lines.push(
      '',
      `replay check: ${mismatches} of ${requests} answers differed from the recorded text; gateway cost vs recorded cost: mean |Δ| $${(requests === 0 ? 0 : drift / requests).toExponential(1)} per answer`,
    );
    const recorded = report.recordedFullSet
      .map(
        (summary) =>
          `${summary.strategy.replace(/^.*\//, '')} ${percent(summary.successRate)} ${usd(summary.costPerPromptUsd)}`,
      )
      .join('; ');
    lines.push('', `recorded outcomes over all ${report.tasks} prompts (no requests): ${recorded}`);
  }
  return lines.join('\n');
}
