import type { DeploymentHealth } from '../core/route.js';
import type { BreakerSettings } from './resilience-config.js';

/**
 * Per-deployment circuit breakers and cooldowns, in memory (one gateway process).
 *
 *   closed ──(error rate ≥ threshold over ≥ min requests in the window, or N consecutive
 *            failures)──▶ open ──(open_ms elapsed)──▶ half-open: up to `halfOpenProbes` attempts
 *            at a time; that many successes ▶ closed, any failure ▶ open again.
 *
 * A cooldown is separate: a deployment that answered 429 with Retry-After is skipped until then,
 * and a provider whose key was refused is skipped (all its deployments) for `authCooldownMs`.
 * The router asks `available`; the executor asks `acquire` before each attempt and reports how
 * it ended.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Ten buckets make the window slide in tenths without remembering every attempt. */
const BUCKETS = 10;

interface Breaker {
  state: BreakerState;
  openUntil: number;
  consecutiveFailures: number;
  probesInFlight: number;
  probeSuccesses: number;
  cooldownUntil: number;
  cooldownReason?: string;
  bucketEpochs: number[];
  bucketRequests: number[];
  bucketFailures: number[];
  opened: number;
  lastError?: string;
}

export interface BreakerSnapshot {
  key: string;
  state: BreakerState;
  available: boolean;
  consecutiveFailures: number;
  windowRequests: number;
  windowFailures: number;
  /** Epoch ms when an open breaker lets probes through; null unless open. */
  openUntil: number | null;
  /** Epoch ms until which the deployment (or its provider) is cooled down; null when not. */
  cooldownUntil: number | null;
  cooldownReason: string | null;
  /** Times the breaker opened since the gateway started. */
  opened: number;
  lastError: string | null;
}

/** What `acquire` granted: a normal attempt, or one of the half-open probes. */
export type Permit = 'normal' | 'probe';

/**
 * A change other replicas should know about (shared through src/state by `shareBreakers`).
 * Durations are relative (`forMs`), so replicas' clocks need not agree.
 */
export type BreakerEvent =
  | { type: 'open'; key: string; forMs: number; reason?: string }
  | { type: 'close'; key: string }
  | { type: 'cooldown'; key: string; forMs: number; reason: string }
  | { type: 'provider-cooldown'; provider: string; forMs: number; reason: string };

export class DeploymentBreakers implements DeploymentHealth {
  private readonly breakers = new Map<string, Breaker>();
  private readonly providerCooldowns = new Map<string, { until: number; reason: string }>();
  private bucketMs: number;
  private readonly listeners = new Set<(event: BreakerEvent) => void>();

  constructor(
    private settings: BreakerSettings,
    private readonly alert: (message: string) => void = (message) =>
      console.warn(`[switchyard] ${message}`),
  ) {
    this.bucketMs = Math.max(1, Math.ceil(settings.windowMs / BUCKETS));
  }

