import type { Capabilities, Price } from '../registry/catalog-types.js';
import { costOfUsage } from '../usage/cost/cost-of-usage.js';
import type { RequestFeatures } from './features/extract-features.js';
import { expectedQuality, type QualityProfile } from './expected-quality.js';
import type { LatencyStats } from './latency-stats.js';
import type { BudgetMode } from './policies/routing-settings.js';
import type {
  CandidatePosterior,
  CandidateVerdict,
  CapacityStatus,
  DeploymentHealth,
  RouteTarget,
  SessionCache,
} from '../core/route.js';
import { predictSessionCost } from './session-cost.js';

/** A deployment with everything routing needs to know about it, precomputed at startup. */
export interface CandidateInfo {
  target: RouteTarget;
  profile: QualityProfile;
  capabilities: Capabilities;
  contextWindow?: number;
  /** Max output tokens per answer (catalog). */
  maxOutputTokens?: number;
  price?: Price;
  /** Output tokens per visible answer token: above 1 for models that always reason first. */
  outputFactor: number;
}

/** One candidate for one request: predictions and the policy's view of it. */
export interface Evaluation {
  info: CandidateInfo;
  costUsd?: number;
  latencyMs: number;
  quality: number;
  healthy: boolean;
  /** Set when the deployment cannot serve the request at all. */
  drop?: string;
  /** A self-hosted deployment's load (declared capacity): saturated ones spill behind the others. */
  capacity?: CapacityStatus;
  /** Its max output, when below the request's `max_tokens`: ranked after those that fit (and clamped if used). */
  outputShort?: number;
  /** USD the warm provider cache takes off `costUsd` (it served the session's previous turn). */
  warmDiscountUsd?: number;
  /** The request's fields its wire refuses (field policy): ranked after every deployment that takes them. */
  refuses?: readonly string[];
  /** The policy's reason for its place (tier, arm, floor…). */
  reason: string;
  /** What the ordering decided about it (demoted, unavailable, explored), overriding `reason`. */
  note?: string;
  score?: number;
  /** The learned success posterior behind `quality`, when the policy consults the quality model. */
  posterior?: CandidatePosterior;
}

export interface EvaluationContext {
  features: RequestFeatures;
  stats: LatencyStats;
  health: DeploymentHealth;
  now: number;
  /** The request's `max_tokens`, when it set one. */
  maxTokens?: number;
  /** `routing.output_limit` (default `clamp`). */
  outputLimit?: 'clamp' | 'strict';
  /** An identified agent session: cache affinity prices warm and cold deployments apart. */
  session?: SessionCache;
  /** The request carries provider cache marks (session pricing counts cache writes). */
  cacheMarks?: boolean;
  /** The client's fields an adapter would refuse (RouteOptions.refusedFields); absent: none to check. */
  refusedFields?: (adapter: RouteTarget['adapter']) => readonly string[];
}

/** Expected cost: prompt at the input price (the cacheable prefix at the cached price, where there is one) plus expected output. */
export function predictCost(
  price: Price | undefined,
  features: RequestFeatures,
  outputTokens = features.expectedOutputTokens,
): number | undefined {
  if (price?.inputPerMillion === undefined || price.outputPerMillion === undefined)
    return undefined;
  const cachedInputTokens =
    price.cachedInputPerMillion === undefined ? 0 : features.cacheablePromptTokens;
  if (price.tiers === undefined || price.tiers.length === 0) {
    // No prompt-size steps: the same arithmetic as costOfUsage, without its breakdown objects.
    return (
      ((features.promptTokens - cachedInputTokens) * price.inputPerMillion +
        cachedInputTokens * (price.cachedInputPerMillion ?? 0) +
        outputTokens * price.outputPerMillion) /
      1_000_000
    );
  }
  return costOfUsage({ inputTokens: features.promptTokens, outputTokens, cachedInputTokens }, price)
    .costUsd;
}

