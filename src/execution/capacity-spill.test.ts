import { describe, expect, it } from 'vitest';
import type { CallContext, ProviderAdapter } from '../core/provider.js';
import type { ChatRequest } from '../core/request.js';
import type { ModelResponse } from '../core/response.js';
import type { RouteTarget } from '../core/route.js';
import { executeCall, type AttemptRecord } from './execute-plan.js';
import { createExecutionPolicy } from './execution-policy.js';

const request: ChatRequest = {
  kind: 'chat',
  model: 'm',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  stream: false,
};

/** A deployment that answers after `waitMs`, counting its calls. */
function slow(provider: string, waitMs: number, calls: string[]): RouteTarget {
  const adapter = {
    id: provider,
    wire: 'openai-compatible',
    chat: async (_request: ChatRequest, _context: CallContext): Promise<ModelResponse> => {
      calls.push(provider);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      return {
        id: 'x',
        model: 'm',
        created: 1,
        choices: [{ index: 0, text: provider, toolCalls: [], finishReason: 'stop' }],
        usage: { inputTokens: 10, outputTokens: 10 },
      };
    },
    close: async () => {},
  } as unknown as ProviderAdapter;
  return {
    model: { name: 'm', deployments: [] },
    deployment: {
      provider,
      upstreamModel: 'm',
      price: { inputPerMillion: 0, outputPerMillion: 0, source: 'test' },
    },
    adapter,
    key: `${provider}/m`,
  };
}

describe('the executor and a self-hosted deployment’s slots', () => {
  it('queues for a slot at most max_queue_ms, then spills to the next deployment of the plan', async () => {
    const calls: string[] = [];
    const policy = createExecutionPolicy({
      capacities: [['box/m', { maxConcurrency: 1, maxQueueMs: 50 }]],
    });
    const box = slow('box', 400, calls);
    const api = slow('api', 1, calls);
    const plan = {
      modelAsked: 'm',
      policy: 'test',
      attempts: [box, api],
      candidates: [],
      summary: 'test',
    };
    const run = () => {
      const attempts: AttemptRecord[] = [];
      return executeCall(
        plan,
        request,
        (adapter, r, c) => adapter.chat(r, c),
        { requestId: 'r', signal: new AbortController().signal, attempts },
        policy,
      ).then((result) => ({ served: result.target.deployment.provider, attempts }));
    };
    const [first, second] = await Promise.all([run(), run()]);
    expect(first.served).toBe('box');
    // The second waited 50 ms for the one slot, then went to the API; it made no attempt on the box.
    expect(second.served).toBe('api');
    expect(second.attempts.map((attempt) => attempt.provider)).toEqual(['api']);
    expect(calls.sort()).toEqual(['api', 'box']);
    expect(policy.capacity!.snapshot()[0]).toMatchObject({ in_flight: 0, served: 1, spilled: 1 });
    // The slot came back when the box's attempt ended: the next request gets it.
    expect((await run()).served).toBe('box');
  });
});
