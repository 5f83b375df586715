import type { AttemptObservation, AttemptObserver } from '../core/route.js';
import { type LatencySummary, type MergedStats, mergeLatency } from './merge-latency.js';
import { LATENCY_DEFAULTS, type LatencySettings } from './policies/routing-settings.js';

export type { LatencySummary } from './merge-latency.js';

/** Expected speed of a deployment before it has been measured. */
export interface LatencyPrior {
  ttftMs: number;
  tokensPerSecond: number;
}

/** Assumed for a deployment with neither measurements nor a prior (a real provider not yet called). */
export const DEFAULT_PRIOR: LatencyPrior = { ttftMs: 800, tokensPerSecond: 50 };

export interface LatencySnapshot {
  samples: number;
  ttftMs: number;
  tokensPerSecond: number;
  /** p95 of the recent window of TTFT samples; undefined until measured. */
  p95TtftMs?: number;
  /** Moving average of failures (0-1). */
  errorRate: number;
  /** Where the figures come from. */
  source: 'measured' | 'prior' | 'default';
}

/** How long a probe of an unmeasured deployment blocks the next one when no observation comes back. */
const PROBE_TIMEOUT_MS = 30_000;

class DeploymentStats {
  samples = 0;
  observations = 0;
  ttftMs: number;
  tokensPerSecond: number;
  speedSamples = 0;
  errorRate = 0;
  probeUntil = 0;
  private readonly window: Float64Array;
  private filled = 0;
  private next = 0;
  private p95: number | undefined;

  constructor(prior: LatencyPrior, windowSize: number) {
    this.ttftMs = prior.ttftMs;
    this.tokensPerSecond = prior.tokensPerSecond;
    this.window = new Float64Array(windowSize);
  }

  addTtft(value: number, alpha: number): void {
    this.ttftMs = this.samples === 0 ? value : this.ttftMs + alpha * (value - this.ttftMs);
    this.samples++;
    this.window[this.next] = value;
    this.next = (this.next + 1) % this.window.length;
    if (this.filled < this.window.length) this.filled++;
    this.p95 = undefined;
  }

  addSpeed(value: number, alpha: number): void {
    this.tokensPerSecond =
      this.speedSamples === 0
        ? value
        : this.tokensPerSecond + alpha * (value - this.tokensPerSecond);
    this.speedSamples++;
  }

  /** The recent TTFT samples, in ring order. */
  windowValues(): number[] {
    return Array.from(this.window.subarray(0, this.filled));
  }

  /** Computed on read, once per new sample: observing stays O(1). */
  p95TtftMs(): number | undefined {
    if (this.filled === 0) return undefined;
    if (this.p95 === undefined) {
      const sorted = this.window.slice(0, this.filled).sort();
      this.p95 = sorted[Math.min(this.filled - 1, Math.ceil(this.filled * 0.95) - 1)]!;
    }
    return this.p95;
  }
}

/**
 * Live per-deployment latency: moving averages (EWMA) of time to first token and tokens per
 * second, a recent-window p95 of TTFT and an error rate, fed by every attempt the executor makes.
 * With several replicas, each one's summaries reach the others periodically (`setPeer`), and
 * every read merges them: EWMAs weighted by the samples behind them (at most a window's worth
 * each), the p95 over the union of the recent windows. A merge is computed once per change
 * (a local sample or a peer's summary), not per read.
 */
export class LatencyStats implements AttemptObserver {
  private readonly settings: LatencySettings;
  private readonly priors: ReadonlyMap<string, LatencyPrior>;
  private readonly stats = new Map<string, DeploymentStats>();
  /** Deployment key → replica id → that replica's latest summary. */
  private readonly peers = new Map<string, Map<string, LatencySummary>>();
  private readonly merged = new Map<string, MergedStats>();

  constructor(
    settings: Partial<LatencySettings> = {},
    priors: ReadonlyMap<string, LatencyPrior> = new Map(),
  ) {
    this.settings = { ...LATENCY_DEFAULTS, ...settings };
    this.priors = priors;
  }

  private entry(key: string): DeploymentStats {
    let stats = this.stats.get(key);
    if (!stats) {
      stats = new DeploymentStats(this.priors.get(key) ?? DEFAULT_PRIOR, this.settings.window);
      this.stats.set(key, stats);
    }
    return stats;
  }

  observe(observation: AttemptObservation): void {
    const stats = this.entry(observation.key);
    const alpha = this.settings.ewmaAlpha;
    stats.probeUntil = 0;
    stats.observations++;
    if (this.merged.size > 0) this.merged.delete(observation.key);
    stats.errorRate += alpha * ((observation.ok ? 0 : 1) - stats.errorRate);
    if (!observation.ok || observation.firstTokenMs === undefined) return;
    const output = observation.outputTokens ?? 0;
    const generating = observation.durationMs - observation.firstTokenMs;
    if (generating > 1 && output > 1) {
      // A stream: first token and generation speed are both visible.
      stats.addTtft(observation.firstTokenMs, alpha);
      stats.addSpeed((output * 1000) / generating, alpha);
    } else {
      // A whole answer at once: the time to its first token is the duration less the generation
      // time the current speed estimate predicts for its tokens.
      stats.addTtft(
        Math.max(0, observation.durationMs - (output * 1000) / stats.tokensPerSecond),
        alpha,
      );
    }
  }