export function evaluate(
  info: CandidateInfo,
  context: EvaluationContext,
  reason: string,
): Evaluation {
  const { features } = context;
  const outputTokens = features.expectedOutputTokens * info.outputFactor;
  const evaluation: Evaluation = {
    info,
    latencyMs: context.stats.predictMs(info.target.key, outputTokens),
    quality: expectedQuality(info.profile, features.languages[0], features.difficulty),
    healthy: context.health.available(info.target.key, context.now),
    reason,
  };
  if (context.session === undefined) {
    const cost = predictCost(info.price, features, outputTokens);
    if (cost !== undefined) evaluation.costUsd = cost;
  } else {
    const cost = predictSessionCost(
      info.price,
      info.target.key,
      context.session,
      features.promptTokens,
      outputTokens,
      context.cacheMarks === true,
    );
    if (cost !== undefined) evaluation.costUsd = cost.costUsd;
    if (cost?.warmDiscountUsd !== undefined) evaluation.warmDiscountUsd = cost.warmDiscountUsd;
  }
  if (context.refusedFields !== undefined) {
    const refused = context.refusedFields(info.target.adapter);
    if (refused.length > 0) evaluation.refuses = refused;
  }
  const capacity = context.health.capacity?.(info.target.key);
  if (capacity) evaluation.capacity = capacity;
  const { capabilities } = info;
  if (features.tools && capabilities.tools === false) evaluation.drop = 'dropped: no tool calling';
  else if (features.json && capabilities.jsonMode === false)
    evaluation.drop = 'dropped: no JSON mode';
  else if (features.fim && capabilities.fim === false)
    evaluation.drop = 'dropped: no fill-in-the-middle';
  else if (info.contextWindow !== undefined && features.promptTokens > info.contextWindow) {
    evaluation.drop = `dropped: ~${features.promptTokens} prompt tokens exceed its ${info.contextWindow}-token context window`;
  } else if (
    info.maxOutputTokens !== undefined &&
    context.maxTokens !== undefined &&
    context.maxTokens > info.maxOutputTokens
  ) {
    if (context.outputLimit === 'strict')
      evaluation.drop = `dropped: max output ${info.maxOutputTokens} < max_tokens ${context.maxTokens} (routing.output_limit: strict)`;
    else evaluation.outputShort = info.maxOutputTokens;
  }
  return evaluation;
}

/** Not dropped, and its wire takes every field of the request: it may set the bar others are judged by. */
export function takesRequest(evaluation: Evaluation): boolean {
  return evaluation.drop === undefined && evaluation.refuses === undefined;
}

/** Cheapest first; unknown prices after known ones, in their given order. */
export function byCost(a: Evaluation, b: Evaluation): number {
  return (a.costUsd ?? Number.POSITIVE_INFINITY) - (b.costUsd ?? Number.POSITIVE_INFINITY) || 0;
}

export interface OrderOptions {
  latencyBudgetMs?: number;
  budgetMode: BudgetMode;
  /** Move one unmeasured deployment to the front (bounded exploration); decided by the caller. */
  explore: boolean;
  stats: LatencyStats;
  now: number;
}

export interface OrderedPlan {
  attempts: RouteTarget[];
  candidates: CandidateVerdict[];
}

/**
 * Turns the policy's preference order into attempts: candidates that cannot serve the request
 * are dropped; healthy ones predicted to fit the latency budget keep the policy's order; those
 * predicted to miss it are demoted behind them (fastest first) or removed; unavailable ones
 * (cooldown, open breaker) go last, as a last resort; after them, those whose wire refuses one of
 * the request's fields (the field policy refuses them before the attempt, so they are only tried
 * when nothing else is: the client then gets the 400 naming the field). O(candidates log candidates).
 */
