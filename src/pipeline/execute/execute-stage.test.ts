import { describe, expect, it } from 'vitest';
import {
  chat,
  consume,
  modelCall,
  plan,
  recordingGuard,
  scriptedAdapter,
  target,
} from '../../../test/helpers/pipeline-call.js';
import { Cancel } from '../../core/cancel.js';
import { GatewayError } from '../../core/errors.js';
import { createExecutionPolicy } from '../../execution/execution-policy.js';
import { RESILIENCE_DEFAULTS } from '../../execution/resilience-config.js';
import { admitRequest } from '../admission/admission.js';
import { executeStage } from './execute-stage.js';

const policy = () =>
  createExecutionPolicy({
    settings: {
      ...RESILIENCE_DEFAULTS,
      retries: { ...RESILIENCE_DEFAULTS.retries, maxPerDeployment: 0 },
    },
  });
const unavailable = () => new GatewayError('upstream_unavailable', 'down');

describe('execute stage', () => {
  it('answers from the first target that answers and records which attempt served', async () => {
    const call = modelCall();
    call.plan = plan(
      target(scriptedAdapter('p', 'from p', unavailable())),
      target(scriptedAdapter('q', 'from q')),
    );
    const result = await executeStage({ policy: policy() })(call);
    expect(await consume(result)).toBe('from q');
    const attempts = call.record.attempts!;
    expect(attempts.map((attempt) => attempt.key)).toEqual(['p/m', 'q/m']);
    expect(result.outcome.source).toBe('upstream');
    expect(result.outcome.served).toBe(attempts[1]);
    expect(result.outcome.origin).toMatchObject({ model: 'm', provider: 'q' });
  });

  it('streams the parts of a streamed request', async () => {
    const call = modelCall({ request: chat('hi', { stream: true }) });
    call.plan = plan(target(scriptedAdapter('p', 'streamed')));
    const result = await executeStage({ policy: policy() })(call);
    expect('parts' in result.answer).toBe(true);
    expect(await consume(result)).toBe('streamed');
  });

  it('makes a failure the result once every attempt failed, with the attempts on the record', async () => {
    const call = modelCall();
    call.plan = plan(target(scriptedAdapter('p', 'x', unavailable())));
    const result = await executeStage({ policy: policy() })(call);
    expect('error' in result.answer).toBe(true);
    expect(result.outcome.served).toBeUndefined();
    expect(call.record.attempts).toHaveLength(1);
  });

  it('runs the attempts under the signal of beginUpstream, called once, after the first target is admitted', async () => {
    const guard = recordingGuard();
    const call = modelCall({ keyId: 'key-1' });
    call.admission = admitRequest(call.identity, call.request, { guard });
    const adapter = scriptedAdapter('p', 'ok');
    call.plan = plan(target(adapter));
    const shared = new Cancel();
    const begun: number[] = [];
    call.beginUpstream = () => {
      begun.push(guard.reserved.length);
      return shared;
    };
    const seenSignals: unknown[] = [];
    const chatOf = adapter.chat;
    adapter.chat = (request, context) => {
      seenSignals.push(context.signal);
      return chatOf(request, context);
    };
    await consume(await executeStage({ policy: policy() })(call));
    expect(begun).toEqual([1]);
    expect(seenSignals).toHaveLength(1);
    expect(seenSignals[0]).not.toBe(call.client.signal);
  });

  it('throws the refusal before any upstream call when no target is admissible', async () => {
    const guard = recordingGuard('budget_exceeded');
    const call = modelCall({ keyId: 'key-1' });
    call.admission = admitRequest(call.identity, call.request, { guard });
    const adapter = scriptedAdapter('p', 'ok');
    call.plan = plan(target(adapter));
    let begun = false;
    call.beginUpstream = () => {
      begun = true;
      return new Cancel();
    };
    await expect(executeStage({ policy: policy() })(call)).rejects.toSatisfy(
      (error) => error instanceof GatewayError && error.code === 'budget_exceeded',
    );
    expect(begun).toBe(false);
    expect(adapter.calls).toBe(0);
    expect(call.record.attempts).toBeUndefined();
  });
});
