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
  }>;
}

export function explainPlan(plan: RoutePlan): PlanExplanation {
  return {
    model_asked: plan.modelAsked,
    policy: plan.policy,
    ...(plan.tier === undefined ? {} : { tier: plan.tier }),
    ...(plan.latencyBudgetMs === undefined ? {} : { latency_budget_ms: plan.latencyBudgetMs }),
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
    `Policy: ${explanation.policy}${explanation.tier === undefined ? '' : `, tier ${explanation.tier}`}${explanation.latency_budget_ms === undefined ? '' : `, latency budget ${explanation.latency_budget_ms} ms`}`,
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
    `  ${cell('rank', 5)}${cell('deployment', 44)}${cell('score', 7)}${cell('cost USD', 11)}${cell('latency (n)', 16)}reason`,
  );
  for (const candidate of explanation.candidates) {
    lines.push(
      `  ${cell(candidate.rank === null ? '-' : String(candidate.rank + 1), 5)}${cell(candidate.deployment, 44)}${cell(candidate.score === null ? '-' : candidate.score.toFixed(1), 7)}` +
        `${cell(candidate.predicted_cost_usd === null ? 'unknown' : candidate.predicted_cost_usd.toPrecision(3), 11)}${cell(candidate.predicted_latency_ms === null ? '-' : `${candidate.predicted_latency_ms} ms (${candidate.latency_samples})`, 16)}${candidate.reason}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
