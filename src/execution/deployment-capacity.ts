import type { CapacityStatus } from '../core/route.js';
import type { FleetSlots } from './fleet-slots.js';

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
  /** Requests waiting for a fleet-wide slot (shared slots), each woken when one frees. */
  fleetWaiters: Set<() => void>;
}

/** What `/admin/capacity` shows per deployment. */
export interface CapacitySnapshot {
  deployment: string;
  max_concurrency: number;
  max_queue_ms: number;
  hourly_usd: number | null;
  in_flight: number;
  /** The fleet's in flight as this replica last saw it (slots shared through Redis); null when counted per process. */
  fleet_in_flight: number | null;
  queued: number;
  served: number;
  spilled: number;
  mean_service_ms: number | null;
}

/** Weight of the newest slot hold in the mean. */
const HOLD_WEIGHT = 0.2;
/** A request waiting for a fleet-wide slot tries again this often, besides when one is freed. */
const FLEET_POLL_MS = 25;

/**
 * The in-flight count and queue of every deployment that declares a capacity. The executor takes
 * a slot before each attempt to such a deployment (waiting at most `maxQueueMs` in a FIFO queue)
 * and gives it back when the attempt ends; the router asks `status` to prefer the box while it has
 * room and to spill to the API deployments when it is saturated. Deployments without a declared
 * capacity are not tracked (no limit, no slot).
 */
export class DeploymentCapacity {
  private readonly boxes = new Map<string, Box>();
  private fleet: FleetSlots | undefined;
  private stopFleet: (() => void) | undefined;

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
        box ?? {
          limit,
          inFlight: 0,
          queue: [],
          served: 0,
          spilled: 0,
          meanHoldMs: undefined,
          fleetWaiters: new Set(),
        },
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
   * Counts the boxes' slots across replicas through `fleet` (Redis, docs/operations.md); while
   * it does not answer, and with `undefined`, each process counts alone.
   */
  shareSlots(fleet: FleetSlots | undefined): void {
    this.stopFleet?.();
    this.fleet = fleet;
    this.stopFleet = fleet?.onFreed((key) => {
      const box = this.boxes.get(key);
      if (box) for (const wake of [...box.fleetWaiters]) wake();
    });
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
    if (this.fleet) {
      const slot = await this.acquireShared(this.fleet, key, box, signal);
      if (slot !== 'local') return slot;
    }
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

  /**
   * A fleet-wide slot: taken in Redis while this replica's own count leaves room, else (or when
   * the fleet is full) waiting until one frees anywhere or `maxQueueMs` passed. `local` when the
   * shared backend does not answer: the caller counts in this process.
   */
  private async acquireShared(
    fleet: FleetSlots,
    key: string,
    box: Box,
    signal: AbortSignal | { aborted: boolean } | undefined,
  ): Promise<(() => void) | undefined | 'local'> {
    const deadline = this.now() + box.limit.maxQueueMs;
    for (;;) {
      if (box.inFlight < box.limit.maxConcurrency) {
        const taken = await fleet.take(key, box.limit.maxConcurrency);
        if (taken === undefined) return 'local';
        if ('token' in taken) {
          if (signal?.aborted) {
            fleet.give(key, taken.token);
            box.spilled += 1;
            return undefined;
          }
          box.inFlight += 1;
          box.served += 1;
          const started = this.now();
          let released = false;
          return () => {
            if (released) return;
            released = true;
            fleet.give(key, taken.token);
            this.releaseSlot(box, this.now() - started);
          };
        }
      }
      const left = deadline - this.now();
      if (left <= 0 || signal?.aborted) {
        box.spilled += 1;
        return undefined;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          box.fleetWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, FLEET_POLL_MS));
        box.fleetWaiters.add(wake);
      });
    }
  }

  /** In flight (the fleet's when shared: the larger of ours and the last count seen) and queued here. */
  private load(key: string, box: Box): { inFlight: number; queued: number } {
    const fleet = this.fleet?.seen(key);
    return {
      inFlight: Math.max(box.inFlight, fleet ?? 0),
      queued: box.queue.length + box.fleetWaiters.size,
    };
  }

  /** How the router sees the deployment now; undefined for deployments without a capacity. */
  status(key: string): CapacityStatus | undefined {
    const box = this.boxes.get(key);
    if (!box) return undefined;
    const { maxConcurrency, maxQueueMs, hourlyUsd } = box.limit;
    const { inFlight, queued } = this.load(key, box);
    const load = `${inFlight}/${maxConcurrency} in flight${this.fleet ? ' (fleet)' : ''}, ${queued} queued`;
    const cost =
      hourlyUsd === undefined
        ? 'marginal cost ~$0'
        : `marginal cost ~$0 ($${hourlyUsd}/h paid either way)`;
    if (inFlight < maxConcurrency && queued === 0)
      return { saturated: false, detail: `self-hosted with capacity: ${load}; ${cost}` };
    // Full: a new request waits for the ones ahead of it, measured by the mean slot hold.
    if (box.meanHoldMs === undefined)
      return {
        saturated: true,
        detail: `self-hosted and saturated: ${load}, no service time measured yet; spills to API deployments`,
      };
    const waitMs = Math.ceil((queued + 1) / maxConcurrency) * box.meanHoldMs;
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
      fleet_in_flight: this.fleet ? (this.fleet.seen(key) ?? 0) : null,
      queued: box.queue.length + box.fleetWaiters.size,
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
