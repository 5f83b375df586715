import type { Abortable } from '../core/cancel.js';
import { GatewayError } from '../core/errors.js';

/**
 * Enforces attempt timeouts (first token, idle between chunks, total) with one shared interval
 * for the whole process instead of timers per request: an attempt registers a watch (a Set
 * insert), the relay bumps a chunk counter, and the tick aborts what overstayed. The interval
 * runs only while something is watched (it stops after one idle tick) and never keeps the
 * process alive.
 */
export interface Watch {
  readonly controller: Abortable;
  readonly provider: string;
  /** performance.now() deadline for the whole attempt. */
  readonly totalAt: number;
  /** performance.now() deadline for the first content part; undefined once content flowed or when not watched. */
  firstTokenAt: number | undefined;
  readonly idleMs: number | undefined;
  /** Bumped by the relay on every upstream batch. */
  chunks: number;
  seenChunks: number;
  lastActivity: number;
}

export interface WatchLimits {
  totalMs: number;
  firstTokenMs?: number;
  idleMs?: number;
}

export class AttemptWatchdog {
  private readonly watched = new Set<Watch>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tickMs = 20,
    private readonly now: () => number = () => performance.now(),
  ) {}

  watch(controller: Abortable, provider: string, limits: WatchLimits): Watch {
    const now = this.now();
    const watch: Watch = {
      controller,
      provider,
      totalAt: now + limits.totalMs,
      firstTokenAt: limits.firstTokenMs === undefined ? undefined : now + limits.firstTokenMs,
      idleMs: limits.idleMs,
      chunks: 0,
      seenChunks: 0,
      lastActivity: now,
    };
    this.watched.add(watch);
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.tick(), this.tickMs);
      this.timer.unref();
    }
    return watch;
  }

  /** Content arrived: the first-token deadline no longer applies, idle time is measured from now. */
  flowing(watch: Watch): void {
    watch.firstTokenAt = undefined;
    watch.lastActivity = this.now();
    watch.seenChunks = watch.chunks;
  }

  unwatch(watch: Watch): void {
    this.watched.delete(watch);
  }

  get size(): number {
    return this.watched.size;
  }

  /** Checks every watch once (the interval calls it; tests call it with a fake clock). */
  tick(): void {
    if (this.watched.size === 0) {
      // Idle for a whole tick: stop until the next watch (not on every unwatch, which churns timers).
      if (this.timer !== undefined) clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const now = this.now();
    for (const watch of this.watched) {
      let reason: string | undefined;
      if (now >= watch.totalAt) reason = 'the attempt exceeded its total timeout';
      else if (watch.firstTokenAt !== undefined && now >= watch.firstTokenAt)
        reason = 'no first token within the first-token timeout';
      else if (watch.firstTokenAt === undefined && watch.idleMs !== undefined) {
        if (watch.chunks !== watch.seenChunks) {
          watch.seenChunks = watch.chunks;
          watch.lastActivity = now;
        } else if (now - watch.lastActivity >= watch.idleMs)
          reason = 'the stream went silent longer than the idle timeout';
      }
      if (reason !== undefined) {
        this.unwatch(watch);
        watch.controller.abort(
          new GatewayError('upstream_timeout', `${watch.provider}: ${reason}`, {
            provider: watch.provider,
          }),
        );
      }
    }
  }
}
