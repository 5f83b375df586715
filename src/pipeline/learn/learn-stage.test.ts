import { describe, expect, it } from 'vitest';
import { modelCall, plan, scriptedAdapter, target } from '../../../test/helpers/pipeline-call.js';
import { LearningLoop } from '../../learning/learning-loop.js';
import { ConversationRungs } from '../../router/learning/conversation-rungs.js';
import { QualityModel } from '../../router/learning/quality-model.js';
import type { CallResult, ModelCall } from '../model-call.js';
import { learnArrivalStage, learnPlannedStage, learnRouteStage } from './learn-stage.js';

const served = (): CallResult => ({
  outcome: { source: 'upstream' },
  answer: { response: { id: 'x', model: 'm', created: 1, choices: [] } },
  finish: async () => {},
});

function loop(): { learning: LearningLoop; quality: QualityModel; rungs: ConversationRungs } {
  const quality = new QualityModel();
  const rungs = new ConversationRungs(60_000);
  return { learning: new LearningLoop({ quality, rungs }), quality, rungs };
}

/** Runs the three learn stages around a planner that plans `call` as a cascade on rung 1 of 3. */
async function through(learning: LearningLoop, call: ModelCall): Promise<void> {
  const route = learnRouteStage(learning)(async (routed) => {
    routed.plan = {
      ...plan(target(scriptedAdapter('p', 'a'))),
      bucket: 'python/general/s',
      policyName: 'cascade',
      rung: { index: 0, count: 3 },
    };
    return learnPlannedStage(learning)(async () => served())(routed);
  });
  await learnArrivalStage(learning)(route)(call);
}

describe('learn stages', () => {
  it('put the conversation on the call and remember the planned request with its bucket and rung', async () => {
    const { learning } = loop();
    const call = modelCall({ headers: { 'x-switchyard-session': 's1' } });
    await through(learning, call);
    expect(call.arrival?.conversation).toContain('s1');
    expect(call.record.learning?.bucket).toBe('python/general/s');
    expect(learning.recent.byRequestId('req-1')).toMatchObject({
      provider: 'p',
      model: 'm',
      rung: { index: 0 },
    });
  });

  it('an explicit retry fails the earlier answer, raises its conversation and skips the cache', async () => {
    const { learning, quality, rungs } = loop();
    const first = modelCall({ headers: { 'x-switchyard-session': 's1' } });
    await through(learning, first);
    const retry = modelCall({
      headers: { 'x-switchyard-session': 's1', 'x-switchyard-retry-of': 'req-1' },
    });
    await learnArrivalStage(learning)(async () => served())(retry);
    expect(retry.skipCache).toBe(true);
    expect(quality.evidence()).toEqual([
      { key: 'p/m', bucket: 'python/general/s', successes: 0, failures: 1 },
    ]);
    expect(rungs.rung(first.arrival!.conversation, 'cascade')).toBe(1);
  });
});
