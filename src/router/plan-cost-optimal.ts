import type { RouteOptions } from '../core/route.js';
import { credibleQuality, judgeCandidates, withinMargin } from './learning/judge-candidates.js';
import type { QualityModel } from './learning/quality-model.js';
import { requestBucket } from './learning/request-bucket.js';
import type { CostOptimalPolicy } from './policies/routing-settings.js';
import { budgetOf, type Plan } from './plan-types.js';
import {
  byCost,
  evaluate,
  takesRequest,
  type CandidateInfo,
  type Evaluation,
  type EvaluationContext,
} from './rank-candidates.js';

export interface LearningContext {
  quality: QualityModel;
  random: () => number;
}

const byQuality = (a: Evaluation, b: Evaluation): number => b.quality - a.quality || byCost(a, b);

/**
 * `cost-optimal`: every candidate's success posterior in the request's bucket (quality-model.ts);
 * those within `quality_margin` points of the best candidate's (and above `quality_floor`, when
 * set) qualify and are ranked by `rank_by`; the rest follow, best first; reasoning models are held
 * back below `reasoning_min_difficulty`. While a candidate rests on too little evidence, the
 * decision is made on Thompson draws instead of means, when what that adds to the predicted cost
 * fits the exploration cap.
 */
export function planCostOptimal(
  policy: CostOptimalPolicy,
  infos: readonly CandidateInfo[],
  context: EvaluationContext,
  options: RouteOptions,
  learning: LearningContext,
): Plan {
  const { quality } = learning;
  const bucket = requestBucket(context.features);
  const evaluations = infos.map((info) => evaluate(info, context, ''));
  judgeCandidates(evaluations, bucket, quality);
  const rank =
    policy.rankBy === 'cost'
      ? (a: Evaluation, b: Evaluation) => byCost(a, b) || b.quality - a.quality
      : policy.rankBy === 'latency'
        ? (a: Evaluation, b: Evaluation) => a.latencyMs - b.latencyMs || byCost(a, b)
        : byQuality;
  const split = (value?: (evaluation: Evaluation) => number) =>
    withinMargin(evaluations, policy.qualityMargin, {
      difficulty: context.features.difficulty,
      reasoningMinDifficulty: quality.settings.reasoningMinDifficulty,
      ...(policy.qualityFloor === undefined ? {} : { floor: policy.qualityFloor }),
      ...(value ? { value } : quality.learning ? { bound: credibleQuality } : {}),
    });
  // Greedy, once outcomes come in: a candidate qualifies when its credible quality (mean − 1 sd)
  // is within the margin of the best mean; on a Thompson draw, the draws carry the uncertainty.
  // Without any outcome the priors decide alone, by their means.
  let chosen = split();
  chosen.qualifying.sort(rank);
  let explored: Evaluation | undefined;
  // Exploration starts with the first outcome: without feedback a draw would teach nothing.
  if (options.explain !== true && quality.learning) {
    const draws = new Map<Evaluation, number>();
    let differs = false;
    for (const evaluation of evaluations) {
      const draw = quality.draw(evaluation.posterior!, learning.random) * 100;
      if (draw !== evaluation.quality) differs = true;
      draws.set(evaluation, draw);
    }
    if (differs) {
      const drawn = split((evaluation) => draws.get(evaluation)!);
      drawn.qualifying.sort(rank);
      const servable = (evaluation: Evaluation): boolean =>
        takesRequest(evaluation) && evaluation.healthy;
      const greedyFirst = chosen.qualifying.find(servable);
      const drawnFirst = drawn.qualifying.find(servable);
      if (drawnFirst !== undefined && greedyFirst !== undefined && drawnFirst !== greedyFirst) {
        const extra = (drawnFirst.costUsd ?? 0) - (greedyFirst.costUsd ?? 0);
        if (quality.allowExploration(extra)) {
          chosen = drawn;
          explored = drawnFirst;
          // The explored candidate goes first among the qualifying (the draw made it qualify).
          chosen.qualifying.splice(chosen.qualifying.indexOf(drawnFirst), 1);
          chosen.qualifying.unshift(drawnFirst);
        }
      }
    }
  }
  const best = chosen.best;
  const meets = `within ${policy.qualityMargin} points of the best posterior (${best.toFixed(1)})${policy.qualityFloor === undefined ? '' : ` and above floor ${policy.qualityFloor}`}; ${policy.rankBy === 'cost' ? 'cheapest' : policy.rankBy === 'latency' ? 'fastest' : 'best'} first`;
  for (const evaluation of chosen.qualifying) evaluation.reason = meets;
  for (const evaluation of chosen.rest)
    evaluation.reason = `posterior more than ${policy.qualityMargin} points below the best (${best.toFixed(1)})${policy.qualityFloor === undefined ? '' : ` or below floor ${policy.qualityFloor}`}`;
  for (const evaluation of chosen.heldBack)
    evaluation.reason = `reasoning model held back: difficulty ${context.features.difficulty} < ${quality.settings.reasoningMinDifficulty}`;
  if (explored)
    explored.note = `exploring: Thompson draw on ${explored.posterior!.evidence} outcomes in the bucket (${explored.reason})`;
  chosen.rest.sort(byQuality);
  chosen.heldBack.sort(byQuality);
  const ordered = [...chosen.qualifying, ...chosen.rest, ...chosen.heldBack];
  quality.notePlanned(ordered[0]?.costUsd);
  const budget = options.latencyBudgetMs ?? policy.latencyBudgetMs;
  return {
    evaluations: ordered,
    bucket,
    latencySensitive: budget !== undefined || policy.rankBy === 'latency',
    budgetMode: policy.budgetMode,
    ...budgetOf(budget),
  };
}