  /** Local changes (not those applied from other replicas); returns the unsubscribe function. */
  onEvent(listener: (event: BreakerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Applies another replica's change: its open breaker opens here for the time it has left, its
   * close closes here, its cooldowns cool here. Never re-emitted.
   */
  apply(event: BreakerEvent, now: number): void {
    if (event.type === 'provider-cooldown') {
      const current = this.providerCooldowns.get(event.provider);
      const until = now + Math.max(0, event.forMs);
      if (!current || current.until < until)
        this.providerCooldowns.set(event.provider, { until, reason: event.reason });
      return;
    }
    if (event.type === 'close') {
      const breaker = this.breakers.get(event.key);
      if (breaker && breaker.state !== 'closed') this.close(breaker);
      return;
    }
    const breaker = this.breakerOf(event.key);
    const until = now + Math.max(0, event.forMs);
    if (event.type === 'cooldown') {
      if (breaker.cooldownUntil < until) {
        breaker.cooldownUntil = until;
        breaker.cooldownReason = event.reason;
      }
      return;
    }
    if (breaker.state === 'open') breaker.openUntil = Math.max(breaker.openUntil, until);
    else {
      breaker.opened += 1;
      breaker.state = 'open';
      breaker.openUntil = until;
    }
    breaker.probeSuccesses = 0;
    if (event.reason !== undefined) breaker.lastError = event.reason;
  }

  private emit(event: BreakerEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /**
   * A reload's breaker settings: thresholds and durations apply from the next decision; breaker
   * states carry over. A new window length restarts the failure-rate windows (their buckets
   * were cut for the old one).
   */
  reconfigure(settings: BreakerSettings): void {
    const bucketMs = Math.max(1, Math.ceil(settings.windowMs / BUCKETS));
    if (bucketMs !== this.bucketMs)
      for (const breaker of this.breakers.values()) {
        breaker.bucketEpochs.fill(-1);
        breaker.bucketRequests.fill(0);
        breaker.bucketFailures.fill(0);
      }
    this.settings = settings;
    this.bucketMs = bucketMs;
  }

  available(key: string, now: number): boolean {
    const breaker = this.breakers.get(key);
    if (this.providerCooled(key, now)) return false;
    if (!breaker) return true;
    if (breaker.cooldownUntil > now) return false;
    if (breaker.state === 'closed') return true;
    if (breaker.state === 'open' && now < breaker.openUntil) return false;
    return breaker.probesInFlight < this.settings.halfOpenProbes;
  }

  /**
   * Takes a slot for one attempt, or undefined when the deployment must be skipped.
   * `ownWait`: the caller already waited out the Retry-After that set the cooldown.
   */
  acquire(key: string, now: number, ownWait = false): Permit | undefined {
    if (this.providerCooled(key, now)) return undefined;
    const breaker = this.breakers.get(key);
    if (!breaker) return 'normal';
    if (breaker.cooldownUntil > now && !ownWait) return undefined;
    if (breaker.state === 'closed') return 'normal';
    if (breaker.state === 'open') {
      if (now < breaker.openUntil) return undefined;
      breaker.state = 'half-open';
      breaker.probeSuccesses = 0;
    }
    if (breaker.probesInFlight >= this.settings.halfOpenProbes) return undefined;
    breaker.probesInFlight += 1;
    return 'probe';
  }

  /** A last-resort attempt on a deployment `acquire` refused: counted as a probe. */
  force(key: string): Permit {
    const breaker = this.breakers.get(key);
    if (!breaker || breaker.state === 'closed') return 'normal';
    breaker.probesInFlight += 1;
    return 'probe';
  }

  succeeded(key: string, permit: Permit, now: number): void {
    const breaker = this.breakers.get(key);
    if (!breaker) return; // never failed: nothing to record on the happy path
    this.count(breaker, now, false);
    breaker.consecutiveFailures = 0;
    if (permit === 'probe') {
      breaker.probesInFlight = Math.max(0, breaker.probesInFlight - 1);
      breaker.probeSuccesses += 1;
      if (breaker.state === 'half-open' && breaker.probeSuccesses >= this.settings.halfOpenProbes) {
        this.close(breaker);
        this.emit({ type: 'close', key });
      }
    }
  }

  /** A failure that says something about the deployment (5xx, 429, timeout, reset, bad response). */
  failed(key: string, permit: Permit, now: number, errorCode: string, retryAfterMs?: number): void {
    const breaker = this.breakerOf(key);
    breaker.lastError = errorCode;
    this.count(breaker, now, true);
    breaker.consecutiveFailures += 1;
    if (permit === 'probe') breaker.probesInFlight = Math.max(0, breaker.probesInFlight - 1);
    if (retryAfterMs !== undefined && retryAfterMs > 0) {
      breaker.cooldownUntil = Math.max(
        breaker.cooldownUntil,
        now + Math.min(retryAfterMs, this.settings.openMs),
      );
      breaker.cooldownReason = `${errorCode} (retry-after)`;
      if (this.listeners.size > 0)
        this.emit({
          type: 'cooldown',
          key,
          forMs: breaker.cooldownUntil - now,
          reason: breaker.cooldownReason,
        });
    }
    if (breaker.state === 'half-open' || (breaker.state === 'closed' && this.tripped(breaker, now)))
      this.open(key, breaker, now);
  }

  /** The attempt ended without a verdict on the deployment (client gone, lost a hedge, bad request). */
  released(key: string, permit: Permit): void {
    if (permit !== 'probe') return;
    const breaker = this.breakers.get(key);
    if (breaker) breaker.probesInFlight = Math.max(0, breaker.probesInFlight - 1);
  }

  /** The provider refused the gateway's key: skip all its deployments for a while and alert. */
  coolProvider(provider: string, now: number, reason: string): void {
    const current = this.providerCooldowns.get(provider);
    if (current && current.until > now) return;
    this.providerCooldowns.set(provider, { until: now + this.settings.authCooldownMs, reason });
    this.emit({ type: 'provider-cooldown', provider, forMs: this.settings.authCooldownMs, reason });
    this.alert(
      `provider "${provider}" refused the gateway's credentials (${reason}); its deployments are skipped for ${Math.round(this.settings.authCooldownMs / 1000)} s. Check the provider's API key setting.`,
    );
  }

  snapshot(now: number, keys: Iterable<string> = this.breakers.keys()): BreakerSnapshot[] {
    const result: BreakerSnapshot[] = [];
    for (const key of keys) {
      const breaker = this.breakers.get(key);
      const provider = this.providerCooldowns.get(providerOf(key));
      const providerCooled = provider !== undefined && provider.until > now;
      let windowRequests = 0;
      let windowFailures = 0;
      if (breaker) {
        for (let index = 0; index < BUCKETS; index += 1) {
          if (now - breaker.bucketEpochs[index]! * this.bucketMs < this.settings.windowMs) {
            windowRequests += breaker.bucketRequests[index]!;
            windowFailures += breaker.bucketFailures[index]!;
          }
        }
      }
      const cooldownUntil = providerCooled
        ? provider.until
        : breaker && breaker.cooldownUntil > now
          ? breaker.cooldownUntil
          : null;
      result.push({
        key,
        state: breaker?.state ?? 'closed',
        available: this.available(key, now),
        consecutiveFailures: breaker?.consecutiveFailures ?? 0,
        windowRequests,
        windowFailures,
        openUntil: breaker?.state === 'open' ? breaker.openUntil : null,
        cooldownUntil,
        cooldownReason: providerCooled
          ? provider.reason
          : cooldownUntil === null
            ? null
            : (breaker?.cooldownReason ?? null),
        opened: breaker?.opened ?? 0,
        lastError: breaker?.lastError ?? null,
      });
    }
    return result;
  }

  /** True while the deployment's provider is cooled down (its key was refused). */
  providerCooled(key: string, now: number): boolean {
    if (this.providerCooldowns.size === 0) return false;
    const cooldown = this.providerCooldowns.get(providerOf(key));
    return cooldown !== undefined && cooldown.until > now;
  }

  private breakerOf(key: string): Breaker {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = {
        state: 'closed',
        openUntil: 0,
        consecutiveFailures: 0,
        probesInFlight: 0,
        probeSuccesses: 0,
        cooldownUntil: 0,
        opened: 0,
        bucketEpochs: new Array<number>(BUCKETS).fill(-1),
        bucketRequests: new Array<number>(BUCKETS).fill(0),
        bucketFailures: new Array<number>(BUCKETS).fill(0),
      };
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  private count(breaker: Breaker, now: number, failure: boolean): void {
    const epoch = Math.floor(now / this.bucketMs);
    const index = epoch % BUCKETS;
    if (breaker.bucketEpochs[index] !== epoch) {
      breaker.bucketEpochs[index] = epoch;
      breaker.bucketRequests[index] = 0;
      breaker.bucketFailures[index] = 0;
    }
    breaker.bucketRequests[index]! += 1;
    if (failure) breaker.bucketFailures[index]! += 1;
  }

  private tripped(breaker: Breaker, now: number): boolean {
    if (breaker.consecutiveFailures >= this.settings.consecutiveFailures) return true;
    const oldest = Math.floor(now / this.bucketMs) - BUCKETS + 1;
    let requests = 0;
    let failures = 0;
    for (let index = 0; index < BUCKETS; index += 1) {
      if (breaker.bucketEpochs[index]! >= oldest) {
        requests += breaker.bucketRequests[index]!;
        failures += breaker.bucketFailures[index]!;
      }
    }
    return requests >= this.settings.minRequests && failures / requests >= this.settings.errorRate;
  }

  private open(key: string, breaker: Breaker, now: number): void {
    breaker.state = 'open';
    breaker.openUntil = now + this.settings.openMs;
    breaker.probeSuccesses = 0;
    breaker.opened += 1;
    this.emit({
      type: 'open',
      key,
      forMs: this.settings.openMs,
      ...(breaker.lastError === undefined ? {} : { reason: breaker.lastError }),
    });
  }

  private close(breaker: Breaker): void {
    breaker.state = 'closed';
    breaker.consecutiveFailures = 0;
    breaker.probeSuccesses = 0;
    breaker.bucketEpochs.fill(-1);
  }
}

function providerOf(key: string): string {
  const slash = key.indexOf('/');
  return slash === -1 ? key : key.slice(0, slash);
}
