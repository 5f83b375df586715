import { describe, expect, it } from 'vitest';
import {
  consume,
  modelCall,
  plan,
  recordingGuard,
  scriptedAdapter,
  target,
} from '../../../test/helpers/pipeline-call.js';
import { GatewayError } from '../../core/errors.js';
import type { CallHandler, CallResult } from '../model-call.js';
import { admissionStage } from './admission-stage.js';

const served = (): CallResult => ({
  outcome: { source: 'upstream' },
  answer: { response: { id: 'x', model: 'm', created: 1, choices: [] } },
  finish: async () => {},
});

describe('admission stage', () => {
  it('passes an anonymous call on untouched: no admission, nothing reserved', async () => {
    const guard = recordingGuard();
    const call = modelCall();
    let seen = false;
    const result = await admissionStage({ guard })(async (passed) => {
      seen = passed === call && passed.admission === undefined;
      return served();
    })(call);
    await consume(result);
    expect(seen).toBe(true);
    expect(guard.reserved).toEqual([]);
  });

  it('gives a keyed call its admission and settles the reservation with what the request spent, once served', async () => {
    const guard = recordingGuard();
    const call = modelCall({ keyId: 'key-1' });
    const inner: CallHandler = async (passed) => {
      await passed.admission!.admitFirst(plan(target(scriptedAdapter('p', 'ok'))).attempts);
      passed.record.costUsd = 0.25;
      passed.record.usage = { inputTokens: 10, outputTokens: 20 };
      return served();
    };
    const result = await admissionStage({ guard })(inner)(call);
    expect(guard.reserved).toHaveLength(1);
    expect(guard.reserved[0]!.keyId).toBe('key-1');
    expect(guard.settled).toEqual([]);
    await consume(result);
    expect(guard.settled).toEqual([[0.25, 30]]);
  });

  it('settles an answer from the cache at nothing spent', async () => {
    const guard = recordingGuard();
    const call = modelCall({ keyId: 'key-1' });
    const result = await admissionStage({ guard })(async (passed) => {
      await passed.admission!.admitServed('m');
      passed.record.cacheStatus = 'hit';
      passed.record.costUsd = 0;
      passed.record.usage = { inputTokens: 10, outputTokens: 20 };
      return served();
    })(call);
    await consume(result);
    expect(guard.settled).toEqual([[0, 0]]);
  });

  it('names the skipped targets in the route and releases what it holds when the chain throws', async () => {
    const guard = recordingGuard();
    const call = modelCall({ keyId: 'key-1', allowedModels: ['other'] });
    call.record.route = 'test';
    const refused = admissionStage({ guard })(async (passed) => {
      await passed.admission!.admitFirst(plan(target(scriptedAdapter('p', 'ok'))).attempts);
      return served();
    })(call);
    await expect(refused).rejects.toSatisfy(
      (error) => error instanceof GatewayError && error.code === 'model_not_allowed',
    );
    expect(call.record.route).toBe('test; skipped: p/m: model not allowed for this key');
    expect(guard.reserved).toEqual([]);
  });
});
