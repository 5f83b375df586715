import { describe, expect, it } from 'vitest';
import { WriteQueue } from './write-queue.js';

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Polls instead of guessing a delay: a loaded CI machine only makes it slower, never red. */
async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** A store that records batches and fails while `failing` is set. */
function fakeStore() {
  const batches: number[][] = [];
  const state = { failing: false, calls: 0 };
  const write = async (batch: number[]) => {
    state.calls += 1;
    if (state.failing) throw new Error('store down');
    batches.push(batch);
  };
  return { batches, state, write };
}

describe('WriteQueue', () => {
  it('writes a batch as soon as batchSize items are queued, without waiting for the interval', async () => {
    const store = fakeStore();
    const queue = new WriteQueue(store.write, { batchSize: 3, flushIntervalMs: 60_000 });
    for (let item = 1; item <= 7; item += 1) queue.push(item);
    expect(store.batches).toEqual([]); // push never writes synchronously
    await waitFor(() => store.batches.length === 2);
    expect(store.batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(queue.stats()).toMatchObject({ queued: 1, written: 6 });
    await queue.close();
    expect(store.batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('writes a partial batch after flushIntervalMs', async () => {
    const store = fakeStore();
    const queue = new WriteQueue(store.write, { batchSize: 100, flushIntervalMs: 30 });
    queue.push(1);
    queue.push(2);
    await sleep(10);
    expect(store.batches).toEqual([]);
    await waitFor(() => store.batches.length > 0);
    expect(store.batches).toEqual([[1, 2]]);
    await queue.close();
  });

  it('flush writes everything pushed before it, in order', async () => {
    const store = fakeStore();
    const queue = new WriteQueue(store.write, { batchSize: 4, flushIntervalMs: 60_000 });
    for (let item = 1; item <= 10; item += 1) queue.push(item);
    await queue.flush();
    expect(store.batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await queue.flush(); // nothing queued: resolves at once
    await queue.close();
  });

  it('keeps entries while the store fails, retries with backoff, and loses none', async () => {
    const store = fakeStore();
    const logged: string[] = [];
    const queue = new WriteQueue(store.write, {
      batchSize: 2,
      flushIntervalMs: 5,
      retryBaseMs: 10,
      retryMaxMs: 40,
      log: (message) => logged.push(message),
    });
    store.state.failing = true;
    for (let item = 1; item <= 5; item += 1) queue.push(item);
    await expect(queue.flush()).rejects.toThrow('store down');
    await waitFor(() => store.state.calls >= 3); // retried in the background
    await sleep(20);
    expect(store.state.calls).toBeLessThan(10); // with backoff, not in a hot loop
    expect(queue.stats()).toMatchObject({
      queued: 5,
      written: 0,
      dropped: 0,
      lastError: 'store down',
    });
    expect(logged[0]).toMatch(
      /write failed \(1 in a row, 5 entries queued\), retrying in \d+ ms: store down/,
    );
    store.state.failing = false;
    for (let item = 6; item <= 7; item += 1) queue.push(item);
    await waitFor(() => store.batches.flat().length === 7);
    expect(store.batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(queue.stats()).toMatchObject({ queued: 0, written: 7, lastError: null });
    expect(queue.stats().failedWrites).toBeGreaterThan(0);
    await queue.close();
  });

  it('drops the oldest entries beyond maxQueuedEntries, counts and logs them', async () => {
    const store = fakeStore();
    const logged: string[] = [];
    store.state.failing = true;
    const queue = new WriteQueue(store.write, {
      batchSize: 2,
      flushIntervalMs: 5,
      maxQueuedEntries: 4,
      retryBaseMs: 5,
      retryMaxMs: 5,
      log: (message) => logged.push(message),
    });
    for (let item = 1; item <= 10; item += 1) queue.push(item);
    await waitFor(() => store.state.calls >= 1);
    expect(queue.stats()).toMatchObject({ dropped: 6 });
    expect(logged.some((message) => /dropped \d+ entries/.test(message))).toBe(true);
    store.state.failing = false;
    await queue.flush();
    expect(store.batches.flat()).toEqual([7, 8, 9, 10]);
    await queue.close();
  });

  it('close retries until the store is back', async () => {
    const store = fakeStore();
    store.state.failing = true;
    const queue = new WriteQueue(store.write, {
      batchSize: 10,
      flushIntervalMs: 60_000,
      retryBaseMs: 10,
      closeTimeoutMs: 5000,
      log: () => undefined,
    });
    queue.push(1);
    setTimeout(() => (store.state.failing = false), 50);
    await queue.close();
    expect(store.batches).toEqual([[1]]);
  });

  it('close gives up after closeTimeoutMs and says how many entries are lost; later pushes are dropped', async () => {
    const store = fakeStore();
    store.state.failing = true;
    const logged: string[] = [];
    const queue = new WriteQueue(store.write, {
      batchSize: 10,
      flushIntervalMs: 60_000,
      retryBaseMs: 10,
      closeTimeoutMs: 60,
      log: (message) => logged.push(message),
    });
    queue.push(1);
    queue.push(2);
    await expect(queue.close()).rejects.toThrow(
      'ledger: 2 entries could not be written before close',
    );
    expect(
      logged.some((message) => message.startsWith('close: 2 entries could not be written')),
    ).toBe(true);
    queue.push(3);
    expect(queue.stats().dropped).toBe(1);
  });
});
