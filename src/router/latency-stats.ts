import type { AttemptObservation, AttemptObserver } from '../core/route.js';
import { LATENCY_DEFAULTS, type LatencySettings } from './policies/routing-settings.js';

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
 * In-process; a Redis-backed store can implement the same surface for several replicas.
 */
export class LatencyStats implements AttemptObserver {
  private readonly settings: LatencySettings;
  private readonly priors: ReadonlyMap<string, LatencyPrior>;
  private readonly stats = new Map<string, DeploymentStats>();

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
    const source =
      stats && stats.samples > 0 ? 'measured' : this.priors.has(key) ? 'prior' : 'default';
    const prior = this.priors.get(key) ?? DEFAULT_PRIOR;
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
    const stats = this.stats.get(key);
    const ttft = stats ? stats.ttftMs : (this.priors.get(key) ?? DEFAULT_PRIOR).ttftMs;
    const speed = stats
      ? stats.tokensPerSecond
      : (this.priors.get(key) ?? DEFAULT_PRIOR).tokensPerSecond;
    return speed > 0 && Number.isFinite(speed) ? ttft + (outputTokens * 1000) / speed : ttft;
  }

  samples(key: string): number {
    return this.stats.get(key)?.samples ?? 0;
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
