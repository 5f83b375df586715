import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSse } from '../../test/helpers/sim-test-client.js';
import { startSimulator } from './start-simulator.js';
import type { RunningSimulator, SimFleet } from './sim-types.js';

const FLEET: SimFleet = {
  providers: [
    {
      id: 'sim-paced',
      wire: 'openai-compatible',
      models: [
        {
          name: 'paced',
          ttftMs: 100,
          tokensPerSecond: 50,
          contextWindow: 10_000,
          maxOutputTokens: 1_000,
        },
      ],
    },
  ],
};

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ fleet: FLEET, timeScale: 1 });
});
afterAll(() => sim.close());

const body = (content: string, stream: boolean): string =>
  JSON.stringify({ model: 'paced', stream, messages: [{ role: 'user', content }] });

/** Arrival time (ms after the request) of each content delta. */
async function deltaTimes(
  target: RunningSimulator,
  content: string,
  signal?: AbortSignal,
): Promise<number[]> {
  const started = performance.now();
  const init: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(content, true),
  };
  if (signal !== undefined) init.signal = signal;
  const response = await fetch(`${target.baseUrlFor('sim-paced')}/chat/completions`, init);
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  const times: number[] = [];
  let pending = '';
  for (;;) {
    const chunk = await reader?.read();
    if (chunk === undefined || chunk.done) break;
    pending += decoder.decode(chunk.value, { stream: true });
    const end = pending.lastIndexOf('\n\n');
    if (end < 0) continue;
    for (const event of parseSse(pending.slice(0, end + 2))) {
      const data = event.data as { choices?: Array<{ delta?: { content?: string } }> };
      if ((data.choices?.[0]?.delta?.content ?? '') !== '') times.push(performance.now() - started);
    }
    pending = pending.slice(end + 2);
  }
  return times;
}

describe('pacing', () => {
  it('streams the first token after ttft, then at tokensPerSecond', async () => {
    const times = await deltaTimes(sim, 'x [[sim:tokens=10]]');
    expect(times).toHaveLength(10);
    expect(times[0]).toBeGreaterThanOrEqual(90);
    const spread = (times[9] ?? 0) - (times[0] ?? 0);
    expect(spread).toBeGreaterThanOrEqual(9 * 20 * 0.8);
    expect(spread).toBeLessThan(1_000);
  });

  it('delays a JSON answer by the whole generation time', async () => {
    const started = performance.now();
    const response = await fetch(`${sim.baseUrlFor('sim-paced')}/chat/completions`, {
      method: 'POST',
      body: body('x [[sim:tokens=6]]', false),
    });
    await response.json();
    expect(performance.now() - started).toBeGreaterThanOrEqual(100 + 5 * 20 - 10);
  });

  it('scales delays with timeScale and batches tokens when the interval is tiny', async () => {
    const fast = await startSimulator({ fleet: FLEET, timeScale: 0.05 });
    const started = performance.now();
    const response = await fetch(`${fast.baseUrlFor('sim-paced')}/chat/completions`, {
      method: 'POST',
      body: body('x [[sim:tokens=100]]', true),
    });
    const reader = response.body?.getReader();
    let reads = 0;
    for (;;) {
      const chunk = await reader?.read();
      if (chunk === undefined || chunk.done) break;
      reads++;
    }
    const elapsed = performance.now() - started;
    await fast.close();
    expect(elapsed).toBeLessThan(1_000);
    expect(reads).toBeLessThan(60);
  });

  it('takes [[sim:ttft]] and [[sim:tps]] as absolute values, even with timeScale 0', async () => {
    const instant = await startSimulator({ fleet: FLEET, timeScale: 0 });
    const times = await deltaTimes(instant, 'x [[sim:tokens=5]] [[sim:ttft=120]] [[sim:tps=100]]');
    const quick = await deltaTimes(instant, 'x [[sim:tokens=5]]');
    await instant.close();
    expect(times[0]).toBeGreaterThanOrEqual(110);
    expect((times[4] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(4 * 10 * 0.8);
    expect(quick[4]).toBeLessThan(100);
  });

  it('stops work when the client disconnects mid-stream', async () => {
    sim.resetStats();
    const controller = new AbortController();
    const reading = deltaTimes(sim, 'x [[sim:tokens=200]]', controller.signal).catch(() => []);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sim.stats().inFlight).toBe(1);
    controller.abort();
    await reading;
    for (let attempt = 0; attempt < 100 && sim.stats().inFlight > 0; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sim.stats().inFlight).toBe(0);
    expect(sim.stats().outcomes.client_closed).toBe(1);
  });
});
