import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.js';
import type { StreamPart } from '../core/response.js';
import { Flight, FlightRegistry } from './single-flight.js';

async function collect(batches: AsyncIterable<readonly StreamPart[]>): Promise<string> {
  let text = '';
  for await (const batch of batches)
    for (const part of batch) if (part.type === 'text-delta') text += part.text;
  return text;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Flight', () => {
  it('gives a late joiner the batches already produced, then the rest', async () => {
    const flight = new Flight('k');
    const first = flight.attach(new AbortController().signal);
    const firstText = collect(first.batches());
    flight.begin({ model: 'm', provider: 'p' });
    flight.push([
      { type: 'start', id: 'x', model: 'm', created: 1 },
      { type: 'text-delta', index: 0, text: 'Hello' },
    ]);
    await tick();
    const late = flight.attach(new AbortController().signal);
    const lateText = collect(late.batches());
    flight.push([
      { type: 'text-delta', index: 0, text: ', world' },
      { type: 'finish', index: 0, finishReason: 'stop' },
    ]);
    flight.finish();
    expect(await firstText).toBe('Hello, world');
    expect(await lateText).toBe('Hello, world');
    expect((await flight.done).choices[0]!.text).toBe('Hello, world');
    expect(flight.completeAnswer).toBe(true);
  });

  it('delivers a failure to every listener', async () => {
    const flight = new Flight('k');
    const a = collect(flight.attach(new AbortController().signal).batches());
    const b = flight.attach(new AbortController().signal).response();
    flight.push([{ type: 'text-delta', index: 0, text: 'par' }]);
    flight.fail(new GatewayError('upstream_unavailable', 'down'));
    await expect(a).rejects.toMatchObject({ code: 'upstream_unavailable' });
    await expect(b).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });

  it('does not abort the call when one of two listeners leaves, and aborts it when the last leaves', async () => {
    const flight = new Flight('k');
    const leaving = new AbortController();
    const staying = new AbortController();
    const gone = collect(flight.attach(leaving.signal).batches());
    const kept = collect(flight.attach(staying.signal).batches());
    flight.push([{ type: 'text-delta', index: 0, text: 'a' }]);
    await tick();
    leaving.abort(new GatewayError('client_closed', 'bye'));
    await expect(gone).rejects.toMatchObject({ code: 'client_closed' });
    expect(flight.signal.aborted).toBe(false);
    staying.abort(new GatewayError('client_closed', 'bye'));
    await expect(kept).rejects.toMatchObject({ code: 'client_closed' });
    expect(flight.signal.aborted).toBe(true);
  });

  it('serves a non-streamed answer to stream listeners and response listeners alike', async () => {
    const flight = new Flight('k');
    const stream = collect(flight.attach(new AbortController().signal).batches());
    const whole = flight.attach(new AbortController().signal).response();
    const answer = {
      id: 'a',
      model: 'm',
      created: 1,
      choices: [{ index: 0, text: 'def f(): pass', toolCalls: [], finishReason: 'stop' as const }],
    };
    flight.complete({ model: 'm', provider: 'p' }, answer);
    expect(await stream).toBe('def f(): pass');
    expect(await whole).toBe(answer);
    expect(await flight.origin).toEqual({ model: 'm', provider: 'p' });
  });
});

describe('FlightRegistry', () => {
  it('finds running flights only, and forgets closed ones', () => {
    const registry = new FlightRegistry();
    const flight = registry.open('k');
    expect(registry.find('k')).toBe(flight);
    flight.fail(new Error('x'));
    expect(registry.find('k')).toBeUndefined();
    registry.close(flight);
    expect(registry.size).toBe(0);
  });
});
