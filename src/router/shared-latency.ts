import type { SharedState } from '../state/shared-state.js';
import type { LatencyStats, LatencySummary } from './latency-stats.js';

/** The pub/sub channel of latency summaries (relative to the shared state's prefix). */
export const LATENCY_CHANNEL = 'latency';

export interface ShareLatencyOptions {
  state: SharedState;
  /** The router's current stats (a config reload replaces the router, and its stats with it). */
  stats: () => LatencyStats;
  /** How often this replica sends its summaries (default 1000 ms). */
  intervalMs?: number;
}

/**
 * Latency statistics merged across replicas at a fixed cost: every `intervalMs` each replica
 * publishes one message with its own per-deployment summaries (EWMAs, sample counts, the recent
 * TTFT window), and folds the latest summary of every other replica into its stats. Nothing
 * happens per request. A peer not heard from for three intervals (stopped, or Redis down) is
 * dropped, and the replica goes on with its own figures. Returns the function that stops sharing.
 */
export function shareLatency(options: ShareLatencyOptions): () => void {
  const intervalMs = options.intervalMs ?? 1000;
  const heard = new Map<string, number>();
  const unsubscribe = options.state.subscribe(LATENCY_CHANNEL, (message, from) => {
    const summaries = parseSummaries(message);
    if (!summaries) return;
    heard.set(from, Date.now());
    options.stats().setPeer(from, summaries);
  });
  const timer = setInterval(() => {
    const stats = options.stats();
    const now = Date.now();
    for (const [peer, at] of heard) {
      if (now - at > 3 * intervalMs) {
        heard.delete(peer);
        stats.setPeer(peer, undefined);
      }
    }
    // After a reload the new stats start without peers: they come back with the next messages.
    const own = stats.summaries();
    if (Object.keys(own).length > 0)
      void options.state.publish(LATENCY_CHANNEL, JSON.stringify(own));
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}

const NUMBER_FIELDS = [
  'samples',
  'observations',
  'ttftMs',
  'tokensPerSecond',
  'speedSamples',
  'errorRate',
] as const;

/** Another replica's message, checked (a malformed one is ignored; at most 1,000 deployments). */
function parseSummaries(text: string): Record<string, LatencySummary> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const result: Record<string, LatencySummary> = {};
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 1000) return undefined;
  for (const [key, raw] of entries) {
    if (typeof raw !== 'object' || raw === null) return undefined;
    const summary = raw as Record<string, unknown>;
    if (!NUMBER_FIELDS.every((field) => typeof summary[field] === 'number')) return undefined;
    const window = summary.window;
    if (
      !Array.isArray(window) ||
      window.length > 1024 ||
      !window.every((sample) => typeof sample === 'number' && Number.isFinite(sample))
    )
      return undefined;
    result[key] = {
      samples: summary.samples as number,
      observations: summary.observations as number,
      ttftMs: summary.ttftMs as number,
      tokensPerSecond: summary.tokensPerSecond as number,
      speedSamples: summary.speedSamples as number,
      errorRate: summary.errorRate as number,
      window: window as number[],
    };
  }
  return result;
}
