import type { ModelEntry } from '../core/deployment.js';
import { deploymentKey } from '../core/route.js';
import type { PolicyFile } from '../router/policies/routing-schema.js';
import {
  LATENCY_DEFAULTS,
  type DeploymentRef,
  type QualityOverride,
  type RoutingPolicy,
  type RoutingSettings,
} from '../router/policies/routing-settings.js';
import { LEARNING_DEFAULTS } from '../router/learning/quality-model.js';
import type { ConfigFile } from './schema.js';

type RoutingFile = NonNullable<ConfigFile['routing']>;

/** The built-in routed names when the config has no `routing.policies`. */
export const BUILTIN_POLICY_NAMES = ['auto', 'auto:cheap', 'auto:fast', 'auto:best'] as const;

/**
 * Resolves `routing.policies`, `routing.quality` and `routing.latency`, checking every name a
 * policy uses against the configured models and deployments. Problems are appended to
 * `problems` (reported together with the rest of the config's).
 */
export function resolveRouting(
  routing: RoutingFile | undefined,
  models: Map<string, ModelEntry>,
  problems: string[],
): RoutingSettings {
  const policies = new Map<string, RoutingPolicy>();
  const refsOf = (names: readonly string[], at: string): DeploymentRef[] => {
    const refs: DeploymentRef[] = [];
    names.forEach((name, index) => {
      const found = lookup(name, models);
      if (found.length === 0)
        problems.push(
          `${at}[${index}]: no model or provider/model deployment named "${name}" (models: ${[...models.keys()].join(', ')})`,
        );
      for (const ref of found) if (!refs.some((known) => known.key === ref.key)) refs.push(ref);
    });
    return refs;
  };

  const allModels = [...models.keys()];
  const builtin = routing?.policies === undefined;
  const files: Array<[string, PolicyFile]> = builtin
    ? builtinPolicies(routing?.default_model !== undefined).filter(
        ([name]) => routing?.aliases?.[name] === undefined && !models.has(name),
      )
    : Object.entries(routing.policies!);
  for (const [name, file] of files) {
    const at = `routing.policies.${name}`;
    if (models.has(name)) problems.push(`${at}: "${name}" is already a model name`);
    if (routing?.aliases?.[name] !== undefined)
      problems.push(`${at}: "${name}" is also an alias in routing.aliases`);
    const common = {
      name,
      budgetMode: file.latency_budget_mode,
      ...(file.latency_budget_ms === undefined ? {} : { latencyBudgetMs: file.latency_budget_ms }),
    };
    if (file.type === 'tiers') {
      const tierNames = Object.keys(file.tiers);
      const tiers = Object.entries(file.tiers).map(([tierName, tier]) => {
        const list = Array.isArray(tier) ? tier : tier.deployments;
        const budget = Array.isArray(tier) ? undefined : tier.latency_budget_ms;
        return {
          name: tierName,
          refs: refsOf(list, `${at}.tiers.${tierName}${Array.isArray(tier) ? '' : '.deployments'}`),
          ...(budget === undefined ? {} : { latencyBudgetMs: budget }),
        };
      });
      const indexOf = (tierName: string, where: string): number => {
        const index = tierNames.indexOf(tierName);
        if (index < 0)
          problems.push(`${where}: no tier named "${tierName}" (tiers: ${tierNames.join(', ')})`);
        return Math.max(0, index);
      };
      const rules = file.rules.map((rule, index) => ({
        when: rule.when,
        tier: indexOf(rule.tier, `${at}.rules[${index}].tier`),
      }));
      const defaultTier =
        file.default_tier === undefined ? 0 : indexOf(file.default_tier, `${at}.default_tier`);
      policies.set(name, {
        ...common,
        type: 'tiers',
        tiers,
        rules,
        defaultTier,
        fallback: file.fallback,
        qualityMargin: file.quality_margin,
      });
    } else if (file.type === 'cascade') {
      const rungs = file.rungs.map((list, index) => ({
        name: `rung-${index + 1}`,
        refs: refsOf(list, `${at}.rungs[${index}]`),
      }));
      policies.set(name, { ...common, type: 'cascade', rungs, startMargin: file.start_margin });
    } else if (file.type === 'cost-optimal') {
      const candidates = refsOf(file.candidates ?? allModels, `${at}.candidates`);
      policies.set(name, {
        ...common,
        type: 'cost-optimal',
        candidates,
        ...(file.quality_floor === undefined ? {} : { qualityFloor: file.quality_floor }),
        qualityMargin: file.quality_margin,
        rankBy: file.rank_by,
      });
    } else {
      const arms = file.arms.map((arm, index) => ({
        label: arm.label ?? arm.deployments.join('+'),
        weight: arm.weight,
        refs: refsOf(arm.deployments, `${at}.arms[${index}].deployments`),
      }));
      policies.set(name, { ...common, type: 'weighted', split: file.split, arms });
    }
  }

  const quality = new Map<string, QualityOverride>();
  for (const [model, override] of Object.entries(routing?.quality ?? {})) {
    if (!models.has(model))
      problems.push(`routing.quality.${model}: no configured model named "${model}"`);
    quality.set(model, override as QualityOverride);
  }
  const latency = routing?.latency ?? {};
  const learning = routing?.learning ?? {};
  return {
    policies,
    builtinPolicies: builtin,
    quality,
    outputLimit: routing?.output_limit ?? 'clamp',
    cacheAffinity: {
      enabled: routing?.cache_affinity?.enabled ?? true,
      ttlMs: routing?.cache_affinity?.ttl_ms ?? 5 * 60_000,
    },
    latency: {
      ewmaAlpha: latency.ewma_alpha ?? LATENCY_DEFAULTS.ewmaAlpha,
      window: latency.window ?? LATENCY_DEFAULTS.window,
      explorationShare: latency.exploration_share ?? LATENCY_DEFAULTS.explorationShare,
      minSamples: latency.min_samples ?? LATENCY_DEFAULTS.minSamples,
    },
    learning: {
      priorStrength: learning.prior_strength ?? LEARNING_DEFAULTS.priorStrength,
      poolWeight: learning.pool_weight ?? LEARNING_DEFAULTS.poolWeight,
      exploreBelow: learning.explore_below ?? LEARNING_DEFAULTS.exploreBelow,
      explorationCostShare:
        learning.exploration_cost_share ?? LEARNING_DEFAULTS.explorationCostShare,
      explorationShare: learning.exploration_share ?? LEARNING_DEFAULTS.explorationShare,
      reasoningMinDifficulty:
        learning.reasoning_min_difficulty ?? LEARNING_DEFAULTS.reasoningMinDifficulty,
      retryWindowMs: learning.retry_window_ms ?? LEARNING_DEFAULTS.retryWindowMs,
      sessionTtlMs: learning.session_ttl_ms ?? LEARNING_DEFAULTS.sessionTtlMs,
      refreshMs: learning.refresh_ms ?? LEARNING_DEFAULTS.refreshMs,
      historyMs:
        learning.history_days === undefined
          ? LEARNING_DEFAULTS.historyMs
          : learning.history_days * 86_400_000,
    },
  };
}

