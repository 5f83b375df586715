import { describe, expect, it } from 'vitest';
import { answer, chat, consume, modelCall, PRICE } from '../../../test/helpers/pipeline-call.js';
import { resolveCacheSettings } from '../../cache/cache-config.js';
import { createMemoryCacheStore } from '../../cache/memory-cache-store.js';
import { ResponseCache } from '../../cache/response-cache.js';
import { FlightAbandoned } from '../../cache/single-flight.js';
import { GatewayError } from '../../core/errors.js';
import type { AttemptRecord } from '../../execution/execution-types.js';
import type { CallHandler, ModelCall } from '../model-call.js';
import { cacheStage } from './cache-stage.js';

function cache(): ResponseCache {
  const problems: string[] = [];
  const settings = resolveCacheSettings({}, {}, problems, Number);
  expect(problems).toEqual([]);
  return new ResponseCache(settings, createMemoryCacheStore({ maxEntries: 10, maxBytes: 1 << 20 }));
}

/** Stands in for route + execute: begins the upstream call and answers `text` once `release` resolves. */
function upstream(text: string, release: Promise<void> = Promise.resolve()) {
  const served: AttemptRecord = {
    key: 'p/m',
    provider: 'p',
    model: 'm',
    upstreamModel: 'p-m',
    startedAt: 0,
    startedAtWall: 0,
    status: 200,
  };
  const handler: CallHandler & { calls: number } = Object.assign(
    async (call: ModelCall) => {
      handler.calls += 1;
      call.beginUpstream?.();
      await release;
      call.record.attempts = [served];
      return {
        outcome: {
          source: 'upstream' as const,
          origin: { model: 'm', provider: 'p', price: PRICE },
          served,
        },
        answer: { response: answer(text) },
        finish: async () => {},
      };
    },
    { calls: 0 },
  );
  return handler;
}

describe('cache stage', () => {
  it('leads a miss as a flight, stores its answer, and serves the next identical call from the store', async () => {
    const stage = cacheStage(cache());
    const next = upstream('stored');
    const first = modelCall();
    const result = await stage(next)(first);
    expect(result.outcome.source).toBe('upstream');
    expect(first.record.cacheStatus).toBe('miss');
    expect(await consume(result)).toBe('stored');

    const second = modelCall();
    const hit = await stage(next)(second);
    expect(next.calls).toBe(1);
    expect(hit.outcome).toMatchObject({ source: 'hit', origin: { model: 'm', provider: 'p' } });
    expect(second.record).toMatchObject({ cacheStatus: 'hit', route: 'cache hit' });
    expect(await consume(hit)).toBe('stored');
  });

  it('lets identical calls in flight share one upstream call, streamed or not', async () => {
    const stage = cacheStage(cache());
    let open!: () => void;
    const next = upstream('shared', new Promise<void>((resolve) => (open = resolve)));
    const leader = stage(next)(modelCall());
    await new Promise((resolve) => setImmediate(resolve));
    const joiner = modelCall({ request: chat('hi', { stream: true }) });
    const joined = stage(next)(joiner);
    open();
    const [led, shared] = await Promise.all([leader, joined]);
    expect(next.calls).toBe(1);
    expect(shared.outcome).toMatchObject({ source: 'shared', origin: { price: PRICE } });
    expect(joiner.record.cacheStatus).toBe('shared');
    expect(await Promise.all([consume(led), consume(shared)])).toEqual(['shared', 'shared']);
  });

  it('admits an answer from the cache with the key scope of the call', async () => {
    const stage = cacheStage(cache());
    await consume(await stage(upstream('stored'))(modelCall()));
    const call = modelCall();
    const admitted: string[] = [];
    call.admission = {
      skipped: [],
      admitAttempt: async () => undefined,
      admitFirst: async () => {},
      admitServed: async (model) => {
        admitted.push(model);
        throw new GatewayError('model_not_allowed', 'no');
      },
      settle: () => {},
    };
    await expect(stage(upstream('x'))(call)).rejects.toBeInstanceOf(GatewayError);
    expect(admitted).toEqual(['m']);
  });

  it('tells the calls that joined a claim given up before the upstream call to make their own', async () => {
    const stage = cacheStage(cache());
    let refuse!: (error: Error) => void;
    const refusing: CallHandler = () => new Promise((_, reject) => (refuse = reject));
    const leader = stage(refusing)(modelCall());
    await new Promise((resolve) => setImmediate(resolve));
    const joined = stage(upstream('x'))(modelCall());
    refuse(new GatewayError('budget_exceeded', 'over'));
    await expect(leader).rejects.toBeInstanceOf(GatewayError);
    await expect(joined).rejects.toBeInstanceOf(FlightAbandoned);
  });
});
