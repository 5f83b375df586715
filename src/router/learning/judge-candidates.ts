import { takesRequest, type Evaluation } from '../rank-candidates.js';
import type { QualityModel } from './quality-model.js';

/**
 * Replaces each evaluation's prior expected quality by its learned posterior mean (percent) in
 * `bucket`, keeping the posterior for explain. The prior is the registry's expected pass@1,
 * calibrated by how far the measured candidates among `evaluations` fell from theirs
 * (QualityModel.priorOffsets).
 */
export function judgeCandidates(
  evaluations: readonly Evaluation[],
  bucket: string,
  quality: QualityModel,
): void {
  const offsets = quality.priorOffsets(
    evaluations.map((evaluation) => ({
      key: evaluation.info.target.key,
      prior: evaluation.quality / 100,
    })),
    bucket,
  );
  for (const [index, evaluation] of evaluations.entries()) {
    const posterior = quality.posterior(
      evaluation.info.target.key,
      bucket,
      evaluation.quality / 100,
      offsets[index],
    );
    evaluation.posterior = posterior;
    evaluation.quality = posterior.mean * 100;
    evaluation.score = evaluation.quality;
  }
}

/** A model that always reasons before answering (its expected output counts several times). */
export function isReasoningModel(evaluation: Evaluation): boolean {
  return evaluation.info.outputFactor > 1;
}

/**
 * Splits candidates into those within `margin` points of the best one's `value` (default: the
 * posterior mean) and the rest. Reasoning models below `reasoningMinDifficulty` are held back
 * (neither the best nor qualifying): a trivial prompt never goes to one while another can serve.
 * Dropped candidates, and those whose wire refuses a field of the request, do not set the best either.
 */
export function withinMargin(
  evaluations: readonly Evaluation[],
  margin: number,
  options: {
    difficulty: number;
    reasoningMinDifficulty: number;
    floor?: number;
    value?: (evaluation: Evaluation) => number;
    /** What must reach the best `value` − margin to qualify (default: `value` itself). */
    bound?: (evaluation: Evaluation) => number;
  },
): { qualifying: Evaluation[]; rest: Evaluation[]; heldBack: Evaluation[]; best: number } {
  const value = options.value ?? ((evaluation: Evaluation) => evaluation.quality);
  const holdBack =
    options.difficulty < options.reasoningMinDifficulty &&
    evaluations.some((evaluation) => !isReasoningModel(evaluation) && takesRequest(evaluation));
  const heldBack: Evaluation[] = [];
  const competing: Evaluation[] = [];
  for (const evaluation of evaluations) {
    if (holdBack && isReasoningModel(evaluation)) heldBack.push(evaluation);
    else competing.push(evaluation);
  }
  let best = Number.NEGATIVE_INFINITY;
  for (const evaluation of competing)
    if (takesRequest(evaluation) && value(evaluation) > best) best = value(evaluation);
  if (best === Number.NEGATIVE_INFINITY)
    for (const evaluation of competing) best = Math.max(best, value(evaluation));
  const qualifying: Evaluation[] = [];
  const rest: Evaluation[] = [];
  const bound = options.bound ?? value;
  for (const evaluation of competing) {
    // The best candidate always qualifies against itself.
    const score = value(evaluation) >= best ? value(evaluation) : bound(evaluation);
    if (score >= best - margin && (options.floor === undefined || score >= options.floor))
      qualifying.push(evaluation);
    else rest.push(evaluation);
  }
  return { qualifying, rest, heldBack, best };
}

/**
 * One standard deviation below the posterior mean, in points: what a candidate is credibly worth.
 * A cheaper candidate qualifies against the best by this, not by its mean, so one that looks good
 * on a handful of lucky outcomes does not take the traffic (the winner's curse of "cheapest
 * within the margin"); exploration gives it the outcomes to prove itself.
 */
export function credibleQuality(evaluation: Evaluation): number {
  const posterior = evaluation.posterior;
  if (posterior === undefined) return evaluation.quality;
  const n = posterior.alpha + posterior.beta;
  const sd = Math.sqrt((posterior.alpha * posterior.beta) / (n * n * (n + 1)));
  return evaluation.quality - sd * 100;
}
