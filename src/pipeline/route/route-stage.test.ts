import { describe, expect, it } from 'vitest';
import {
  consume,
  modelCall,
  plan,
  scriptedAdapter,
  target,
} from '../../../test/helpers/pipeline-call.js';
import { GatewayError } from '../../core/errors.js';
import type { RouteOptions, Router } from '../../core/route.js';
import type { AttemptRecord } from '../../execution/execution-types.js';
import type { CallResult } from '../model-call.js';
import { CacheAffinity, memoryAffinityStore, sessionOf } from '../../router/cache-affinity.js';
import { routeStage } from './route-stage.js';
import { routeHeader } from './route-summary.js';

const served = (): CallResult => ({
  outcome: { source: 'upstream' },
  answer: { response: { id: 'x', model: 'm', created: 1, choices: [] } },
  finish: async () => {},
});

function routerOf(seen: RouteOptions[]): Router {
  const planned = plan(target(scriptedAdapter('p', 'a')), target(scriptedAdapter('q', 'b')));
  return {
    plan: (_request, options) => {
      seen.push(options ?? {});
      return planned;
    },
  } as Router;
}

const attempt = (key: string, endReason?: string): AttemptRecord => ({
  key,
  provider: key.split('/')[0]!,
  model: 'm',
  upstreamModel: 'm',
  startedAt: 0,
  startedAtWall: 0,
  ...(endReason ? { endReason } : {}),
});

describe('route stage', () => {
  it('puts the plan on the call, with the latency budget header, and names its first target', async () => {
    const seen: RouteOptions[] = [];
    const call = modelCall({ headers: { 'x-switchyard-latency-budget-ms': '1500' } });
    let planned = false;
    await routeStage(routerOf(seen))(async (passed) => {
      planned = passed.plan?.attempts.length === 2;
      return served();
    })(call);
    expect(planned).toBe(true);
    expect(seen).toEqual([{ latencyBudgetMs: 1500, requestId: 'req-1' }]);
    expect(call.record).toMatchObject({ route: 'test', model: 'm', provider: 'p' });
  });

  it('refuses a latency budget that is not a positive number, before anything runs', async () => {
    const call = modelCall({ headers: { 'x-switchyard-latency-budget-ms': '-1' } });
    let ran = false;
    const routed = routeStage(routerOf([]))(async () => {
      ran = true;
      return served();
    })(call);
    await expect(routed).rejects.toBeInstanceOf(GatewayError);
    expect(ran).toBe(false);
  });

  it('lists the attempts in the route reason once the response is done, when there was more than one', async () => {
    const call = modelCall();
    const result = await routeStage(routerOf([]))(async (passed) => {
      passed.record.attempts = [attempt('p/m', 'failover: upstream_unavailable'), attempt('q/m')];
      return served();
    })(call);
    expect(call.record.route).toBe('test');
    await consume(result);
    expect(call.record.route).toBe('test; attempts: p/m failover: upstream_unavailable, q/m ok');
  });

  it('makes a route header of visible ASCII', () => {
    expect(routeHeader('modèle', [])).toBe('mod?le');
  });

  it('plans an agent session with what its previous turn left warm, and notes the session', async () => {
    const affinity = new CacheAffinity(memoryAffinityStore());
    const call = modelCall({ headers: { 'x-switchyard-session': 'agent-1' } });
    const session = sessionOf(call.request, 'agent-1', call.identity.keyId)!;
    await affinity.remember(session, 'p/m', 30_000);
    const seen: RouteOptions[] = [];
    await routeStage(routerOf(seen), affinity)(async () => served())(call);
    expect(seen[0]?.session).toEqual({ warmKey: 'p/m', warmPromptTokens: 30_000 });
    expect(call.record.session).toBe(session);
    const without: RouteOptions[] = [];
    await routeStage(routerOf(without))(async () => served())(modelCall());
    expect(without[0]?.session).toBeUndefined();
  });

  it('does not look the session up for a model whose one deployment is planned whatever the session', async () => {
    const gets: string[] = [];
    const store = memoryAffinityStore();
    const affinity = new CacheAffinity({
      get: (key) => {
        gets.push(key);
        return store.get(key);
      },
      set: (key, value, ttlMs) => store.set(key, value, ttlMs),
    });
    const seen: RouteOptions[] = [];
    const router = { ...routerOf(seen), weighsSession: () => false };
    const call = modelCall({ headers: { 'x-switchyard-session': 'agent-1' } });
    await routeStage(router, affinity)(async () => served())(call);
    expect(gets).toEqual([]);
    expect(seen[0]?.session).toBeUndefined();
    // Still the session's turn: once served, it is remembered for the session's later turns.
    expect(call.record.session).toBe(sessionOf(call.request, 'agent-1', call.identity.keyId));
    // A session derived from the prefix includes the model asked: only that model's later turns
    // could read it, and they do not look it up either.
    const derived = modelCall();
    await routeStage(router, affinity)(async () => served())(derived);
    expect(derived.record.session).toBeUndefined();
    const weighing = { ...routerOf(seen), weighsSession: () => true };
    const routed = modelCall();
    await routeStage(weighing, affinity)(async () => served())(routed);
    expect(gets).toHaveLength(1);
    expect(routed.record.session).toBe(sessionOf(routed.request, undefined, null));
  });

  it('takes the session the call already derived (the learn stage), not a second derivation', async () => {
    const affinity = new CacheAffinity(memoryAffinityStore());
    await affinity.remember('derived once', 'p/m', 1_000);
    const call = modelCall();
    call.session = 'derived once';
    const seen: RouteOptions[] = [];
    await routeStage(routerOf(seen), affinity)(async () => served())(call);
    expect(seen[0]?.session).toEqual({ warmKey: 'p/m', warmPromptTokens: 1_000 });
    expect(call.record.session).toBe('derived once');
  });
});
