import type { LearningSettings } from '../learning/quality-model.js';
import type { RuleCondition } from './routing-schema.js';

/** One configured deployment a policy may send to, by model name and provider id. */
export interface DeploymentRef {
  model: string;
  provider: string;
  /** `provider/model`, as `deploymentKey` builds it. */
  key: string;
}

export type BudgetMode = 'demote' | 'remove';

interface PolicyCommon {
  name: string;
  latencyBudgetMs?: number;
  budgetMode: BudgetMode;
}

export interface ResolvedTier {
  name: string;
  refs: DeploymentRef[];
  latencyBudgetMs?: number;
}

export interface TiersPolicy extends PolicyCommon {
  type: 'tiers';
  tiers: ResolvedTier[];
  /** Rules in order; `tier` is an index into `tiers`. */
  rules: Array<{ when: RuleCondition; tier: number }>;
  defaultTier: number;
  fallback: 'stronger' | 'none';
  /** Within the chosen tier: points below the tier's best posterior that still rank by cost. */
  qualityMargin: number;
}

export interface CascadePolicy extends PolicyCommon {
  type: 'cascade';
  /** Cheapest first; named `rung-1`, `rung-2`… */
  rungs: ResolvedTier[];
  /** Points below the best rung's posterior the starting rung may trail by. */
  startMargin: number;
}

export interface CostOptimalPolicy extends PolicyCommon {
  type: 'cost-optimal';
  candidates: DeploymentRef[];
  /** Absolute minimum posterior mean (percent), on top of the margin; absent: none. */
  qualityFloor?: number;
  /** Points below the best candidate's posterior mean that still qualify. */
  qualityMargin: number;
  rankBy: 'cost' | 'latency' | 'quality';
}

export interface WeightedPolicy extends PolicyCommon {
  type: 'weighted';
  split: 'request-id' | 'random';
  arms: Array<{ label: string; weight: number; refs: DeploymentRef[] }>;
}

export type RoutingPolicy = TiersPolicy | CostOptimalPolicy | WeightedPolicy | CascadePolicy;

/** Expected quality override for one model (pass@1 percent). */
export interface QualityOverride {
  default?: number;
  hard?: number;
  [language: string]: number | undefined;
}

export interface LatencySettings {
  ewmaAlpha: number;
  window: number;
  explorationShare: number;
  minSamples: number;
}

export const LATENCY_DEFAULTS: LatencySettings = {
  ewmaAlpha: 0.2,
  window: 64,
  explorationShare: 0.05,
  minSamples: 3,
};

/** The validated routing section of the runtime config. */
export interface RoutingSettings {
  /** Routed names (auto, auto:cheap, operator names) → policy. */
  policies: Map<string, RoutingPolicy>;
  /** True when the policies are the built-in ones (no `routing.policies` in the file). */
  builtinPolicies: boolean;
  quality: Map<string, QualityOverride>;
  latency: LatencySettings;
  /** The quality model and the learning loop. */
  learning: LearningSettings;
  /**
   * A deployment whose max output is below the request's `max_tokens`: `clamp` ranks it after the
   * deployments that fit and, when used, sends `max_tokens` lowered to its limit; `strict` drops it.
   */
  outputLimit: 'clamp' | 'strict';
  /** Cache affinity for agent sessions (docs/routing.md#cache-affinity): on by default, 5 minutes. */
  cacheAffinity: { enabled: boolean; ttlMs: number };
}

/** A policy as plain JSON for `config check`: deployments as `provider/model` keys. */
export function describePolicy(policy: RoutingPolicy): Record<string, unknown> {
  const keys = (refs: readonly DeploymentRef[]): string[] => refs.map((ref) => ref.key);
  const common = {
    type: policy.type,
    latencyBudgetMs: policy.latencyBudgetMs,
    budgetMode: policy.budgetMode,
  };
  switch (policy.type) {
    case 'tiers':
      return {
        ...common,
        tiers: Object.fromEntries(
          policy.tiers.map((tier) => [
            tier.name,
            { deployments: keys(tier.refs), latencyBudgetMs: tier.latencyBudgetMs },
          ]),
        ),
        rules: policy.rules.map((rule) => ({
          when: rule.when,
          tier: policy.tiers[rule.tier]!.name,
        })),
        defaultTier: policy.tiers[policy.defaultTier]!.name,
        fallback: policy.fallback,
        qualityMargin: policy.qualityMargin,
      };
    case 'cost-optimal':
      return {
        ...common,
        candidates: keys(policy.candidates),
        qualityFloor: policy.qualityFloor,
        qualityMargin: policy.qualityMargin,
        rankBy: policy.rankBy,
      };
    case 'cascade':
      return {
        ...common,
        rungs: policy.rungs.map((rung) => keys(rung.refs)),
        startMargin: policy.startMargin,
      };
    case 'weighted':
      return {
        ...common,
        split: policy.split,
        arms: policy.arms.map((arm) => ({
          label: arm.label,
          weight: arm.weight,
          deployments: keys(arm.refs),
        })),
      };
  }
}
