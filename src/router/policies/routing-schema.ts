import { z } from 'zod';
import { TASK_KINDS } from '../features/classify-task.js';

/**
 * The `routing.policies` part of the config file: one entry per routed name (`auto`,
 * `auto:cheap`, an operator's own name), each a tagged union on `type`. docs/routing.md is the
 * reference; config/resolve-routing.ts cross-checks names against the configured models.
 */

const LANGUAGES = ['python', 'java', 'cpp', 'typescript', 'javascript', 'go', 'rust'] as const;

const range = z
  .object({
    below: z.number().nonnegative(),
    at_most: z.number().nonnegative(),
    above: z.number().nonnegative(),
    at_least: z.number().nonnegative(),
  })
  .partial()
  .strict()
  .refine(
    (value) => Object.keys(value).length > 0,
    'a range needs at least one of below, at_most, above, at_least',
  );

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

const baseCondition = z
  .object({
    prompt_tokens: range,
    expected_output_tokens: range,
    nesting_depth: range,
    difficulty: range,
    /** `none`, `standard-library` (standard-library modules only) or `third-party`. */
    imports: oneOrMany(z.enum(['none', 'standard-library', 'third-party'])),
    external_api_calls: z.boolean(),
    language: oneOrMany(z.enum(LANGUAGES)),
    task: oneOrMany(z.enum(TASK_KINDS)),
    fim: z.boolean(),
    tools: z.boolean(),
    json: z.boolean(),
  })
  .partial()
  .strict();

export type BaseCondition = z.infer<typeof baseCondition>;

/** All fields must hold; `any` holds when one of its conditions does. */
const condition = baseCondition
  .extend({ any: z.array(baseCondition).min(1) })
  .partial()
  .strict();
export type RuleCondition = z.infer<typeof condition>;

/** A model name (all its deployments) or one deployment as `provider/model`. */
const targetList = z
  .array(z.string().min(1))
  .min(1, 'list at least one model or provider/model deployment');

const latencyBudget = z.number().int().positive().max(3_600_000);
const budgetMode = z.enum(['demote', 'remove']);

const tier = z.union([
  targetList,
  z.object({ deployments: targetList, latency_budget_ms: latencyBudget.optional() }).strict(),
]);

const tiersPolicy = z
  .object({
    type: z.literal('tiers'),
    tiers: z
      .record(z.string().min(1), tier)
      .refine((value) => Object.keys(value).length > 0, 'at least one tier'),
    rules: z.array(z.object({ when: condition, tier: z.string().min(1) }).strict()).default([]),
    /** The tier when no rule matches (default: the first tier). */
    default_tier: z.string().min(1).optional(),
    /** After the chosen tier: `stronger` tries the tiers listed after it, then those before; `none` stops. */
    fallback: z.enum(['stronger', 'none']).default('stronger'),
    /** Within the chosen tier: candidates within this many points of the tier's best posterior, cheapest first; the rest after. */
    quality_margin: z.number().min(0).max(100).default(5),
    latency_budget_ms: latencyBudget.optional(),
    latency_budget_mode: budgetMode.default('demote'),
  })
  .strict();

const cascadePolicy = z
  .object({
    type: z.literal('cascade'),
    /** Ordered rungs, cheapest first: each a list of models or provider/model deployments. */
    rungs: z.array(targetList).min(1, 'a cascade needs at least one rung'),
    /** A request starts on the cheapest rung whose best posterior is within this many points of the best rung's. */
    start_margin: z.number().min(0).max(100).default(50),
    latency_budget_ms: latencyBudget.optional(),
    latency_budget_mode: budgetMode.default('demote'),
  })
  .strict();

