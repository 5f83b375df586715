/**
 * One replica's figures for one deployment, as it sends them to the others (src/router/
 * shared-latency.ts): its EWMAs with the sample counts behind them, and its recent TTFT window.
 */
export interface LatencySummary {
  /** Successful attempts that gave a TTFT sample. */
  samples: number;
  /** Every attempt observed (the error rate's weight). */
  observations: number;
  ttftMs: number;
  tokensPerSecond: number;
  speedSamples: number;
  errorRate: number;
  /** The recent TTFT samples (ms). */
  window: number[];
}

/** Figures merged over this replica and its peers. */
export interface MergedStats {
  samples: number;
  ttftMs: number;
  tokensPerSecond: number;
  errorRate: number;
  p95TtftMs: number | undefined;
}

/**
 * Merges replicas' figures for one deployment: each EWMA is averaged weighted by the samples
 * behind it, capped at `cap` (a window's worth, so a replica with a long past does not outweigh
 * recent ones forever); the p95 is taken over the union of the recent windows. `fallback`
 * stands in where no source has a figure.
 */
export function mergeLatency(
  sources: readonly LatencySummary[],
  cap: number,
  fallback: { ttftMs: number; tokensPerSecond: number },
): MergedStats {
  const average = (
    value: (summary: LatencySummary) => number,
    weight: (summary: LatencySummary) => number,
    otherwise: number,
  ): number => {
    let total = 0;
    let sum = 0;
    for (const summary of sources) {
      const w = Math.min(weight(summary), cap);
      const figure = value(summary);
      if (w <= 0 || !Number.isFinite(figure)) continue;
      total += w;
      sum += w * figure;
    }
    return total > 0 ? sum / total : otherwise;
  };
  const window = sources.flatMap((summary) => summary.window).sort((a, b) => a - b);
  return {
    samples: sources.reduce((sum, summary) => sum + summary.samples, 0),
    ttftMs: average(
      (summary) => summary.ttftMs,
      (summary) => summary.samples,
      fallback.ttftMs,
    ),
    tokensPerSecond: average(
      (summary) => summary.tokensPerSecond,
      (summary) => summary.speedSamples,
      fallback.tokensPerSecond,
    ),
    errorRate: average(
      (summary) => summary.errorRate,
      (summary) => summary.observations,
      0,
    ),
    p95TtftMs:
      window.length === 0
        ? undefined
        : window[Math.min(window.length - 1, Math.ceil(window.length * 0.95) - 1)],
  };
}
