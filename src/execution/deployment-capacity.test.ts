import { describe, expect, it } from 'vitest';
import { DeploymentCapacity } from './deployment-capacity.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deployment capacity', () => {
  it('gives slots up to max_concurrency, queues the next in order, and spills after max_queue_ms', async () => {
    let clock = 0;
    const capacity = new DeploymentCapacity(
      [['box/m', { maxConcurrency: 2, maxQueueMs: 200, hourlyUsd: 1.5 }]],
      () => clock,
    );
    const first = await capacity.acquire('box/m');
    const second = await capacity.acquire('box/m');
    expect(first).toBeTypeOf('function');
    expect(capacity.status('box/m')).toMatchObject({ saturated: true });
    expect(capacity.status('box/m')!.detail).toContain(
      '2/2 in flight, 0 queued, no service time measured yet',
    );
    const queued = capacity.acquire('box/m');
    const spilled = capacity.acquire('box/m', undefined);
    expect(capacity.snapshot()[0]).toMatchObject({ in_flight: 2, queued: 2 });
    clock = 100;
    first!(); // the oldest waiter gets the slot
    first!(); // released once only
    const third = await queued;
    expect(third).toBeTypeOf('function');
    expect(await spilled).toBeUndefined(); // waited its 200 ms: spill
    expect(capacity.snapshot()[0]).toMatchObject({
      in_flight: 2,
      queued: 0,
      served: 3,
      spilled: 1,
      mean_service_ms: 100,
      hourly_usd: 1.5,
    });
    // Full, but the measured service time (100 ms) says a new request would wait 100 ms ≤ 200 ms.
    expect(capacity.status('box/m')).toMatchObject({ saturated: false });
    expect(capacity.status('box/m')!.detail).toContain('expected wait 100 ms ≤ max_queue_ms 200');
    second!();
    third!();
    expect(capacity.status('box/m')!.detail).toContain('self-hosted with capacity: 0/2 in flight');
    expect(capacity.status('box/m')!.detail).toContain('$1.5/h paid either way');
  });

  it('does not track deployments without a capacity, and applies a reload', async () => {
    const capacity = new DeploymentCapacity([['box/m', { maxConcurrency: 1, maxQueueMs: 5000 }]]);
    expect(capacity.status('api/m')).toBeUndefined();
    const release = await capacity.acquire('api/m');
    expect(release).toBeTypeOf('function');
    const held = await capacity.acquire('box/m');
    const waiting = capacity.acquire('box/m');
    await sleep(5);
    // The reload raises the box's concurrency: the waiter gets a slot at once.
    capacity.configure([['box/m', { maxConcurrency: 2, maxQueueMs: 5000 }]]);
    expect(await waiting).toBeTypeOf('function');
    expect(capacity.snapshot()[0]).toMatchObject({ in_flight: 2, max_concurrency: 2 });
    held!();
    capacity.configure([]);
    expect(capacity.snapshot()).toEqual([]);
  });
});