const costOptimalPolicy = z
  .object({
    type: z.literal('cost-optimal'),
    /** Models or deployments considered (default: every configured model). */
    candidates: targetList.optional(),
    /** An absolute minimum of expected quality (pass@1 percent, the posterior mean), on top of the margin; absent: none. */
    quality_floor: z.number().min(0).max(100).optional(),
    /** Points of expected quality a candidate may trail the best candidate's posterior in the request's bucket by and still qualify. */
    quality_margin: z.number().min(0).max(100).default(5),
    /** `cost` (default): cheapest that meets the floor; `latency`: fastest that meets it; `quality`: best expected quality. */
    rank_by: z.enum(['cost', 'latency', 'quality']).default('cost'),
    latency_budget_ms: latencyBudget.optional(),
    latency_budget_mode: budgetMode.default('demote'),
  })
  .strict();

const weightedPolicy = z
  .object({
    type: z.literal('weighted'),
    /** `request-id`: the same request id always lands on the same arm; `random`: a fresh draw each time. */
    split: z.enum(['request-id', 'random']).default('request-id'),
    arms: z
      .array(
        z
          .object({
            deployments: targetList,
            weight: z.number().positive(),
            label: z.string().min(1).optional(),
          })
          .strict(),
      )
      .min(1, 'a weighted policy needs at least one arm'),
    latency_budget_ms: latencyBudget.optional(),
    latency_budget_mode: budgetMode.default('demote'),
  })
  .strict();

export const policySchema = z.discriminatedUnion(
  'type',
  [tiersPolicy, costOptimalPolicy, weightedPolicy, cascadePolicy],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'type must be one of tiers, cost-optimal, weighted, cascade'
        : undefined,
  },
);
export type PolicyFile = z.infer<typeof policySchema>;

/** Expected quality overrides: pass@1 percent per language, `default` for the rest, `hard` at difficulty 1. */
const qualityOverride = z
  .object({
    default: z.number().min(0).max(100),
    hard: z.number().min(0).max(100),
    ...Object.fromEntries(LANGUAGES.map((language) => [language, z.number().min(0).max(100)])),
  })
  .partial()
  .strict();

export const routingExtrasSchema = {
  /** Routed names → policy. Absent: built-in policies for auto, auto:cheap, auto:fast, auto:best. */
  policies: z.record(
    z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\x21-\x7e]+$/, 'policy names are visible ASCII without spaces'),
    policySchema,
  ),
  /** Expected quality per model, overriding the catalog's priors. */
  quality: z.record(z.string().min(1), qualityOverride),
  /** Deployments whose max output is below the request's max_tokens: ranked last and clamped (default), or dropped. */
  output_limit: z.enum(['clamp', 'strict']),
  /** Agent sessions stay on the deployment whose provider cache is warm while it is cheapest. */
  cache_affinity: z
    .object({
      enabled: z.boolean(),
      /** How long a session remembers the deployment of its last turn (the provider cache's life). */
      ttl_ms: z.number().int().min(1_000).max(86_400_000),
    })
    .partial()
    .strict(),
  /** The quality model and the learning loop (docs/routing.md, "Learning from outcomes"). */
  learning: z
    .object({
      prior_strength: z.number().positive().max(1_000),
      pool_weight: z.number().min(0).max(1),
      explore_below: z.number().min(0).max(100_000),
      exploration_cost_share: z.number().min(0).max(1),
      exploration_share: z.number().min(0).max(1),
      reasoning_min_difficulty: z.number().min(0).max(1),
      retry_window_ms: z.number().int().min(0).max(86_400_000),
      session_ttl_ms: z
        .number()
        .int()
        .min(1_000)
        .max(7 * 86_400_000),
      refresh_ms: z.number().int().min(0).max(86_400_000),
      history_days: z.number().positive().max(3_650),
    })
    .partial()
    .strict(),
  latency: z
    .object({
      /** Weight of the newest sample in the moving averages (0-1]. */
      ewma_alpha: z.number().gt(0).max(1),
      /** Samples kept for the time-to-first-token p95. */
      window: z.number().int().min(5).max(10_000),
      /** Share of latency-sensitive plans that may try a deployment with too few samples first. */
      exploration_share: z.number().min(0).max(0.5),
      /** Samples below which a deployment counts as unmeasured. */
      min_samples: z.number().int().min(1).max(1_000),
    })
    .partial()
    .strict(),
};
