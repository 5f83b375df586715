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
}

export interface CostOptimalPolicy extends PolicyCommon {
  type: 'cost-optimal';
  candidates: DeploymentRef[];
  qualityFloor: number;
  rankBy: 'cost' | 'latency' | 'quality';
}

export interface WeightedPolicy extends PolicyCommon {
  type: 'weighted';
  split: 'request-id' | 'random';
  arms: Array<{ label: string; weight: number; refs: DeploymentRef[] }>;
}

export type RoutingPolicy = TiersPolicy | CostOptimalPolicy | WeightedPolicy;

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
      };
    case 'cost-optimal':
      return {
        ...common,
        candidates: keys(policy.candidates),
        qualityFloor: policy.qualityFloor,
        rankBy: policy.rankBy,
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
