import type { AttemptRow } from '../usage/ledger/ledger.js';

/** Latency, speed and errors of one deployment over a window, from its upstream attempts. */
export interface DeploymentLatency {
  /** `provider/model`. */
  deployment: string;
  provider: string;
  model: string;
  attempts: number;
  /** Attempts that ended with HTTP status 400 or above (the executor failed over or gave up). */
  errors: number;
  errorRate: number;
  /** Time to first token, ms, over streamed attempts that produced one (null: none). */
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Median output tokens per second after the first token (streams) or over the whole call. */
  tokensPerSecond: number | null;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1]!;
}

const ascending = (left: number, right: number): number => left - right;

/** One line per deployment, sorted by attempts (busiest first), then name. */
export function latencyByDeployment(rows: readonly AttemptRow[]): DeploymentLatency[] {
  const groups = new Map<string, AttemptRow[]>();
  for (const row of rows) {
    const key = `${row.provider}/${row.model}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const lines: DeploymentLatency[] = [];
  for (const [deployment, group] of groups) {
    const errors = group.filter((row) => row.status >= 400).length;
    const answered = group.filter((row) => row.status < 400);
    const latencies = answered.map((row) => row.latencyMs).sort(ascending);
    const ttfts = answered
      .flatMap((row) => (row.firstTokenMs === null ? [] : [row.firstTokenMs]))
      .sort(ascending);
    const speeds = answered
      .flatMap((row) => {
        // Streams: after the first token; a whole answer at once (no later tokens): over the call.
        const afterFirst = row.latencyMs - (row.firstTokenMs ?? 0);
        const decodeMs = afterFirst > 0 ? afterFirst : row.latencyMs;
        return row.outputTokens > 0 && decodeMs > 0 ? [(row.outputTokens * 1000) / decodeMs] : [];
      })
      .sort(ascending);
    const first = group[0]!;
    lines.push({
      deployment,
      provider: first.provider,
      model: first.model,
      attempts: group.length,
      errors,
      errorRate: errors / group.length,
      ttftP50Ms: ttfts.length === 0 ? null : percentile(ttfts, 0.5),
      ttftP95Ms: ttfts.length === 0 ? null : percentile(ttfts, 0.95),
      latencyP50Ms: latencies.length === 0 ? 0 : percentile(latencies, 0.5),
      latencyP95Ms: latencies.length === 0 ? 0 : percentile(latencies, 0.95),
      tokensPerSecond: speeds.length === 0 ? null : percentile(speeds, 0.5),
    });
  }
  return lines.sort(
    (left, right) =>
      right.attempts - left.attempts || left.deployment.localeCompare(right.deployment),
  );
}
