import type { RoutePlan } from '../core/route.js';

/** A plan as the explain endpoint returns it: plain JSON, no adapters or config objects. */
export interface PlanExplanation {
  model_asked: string;
  policy: string;
  tier?: string;
  latency_budget_ms?: number;
  summary: string;
  features: Record<string, unknown>;
  attempts: string[];
  candidates: Array<{
    rank: number | null;
    deployment: string;
    model: string;
    provider: string;
    score: number | null;
    predicted_cost_usd: number | null;
    predicted_latency_ms: number | null;
    /** Latency samples behind the prediction; 0 = a prior. */
    latency_samples: number;
    reason: string;
    /** The max_tokens it would be sent: its max output, below the request's max_tokens. */
    max_tokens_clamped_to?: number;
    /** USD taken off the predicted cost: it served the session's previous turn (warm provider cache). */
    warm_cache_discount_usd?: number;
    /** The request's fields its upstream wire refuses (ranked after the deployments that take them). */
    refused_fields?: string[];
    /** The learned success posterior in the request's bucket (mean, Beta parameters, prior, outcomes behind it). */
    posterior?: {
      mean: number;
      alpha: number;
      beta: number;
      prior: number;
      prior_offset: number;
      evidence: number;
      evidence_elsewhere: number;
    };
  }>;
  /** The quality model's request bucket (`language/task/size`). */
  bucket?: string;
  /** A cascade's chosen rung (1-based) of how many. */
  rung?: string;
}

export function explainPlan(plan: RoutePlan): PlanExplanation {
  return {
    model_asked: plan.modelAsked,
    policy: plan.policy,
    ...(plan.tier === undefined ? {} : { tier: plan.tier }),
    ...(plan.latencyBudgetMs === undefined ? {} : { latency_budget_ms: plan.latencyBudgetMs }),
    ...(plan.bucket === undefined ? {} : { bucket: plan.bucket }),
    ...(plan.rung === undefined ? {} : { rung: `${plan.rung.index + 1}/${plan.rung.count}` }),
    summary: plan.summary,
    features: plan.features ?? {},
    attempts: plan.attempts.map((target) => target.key),
    candidates: plan.candidates.map((candidate) => ({
      rank: candidate.rank ?? null,
      deployment: candidate.key,
      model: candidate.model,
      provider: candidate.provider,
      score: candidate.score ?? null,
      predicted_cost_usd: candidate.predictedCostUsd ?? null,
      predicted_latency_ms: candidate.predictedLatencyMs ?? null,
      latency_samples: candidate.latencySamples ?? 0,
      reason: candidate.reason,
      ...(candidate.maxTokensClampedTo === undefined
        ? {}
        : { max_tokens_clamped_to: candidate.maxTokensClampedTo }),
      ...(candidate.warmCacheDiscountUsd === undefined
        ? {}
        : { warm_cache_discount_usd: candidate.warmCacheDiscountUsd }),
      ...(candidate.refusedFields === undefined
        ? {}
        : { refused_fields: [...candidate.refusedFields] }),
      ...(candidate.posterior === undefined
        ? {}
        : {
            posterior: {
              mean: candidate.posterior.mean,
              alpha: candidate.posterior.alpha,
              beta: candidate.posterior.beta,
              prior: candidate.posterior.prior,
              prior_offset: candidate.posterior.priorOffset,
              evidence: candidate.posterior.evidence,
              evidence_elsewhere: candidate.posterior.evidenceElsewhere,
            },
          }),
    })),
  };
}

function cell(value: string, width: number): string {
  return value.length > width ? `${value.slice(0, width - 1)}…` : value.padEnd(width);
}

/** The explanation as text for a terminal (`switchyard route --explain`). */
export function formatExplanation(explanation: PlanExplanation): string {
  const lines = [
    `Route: ${explanation.summary}`,
    `Policy: ${explanation.policy}${explanation.tier === undefined ? '' : `, tier ${explanation.tier}`}${explanation.latency_budget_ms === undefined ? '' : `, latency budget ${explanation.latency_budget_ms} ms`}${explanation.bucket === undefined ? '' : `, bucket ${explanation.bucket}`}`,
    '',
    'Features:',
  ];
  for (const [name, value] of Object.entries(explanation.features)) {
    lines.push(
      `  ${name.padEnd(24)} ${Array.isArray(value) ? value.join(', ') || '-' : String(value)}`,
    );
  }
  lines.push(
    '',
    `Candidates (${explanation.candidates.length}):`,
    `  ${cell('rank', 5)}${cell('deployment', 44)}${cell('score', 7)}${cell('outcomes', 10)}${cell('cost USD', 11)}${cell('latency (n)', 16)}reason`,
  );
  for (const candidate of explanation.candidates) {
    lines.push(
      `  ${cell(candidate.rank === null ? '-' : String(candidate.rank + 1), 5)}${cell(candidate.deployment, 44)}${cell(candidate.score === null ? '-' : candidate.score.toFixed(1), 7)}${cell(candidate.posterior === undefined ? '-' : `${candidate.posterior.evidence}+${candidate.posterior.evidence_elsewhere}`, 10)}` +
        `${cell(candidate.predicted_cost_usd === null ? 'unknown' : candidate.predicted_cost_usd.toPrecision(3), 11)}${cell(candidate.predicted_latency_ms === null ? '-' : `${candidate.predicted_latency_ms} ms (${candidate.latency_samples})`, 16)}${candidate.reason}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
