import { describe, expect, it } from 'vitest';
import type { ModelEntry } from '../config/gateway-config.js';
import type { ProviderAdapter } from '../spec/provider.js';
import type { ChatRequest } from '../spec/request.js';
import { DirectRouter } from './direct-router.js';

const adapters = new Map<string, ProviderAdapter>(['a', 'b'].map((id) => [id, { id } as ProviderAdapter]));
const models = new Map<string, ModelEntry>([['m', { name: 'm', deployments: [{ provider: 'a', upstreamModel: 'm-a' }, { provider: 'b', upstreamModel: 'm-b' }] }]]);
const request = (model: string): ChatRequest => ({ kind: 'chat', model, messages: [], stream: false });

describe('DirectRouter', () => {
  it('plans a model across its deployments in order, and an alias as its target', () => {
    const router = new DirectRouter({ models, aliases: new Map([['auto', 'm']]) }, adapters);
    expect(router.plan(request('m')).attempts.map((target) => target.key)).toEqual(['a/m', 'b/m']);
    const aliased = router.plan(request('auto'));
    expect(aliased).toMatchObject({ policy: 'alias', summary: 'alias auto -> a/m (+1 fallback)' });
  });

  it('puts unavailable deployments last', () => {
    const router = new DirectRouter({ models, aliases: new Map() }, adapters, { available: (key) => key !== 'a/m' });
    const plan = router.plan(request('m'));
    expect(plan.attempts.map((target) => target.key)).toEqual(['b/m', 'a/m']);
    expect(plan.candidates[1]!.reason).toContain('unavailable');
  });

  it('rejects unknown models with model_not_found', () => {
    const router = new DirectRouter({ models, aliases: new Map() }, adapters);
    expect(() => router.plan(request('nope'))).toThrow(expect.objectContaining({ code: 'model_not_found' }));
  });
});