export function orderCandidates(
  preferred: readonly Evaluation[],
  options: OrderOptions,
): OrderedPlan {
  const fitting: Evaluation[] = [];
  const slow: Evaluation[] = [];
  const unavailable: Evaluation[] = [];
  const dropped: Evaluation[] = [];
  const short: Evaluation[] = [];
  const saturated: Evaluation[] = [];
  const refusing: Evaluation[] = [];
  const budget = options.latencyBudgetMs;
  for (const evaluation of preferred) {
    if (evaluation.drop !== undefined) dropped.push(evaluation);
    else if (evaluation.refuses !== undefined) refusing.push(evaluation);
    else if (!evaluation.healthy) unavailable.push(evaluation);
    else if (evaluation.capacity?.saturated) saturated.push(evaluation);
    else if (evaluation.outputShort !== undefined) short.push(evaluation);
    else if (budget !== undefined && evaluation.latencyMs > budget) slow.push(evaluation);
    else fitting.push(evaluation);
  }
  const removeSlow = options.budgetMode === 'remove' && fitting.length > 0;
  if (slow.length > 0) {
    slow.sort((a, b) => a.latencyMs - b.latencyMs);
    const outcome = removeSlow ? 'removed' : 'demoted';
    for (const evaluation of slow)
      evaluation.note = `predicted ${Math.round(evaluation.latencyMs)} ms misses the ${budget} ms budget: ${outcome}`;
  }
  for (const evaluation of unavailable)
    evaluation.note = 'unavailable (cooldown or open breaker): last resort';
  for (const evaluation of saturated) evaluation.note = evaluation.capacity!.detail;
  // Largest limit first: the least clamping.
  short.sort((a, b) => b.outputShort! - a.outputShort! || byCost(a, b));
  for (const evaluation of short)
    evaluation.note = `max output ${evaluation.outputShort} < max_tokens: ranked after the deployments that fit; max_tokens clamped to ${evaluation.outputShort} if used`;
  for (const evaluation of refusing)
    evaluation.note = `its wire refuses ${evaluation.refuses!.map((field) => `\`${field}\``).join(', ')}: ranked after the deployments that take the request`;

  if (options.explore) {
    const index = fitting.findIndex(
      (evaluation, position) =>
        position > 0 &&
        options.stats.samples(evaluation.info.target.key) < options.stats.minSamples,
    );
    if (index > 0 && options.stats.tryStartProbe(fitting[index]!.info.target.key, options.now)) {
      const [explored] = fitting.splice(index, 1);
      explored!.note = `exploring: ${options.stats.samples(explored!.info.target.key)} latency samples so far (${explored!.reason})`;
      fitting.unshift(explored!);
    }
  }

  // A self-hosted box with room keeps its place (its marginal cost is near zero); one saturated
  // goes after the deployments that can take the request now, before the unavailable ones.
  for (const evaluation of fitting)
    if (evaluation.capacity && evaluation.note === undefined)
      evaluation.note = `${evaluation.reason}; ${evaluation.capacity.detail}`;
  let kept = removeSlow
    ? fitting.concat(short, saturated, unavailable, refusing)
    : fitting.concat(slow, short, saturated, unavailable, refusing);
  if (kept.length === 0) {
    // Nothing declared able to serve it: try the dropped ones rather than refuse (the upstream has the last word).
    kept = dropped.splice(0);
    for (const evaluation of kept)
      evaluation.note = `${evaluation.drop}; tried anyway: no other candidate`;
  }
  const attempts: RouteTarget[] = new Array<RouteTarget>(kept.length);
  const candidates: CandidateVerdict[] = [];
  for (let rank = 0; rank < kept.length; rank++) {
    attempts[rank] = kept[rank]!.info.target;
    candidates.push(verdict(kept[rank]!, rank, options.stats));
  }
  if (removeSlow)
    for (const evaluation of slow) candidates.push(verdict(evaluation, undefined, options.stats));
  for (const evaluation of dropped) candidates.push(verdict(evaluation, undefined, options.stats));
  return { attempts, candidates };
}

function verdict(
  evaluation: Evaluation,
  rank: number | undefined,
  stats: LatencyStats,
): CandidateVerdict {
  const target = evaluation.info.target;
  const result: CandidateVerdict = {
    key: target.key,
    model: target.model.name,
    provider: target.deployment.provider,
    predictedLatencyMs: Math.round(evaluation.latencyMs),
    latencySamples: stats.samples(target.key),
    reason:
      evaluation.note ??
      evaluation.drop ??
      (rank === 0 ? `won: ${evaluation.reason}` : `fallback: ${evaluation.reason}`),
  };
  if (rank !== undefined) result.rank = rank;
  if (evaluation.score !== undefined) result.score = Math.round(evaluation.score * 10) / 10;
  if (evaluation.costUsd !== undefined) result.predictedCostUsd = evaluation.costUsd;
  if (evaluation.outputShort !== undefined) result.maxTokensClampedTo = evaluation.outputShort;
  if (evaluation.refuses !== undefined) result.refusedFields = evaluation.refuses;
  if (evaluation.warmDiscountUsd !== undefined) {
    result.warmCacheDiscountUsd = evaluation.warmDiscountUsd;
    if (evaluation.note === undefined)
      result.reason += ` (warm provider cache from the previous turn: -$${evaluation.warmDiscountUsd.toPrecision(2)})`;
  }
  if (evaluation.posterior !== undefined) {
    const posterior = evaluation.posterior;
    result.posterior = {
      mean: round3(posterior.mean),
      alpha: round3(posterior.alpha),
      beta: round3(posterior.beta),
      prior: round3(posterior.prior),
      priorOffset: round3(posterior.priorOffset),
      evidence: posterior.evidence,
      evidenceElsewhere: posterior.evidenceElsewhere,
    };
  }
  return result;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
