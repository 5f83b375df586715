import type { RoutingBenchResult } from './routing-bench.js';

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
const points = (value: number): string => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}`;

/** The report as Markdown: one row per strategy over the eval rows. */
export function formatBenchTable(
  meta: { command: string; startedAt: string; node: string; cpus: string; seconds: number },
  result: RoutingBenchResult,
): string {
  const lines = [
    `## Routing benchmark — ${result.train} train rows, ${result.eval} eval rows`,
    '',
    `\`${meta.command}\` (${meta.startedAt}, Node ${meta.node}, ${meta.cpus}, ${meta.seconds} s)`,
    '',
    '| strategy | success | 95% CI | $/prompt | share of premium | hull margin (pts) | attempts | p50 / p95 s | how |',
    '|---|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const row of result.strategies) {
    const latency =
      row.kind === 'recorded'
        ? '-'
        : `${(row.p50_ms / 1000).toFixed(1)} / ${(row.p95_ms / 1000).toFixed(1)}`;
    lines.push(
      `| ${row.name} | ${percent(row.success)} | ${percent(row.ci[0])}–${percent(row.ci[1])} | ${row.cost_per_prompt.toFixed(6)} | ${percent(row.share_of_premium)} | ${points(row.hull_margin)} | ${row.mean_attempts.toFixed(2)} | ${latency} | ${row.note} |`,
    );
  }
  lines.push('', 'Tuned on the train rows only:', '');
  for (const entry of result.tuning)
    lines.push(`- ${entry.strategy} (${entry.candidates} candidates): ${entry.winner}`);
  lines.push(
    '',
    `Replay check (always-premium through the gateway vs recorded): cost drift $${result.replayCheck.costDriftUsd.toFixed(6)}, ${result.replayCheck.errors} failed requests.`,
  );
  return lines.join('\n');
}