  snapshot(key: string): LatencySnapshot {
    const stats = this.stats.get(key);
    const merged = this.mergedOf(key);
    const samples = merged?.samples ?? stats?.samples ?? 0;
    const source = samples > 0 ? 'measured' : this.priors.has(key) ? 'prior' : 'default';
    const prior = this.priors.get(key) ?? DEFAULT_PRIOR;
    if (merged) {
      return {
        samples,
        ttftMs: merged.ttftMs,
        tokensPerSecond: merged.tokensPerSecond,
        errorRate: merged.errorRate,
        source,
        ...(merged.p95TtftMs === undefined ? {} : { p95TtftMs: merged.p95TtftMs }),
      };
    }
    if (!stats)
      return {
        samples: 0,
        ttftMs: prior.ttftMs,
        tokensPerSecond: prior.tokensPerSecond,
        errorRate: 0,
        source,
      };
    const p95 = stats.p95TtftMs();
    return {
      samples: stats.samples,
      ttftMs: stats.ttftMs,
      tokensPerSecond: stats.tokensPerSecond,
      errorRate: stats.errorRate,
      source,
      ...(p95 === undefined ? {} : { p95TtftMs: p95 }),
    };
  }

  /** Predicted milliseconds to the end of an answer of `outputTokens`: TTFT + output / tokens per second. */
  predictMs(key: string, outputTokens: number): number {
    const merged = this.mergedOf(key);
    const stats = merged ?? this.stats.get(key);
    const ttft = stats ? stats.ttftMs : (this.priors.get(key) ?? DEFAULT_PRIOR).ttftMs;
    const speed = stats
      ? stats.tokensPerSecond
      : (this.priors.get(key) ?? DEFAULT_PRIOR).tokensPerSecond;
    return speed > 0 && Number.isFinite(speed) ? ttft + (outputTokens * 1000) / speed : ttft;
  }

  samples(key: string): number {
    return this.mergedOf(key)?.samples ?? this.stats.get(key)?.samples ?? 0;
  }

  /** This replica's own figures, per measured deployment: what it sends to its peers. */
  summaries(): Record<string, LatencySummary> {
    const result: Record<string, LatencySummary> = {};
    for (const [key, stats] of this.stats) {
      if (stats.observations === 0) continue;
      result[key] = {
        samples: stats.samples,
        observations: stats.observations,
        ttftMs: stats.ttftMs,
        // A prior can be infinite (a simulator at time scale 0), which JSON cannot carry: it is
        // not a measurement anyway (speedSamples 0 gives it no weight).
        tokensPerSecond: Number.isFinite(stats.tokensPerSecond) ? stats.tokensPerSecond : 0,
        speedSamples: stats.speedSamples,
        errorRate: stats.errorRate,
        window: stats.windowValues().map((value) => Math.round(value)),
      };
    }
    return result;
  }

  /** Replaces a peer replica's summaries (undefined: the peer is gone, forget it). */
  setPeer(replicaId: string, summaries: Record<string, LatencySummary> | undefined): void {
    for (const [key, byPeer] of this.peers) {
      if (byPeer.delete(replicaId) && byPeer.size === 0) this.peers.delete(key);
    }
    for (const [key, summary] of Object.entries(summaries ?? {})) {
      let byPeer = this.peers.get(key);
      if (!byPeer) {
        byPeer = new Map();
        this.peers.set(key, byPeer);
      }
      byPeer.set(replicaId, summary);
    }
    this.merged.clear();
  }

  /** The replicas whose summaries are merged in. */
  peerIds(): string[] {
    const ids = new Set<string>();
    for (const byPeer of this.peers.values()) for (const id of byPeer.keys()) ids.add(id);
    return [...ids];
  }

  /** Own and peers' figures for a key merged (undefined without peer figures for it). */
  private mergedOf(key: string): MergedStats | undefined {
    const byPeer = this.peers.get(key);
    if (!byPeer) return undefined;
    const cached = this.merged.get(key);
    if (cached) return cached;
    const own = this.stats.get(key);
    const sources: LatencySummary[] = [...byPeer.values()];
    if (own && own.observations > 0) {
      sources.push({
        samples: own.samples,
        observations: own.observations,
        ttftMs: own.ttftMs,
        tokensPerSecond: own.tokensPerSecond,
        speedSamples: own.speedSamples,
        errorRate: own.errorRate,
        window: own.windowValues(),
      });
    }
    const prior = this.priors.get(key) ?? DEFAULT_PRIOR;
    const merged = mergeLatency(sources, this.settings.window, {
      ttftMs: own?.ttftMs ?? prior.ttftMs,
      tokensPerSecond: own?.tokensPerSecond ?? prior.tokensPerSecond,
    });
    this.merged.set(key, merged);
    return merged;
  }

  get minSamples(): number {
    return this.settings.minSamples;
  }

  get explorationShare(): number {
    return this.settings.explorationShare;
  }

  /** True (and the probe is recorded) when no probe of this deployment is already in flight. */
  tryStartProbe(key: string, now: number): boolean {
    const stats = this.entry(key);
    if (stats.probeUntil > now) return false;
    stats.probeUntil = now + PROBE_TIMEOUT_MS;
    return true;
  }
}
