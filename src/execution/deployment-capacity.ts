import type { CapacityStatus } from '../core/route.js';

/** A deployment's declared capacity (a self-hosted box): concurrent requests and the longest queue wait. */
export interface CapacityLimit {
  maxConcurrency: number;
  maxQueueMs: number;
  /** What the box costs per hour, paid whether it is busy or not (for explanations and the dashboard). */
  hourlyUsd?: number;
}

interface Waiter {
  resolve: (granted: boolean) => void;
  timer: NodeJS.Timeout;
}

interface Box {
  limit: CapacityLimit;
  inFlight: number;
  queue: Waiter[];
  served: number;
  spilled: number;
  /** Mean time an attempt holds a slot (exponentially weighted), ms; undefined until measured. */
  meanHoldMs: number | undefined;
}

/** What `/admin/capacity` shows per deployment. */
export interface CapacitySnapshot {
  deployment: string;
  max_concurrency: number;
  max_queue_ms: number;
  hourly_usd: number | null;
  in_flight: number;
  queued: number;
  served: number;
  spilled: number;
  mean_service_ms: number | null;
}

/** Weight of the newest slot hold in the mean. */
const HOLD_WEIGHT = 0.2;

/**
 * The in-flight count and queue of every deployment that declares a capacity. The executor takes
 * a slot before each attempt to such a deployment (waiting at most `maxQueueMs` in a FIFO queue)
 * and gives it back when the attempt ends; the router asks `status` to prefer the box while it has
 * room and to spill to the API deployments when it is saturated. Deployments without a declared
 * capacity are not tracked (no limit, no slot).
 */
export class DeploymentCapacity {
  private readonly boxes = new Map<string, Box>();

  constructor(
    limits: Iterable<[string, CapacityLimit]>,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.configure(limits);
  }

  /** Applies a reloaded config: new limits take effect at once; counts of kept deployments carry over. */
  configure(limits: Iterable<[string, CapacityLimit]>): void {
    const next = new Map<string, Box>();
    for (const [key, limit] of limits) {
      const box = this.boxes.get(key);
      if (box) box.limit = limit;
      next.set(
        key,
        box ?? { limit, inFlight: 0, queue: [], served: 0, spilled: 0, meanHoldMs: undefined },
      );
    }
    // Boxes no longer configured keep no slots: their waiters go on at once.
    for (const [key, box] of this.boxes)
      if (!next.has(key)) for (const waiter of box.queue.splice(0)) grant(waiter);
    this.boxes.clear();
    for (const [key, box] of next) this.boxes.set(key, box);
    for (const box of this.boxes.values()) this.wake(box);
  }

  has(key: string): boolean {
    return this.boxes.has(key);
  }

  /**
   * A slot on the deployment: resolves with its release function, immediately when a slot is
   * free, after queueing when one frees within `maxQueueMs`; undefined when none did (spill).
   * Deployments without a capacity get a no-op release at once.
   */
  async acquire(
    key: string,
    signal?: AbortSignal | { aborted: boolean },
  ): Promise<(() => void) | undefined> {
    const box = this.boxes.get(key);
    if (!box) return () => {};
    if (box.inFlight >= box.limit.maxConcurrency || box.queue.length > 0) {
      const granted = await new Promise<boolean>((resolve) => {
        const waiter: Waiter = {
          resolve,
          timer: setTimeout(() => {
            const index = box.queue.indexOf(waiter);
            if (index !== -1) box.queue.splice(index, 1);
            resolve(false);
          }, box.limit.maxQueueMs),
        };
        box.queue.push(waiter);
      });
      if (!granted || signal?.aborted) {
        if (granted) this.releaseSlot(box, undefined);
        box.spilled += 1;
        return undefined;
      }
    } else box.inFlight += 1;
    box.served += 1;
    const started = this.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.releaseSlot(box, this.now() - started);
    };
  }

  /** How the router sees the deployment now; undefined for deployments without a capacity. */
  status(key: string): CapacityStatus | undefined {
    const box = this.boxes.get(key);
    if (!box) return undefined;
    const { maxConcurrency, maxQueueMs, hourlyUsd } = box.limit;
    const load = `${box.inFlight}/${maxConcurrency} in flight, ${box.queue.length} queued`;
    const cost =
      hourlyUsd === undefined
        ? 'marginal cost ~$0'
        : `marginal cost ~$0 ($${hourlyUsd}/h paid either way)`;
    if (box.inFlight < maxConcurrency && box.queue.length === 0)
      return { saturated: false, detail: `self-hosted with capacity: ${load}; ${cost}` };
    // Full: a new request waits for the ones ahead of it, measured by the mean slot hold.
    if (box.meanHoldMs === undefined)
      return {
        saturated: true,
        detail: `self-hosted and saturated: ${load}, no service time measured yet; spills to API deployments`,
      };
    const waitMs = Math.ceil((box.queue.length + 1) / maxConcurrency) * box.meanHoldMs;
    return waitMs <= maxQueueMs
      ? {
          saturated: false,
          detail: `self-hosted, full but queueing: ${load}, expected wait ${Math.round(waitMs)} ms ≤ max_queue_ms ${maxQueueMs}; ${cost}`,
        }
      : {
          saturated: true,
          detail: `self-hosted and saturated: ${load}, expected wait ${Math.round(waitMs)} ms > max_queue_ms ${maxQueueMs}; spills to API deployments`,
        };
  }

  snapshot(): CapacitySnapshot[] {
    return [...this.boxes].map(([key, box]) => ({
      deployment: key,
      max_concurrency: box.limit.maxConcurrency,
      max_queue_ms: box.limit.maxQueueMs,
      hourly_usd: box.limit.hourlyUsd ?? null,
      in_flight: box.inFlight,
      queued: box.queue.length,
      served: box.served,
      spilled: box.spilled,
      mean_service_ms: box.meanHoldMs === undefined ? null : Math.round(box.meanHoldMs),
    }));
  }

  private releaseSlot(box: Box, heldMs: number | undefined): void {
    if (heldMs !== undefined)
      box.meanHoldMs =
        box.meanHoldMs === undefined
          ? heldMs
          : box.meanHoldMs + HOLD_WEIGHT * (heldMs - box.meanHoldMs);
    box.inFlight -= 1;
    this.wake(box);
  }

  /** Hands free slots to the oldest waiters. */
  private wake(box: Box): void {
    while (box.inFlight < box.limit.maxConcurrency && box.queue.length > 0) {
      box.inFlight += 1;
      grant(box.queue.shift()!);
    }
  }
}

function grant(waiter: Waiter): void {
  clearTimeout(waiter.timer);
  waiter.resolve(true);
}