function lookup(name: string, models: Map<string, ModelEntry>): DeploymentRef[] {
  const model = models.get(name);
  if (model)
    return model.deployments.map((deployment) => ({
      model: name,
      provider: deployment.provider,
      key: deploymentKey(deployment.provider, name),
    }));
  const slash = name.indexOf('/');
  if (slash > 0) {
    const provider = name.slice(0, slash);
    const modelName = name.slice(slash + 1);
    if (models.get(modelName)?.deployments.some((deployment) => deployment.provider === provider))
      return [{ model: modelName, provider, key: deploymentKey(provider, modelName) }];
  }
  return [];
}

/**
 * auto (cheapest within 10 points of the best candidate's posterior), auto:cheap (within 15),
 * auto:fast (fastest within 10), auto:best (best posterior).
 */
function builtinPolicies(hasDefaultModel: boolean): Array<[string, PolicyFile]> {
  const common = { latency_budget_mode: 'demote' as const };
  const policies: Array<[string, PolicyFile]> = [
    ['auto', { type: 'cost-optimal', quality_margin: 10, rank_by: 'cost', ...common }],
    ['auto:cheap', { type: 'cost-optimal', quality_margin: 15, rank_by: 'cost', ...common }],
    ['auto:fast', { type: 'cost-optimal', quality_margin: 10, rank_by: 'latency', ...common }],
    ['auto:best', { type: 'cost-optimal', quality_margin: 0, rank_by: 'quality', ...common }],
  ];
  return hasDefaultModel ? policies.filter(([name]) => name !== 'auto') : policies;
}
