import type { RouteOptions } from '../core/route.js';
import type { ConversationRungs } from './learning/conversation-rungs.js';
import { judgeCandidates, withinMargin } from './learning/judge-candidates.js';
import { requestBucket } from './learning/request-bucket.js';
import type { LearningContext } from './plan-cost-optimal.js';
import type { CascadePolicy } from './policies/routing-settings.js';
import { budgetOf, type Plan } from './plan-types.js';
import {
  byCost,
  evaluate,
  takesRequest,
  type CandidateInfo,
  type Evaluation,
  type EvaluationContext,
} from './rank-candidates.js';

/**
 * `cascade`: ordered rungs, cheapest first. A request starts on the cheapest rung whose best
 * posterior (in the request's bucket) is within `start_margin` points of the best rung's — or on
 * the rung its conversation was raised to by a failure signal, if higher. Within a rung, cheapest
 * first; then the rungs above, then those below, as fallbacks.
 */
export function planCascade(
  policy: CascadePolicy,
  infosOf: (rung: number) => readonly CandidateInfo[],
  context: EvaluationContext,
  options: RouteOptions,
  learning: LearningContext & { rungs: ConversationRungs },
): Plan {
  const bucket = requestBucket(context.features);
  const count = policy.rungs.length;
  const seen = new Set<string>();
  const rungs: Evaluation[][] = policy.rungs.map((_, index) => {
    const fresh = infosOf(index).filter((info) => !seen.has(info.target.key));
    for (const info of fresh) seen.add(info.target.key);
    return fresh.map((info) => evaluate(info, context, ''));
  });
  // Judged together: the prior calibration reads every rung's evidence.
  judgeCandidates(rungs.flat(), bucket, learning.quality);
  for (const rung of rungs) rung.sort(byCost);
  const bestOf = (evaluations: readonly Evaluation[]): number => {
    let best = Number.NEGATIVE_INFINITY;
    for (const evaluation of evaluations)
      if (takesRequest(evaluation)) best = Math.max(best, evaluation.quality);
    return best;
  };
  const bests = rungs.map(bestOf);
  const { best } = withinMargin(rungs.flat(), 0, {
    difficulty: context.features.difficulty,
    reasoningMinDifficulty: learning.quality.settings.reasoningMinDifficulty,
  });
  let start = bests.findIndex((value) => value >= best - policy.startMargin);
  if (start < 0) start = 0;
  const remembered =
    options.conversation === undefined
      ? undefined
      : learning.rungs.rung(options.conversation, policy.name, options.now);
  const chosen = Math.min(count - 1, Math.max(start, remembered ?? 0));
  const why =
    remembered !== undefined && remembered > start
      ? `raised by a failure signal in this conversation; the quality model would start on rung ${start + 1}`
      : `the cheapest rung within ${policy.startMargin} points of the best posterior (${best.toFixed(1)})`;
  const order = [chosen];
  for (let index = chosen + 1; index < count; index++) order.push(index);
  for (let index = chosen - 1; index >= 0; index--) order.push(index);
  const evaluations: Evaluation[] = [];
  for (const index of order) {
    const reason =
      index === chosen
        ? `rung ${index + 1}/${count} (${why})`
        : index > chosen
          ? `higher rung ${index + 1}/${count}`
          : `lower rung ${index + 1}/${count}`;
    for (const evaluation of rungs[index]!) evaluation.reason = reason;
    evaluations.push(...rungs[index]!);
  }
  const budget = options.latencyBudgetMs ?? policy.latencyBudgetMs;
  return {
    evaluations,
    tier: policy.rungs[chosen]!.name,
    bucket,
    rung: { index: chosen, count },
    latencySensitive: budget !== undefined,
    budgetMode: policy.budgetMode,
    ...budgetOf(budget),
  };
}
