import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter } from '../core/provider.js';
import type { CanonicalRequest } from '../core/request.js';
import { extractFeatures } from './features/extract-features.js';
import { LatencyStats, type LatencyPrior } from './latency-stats.js';
import { ALWAYS_AVAILABLE } from './no-op-health.js';
import { describeCondition, matchesRule } from './policies/match-rule.js';
import type {
  DeploymentRef,
  RoutingPolicy,
  RoutingSettings,
  TiersPolicy,
  WeightedPolicy,
} from './policies/routing-settings.js';
import { resolveAlias, type AliasPattern } from './model-aliases.js';
import { prepareCandidates } from './prepare-candidates.js';
import { hasCacheMarks } from './session-cost.js';
import type { ConfiguredDeployments } from '../registry/match-config-provider.js';
import type { ModelRegistry } from '../registry/model-registry.js';
import {
  byCost,
  evaluate,
  orderCandidates,
  type CandidateInfo,
  type Evaluation,
  type EvaluationContext,
} from './rank-candidates.js';
import type { DeploymentHealth, RoutePlan, RouteOptions, Router } from '../core/route.js';
import { ConversationRungs } from './learning/conversation-rungs.js';
import { judgeCandidates, withinMargin } from './learning/judge-candidates.js';
import { QualityModel } from './learning/quality-model.js';
import { requestBucket } from './learning/request-bucket.js';
import { planCascade } from './plan-cascade.js';
import { planCostOptimal } from './plan-cost-optimal.js';
import { budgetOf, type Plan } from './plan-types.js';

/** What the router plans over: the configured models and providers, the catalog, the routing settings. */
export interface RouterConfig extends ConfiguredDeployments {
  registry: ModelRegistry;
  routing: RoutingSettings;
  /** alias → model name. */
  aliases: Map<string, string>;
  /** Glob aliases (`claude-*`), in the order they are tried. */
  aliasPatterns: readonly AliasPattern[];
}

export interface PolicyRouterOptions {
  /** Breakers and cooldowns (default: everything available). */
  health?: DeploymentHealth;
  /** Live latency stats (default: a fresh in-process store with the config's settings and `latencyPriors`). */
  stats?: LatencyStats;
  /** Latency before any sample, by deployment key (the simulator's figures for simulated providers). */
  latencyPriors?: ReadonlyMap<string, LatencyPrior>;
  /** Random draws for `weighted` with `split: random` and Thompson sampling (injectable for tests). */
  random?: () => number;
  /** The learned quality per deployment and bucket (default: a fresh model, priors only). Lives across config reloads. */
  quality?: QualityModel;
  /** Cascade rungs per conversation (default: a fresh in-process store). */
  rungs?: ConversationRungs;
}

/**
 * The router: `auto`, `auto:*` and operator-named policies are planned by their policy (tiers,
 * cost-optimal, weighted); a model name or alias by its deployments, cheapest healthy first.
 * Per-config structures are built once here; a plan costs O(candidates log candidates).
 */
export class PolicyRouter implements Router {
  readonly stats: LatencyStats;
  readonly quality: QualityModel;
  readonly rungs: ConversationRungs;
  private readonly infos: Map<string, CandidateInfo>;
  private readonly byModel: Map<string, CandidateInfo[]>;
  private readonly aliases: Map<string, string>;
  private readonly aliasPatterns: readonly AliasPattern[];
  private readonly policies: Map<string, RoutingPolicy>;
  private readonly health: DeploymentHealth;
  private readonly random: () => number;
  private readonly outputLimit: 'clamp' | 'strict';
  private latencyPlans = 0;
  private readonly resolved = new Map<readonly DeploymentRef[], CandidateInfo[]>();
  private readonly single = new Map<string, RoutePlan>();

  constructor(
    config: RouterConfig,
    adapters: Map<string, ProviderAdapter>,
    options: PolicyRouterOptions = {},
  ) {
    const prepared = prepareCandidates(config, adapters);
    this.infos = prepared.infos;
    this.byModel = prepared.byModel;
    this.aliases = config.aliases;
    this.aliasPatterns = config.aliasPatterns;
    this.policies = config.routing.policies;
    this.health = options.health ?? ALWAYS_AVAILABLE;
    this.stats = options.stats ?? new LatencyStats(config.routing.latency, options.latencyPriors);
    this.random = options.random ?? Math.random;
    this.quality = options.quality ?? new QualityModel(config.routing.learning);
    this.rungs = options.rungs ?? new ConversationRungs(config.routing.learning.sessionTtlMs);
    this.outputLimit = config.routing.outputLimit;
  }

  /** Routed names (policies), for GET /v1/models. */
  policyNames(): string[] {
    return [...this.policies.keys()];
  }

  weighsSession(model: string): boolean {
    const { policy, modelName } = this.resolveName(model);
    return policy !== undefined || (this.byModel.get(modelName ?? '')?.length ?? 0) > 1;
  }

  plan(request: CanonicalRequest, options: RouteOptions = {}): RoutePlan {
    const asked = request.model;
    const { policy, modelName } = this.resolveName(asked);
    const direct = modelName === undefined ? undefined : this.byModel.get(modelName);
    if (!policy && !direct) {
      throw new GatewayError(
        'model_not_found',
        `The model "${truncate(asked)}" does not exist on this gateway. GET /v1/models lists the models, aliases and routing policies it serves.`,
        { param: 'model' },
      );
    }
    if (
      !policy &&
      direct!.length === 1 &&
      options.latencyBudgetMs === undefined &&
      options.explain !== true
    ) {
      return this.onlyDeployment(asked, modelName!, direct![0]!);
    }
    const now = options.now ?? Date.now();
    const features = extractFeatures(request);
    const context: EvaluationContext = {
      features,
      stats: this.stats,
      health: this.health,
      now,
      outputLimit: this.outputLimit,
      ...(options.refusedFields === undefined ? {} : { refusedFields: options.refusedFields }),
      ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
      ...(options.session === undefined
        ? {}
        : { session: options.session, cacheMarks: hasCacheMarks(request) }),
    };
    let planned: Plan;
    if (!policy) {
      const evaluations = direct!.map((info) => evaluate(info, context, '')).sort(byCost);
      evaluations.forEach(
        (evaluation, index) =>
          (evaluation.reason = index === 0 ? 'cheapest deployment' : 'next deployment by cost'),
      );
      planned = {
        evaluations,
        latencySensitive: options.latencyBudgetMs !== undefined,
        budgetMode: 'demote',
        ...budgetOf(options.latencyBudgetMs),
      };
    } else if (policy.type === 'tiers') planned = this.planTiers(policy, context, options);
    else if (policy.type === 'cost-optimal')
      planned = planCostOptimal(policy, this.infosOf(policy.candidates), context, options, {
        quality: this.quality,
        random: this.random,
      });
    else if (policy.type === 'cascade')
      planned = planCascade(
        policy,
        (rung) => this.infosOf(policy.rungs[rung]!.refs),
        context,
        { ...options, now },
        { quality: this.quality, random: this.random, rungs: this.rungs },
      );
    else planned = this.planWeighted(policy, context, options);

    const share = this.stats.explorationShare;
    const explore =
      planned.latencySensitive &&
      share > 0 &&
      ++this.latencyPlans % Math.max(1, Math.round(1 / share)) === 0;
    const ordered = orderCandidates(planned.evaluations, {
      budgetMode: planned.budgetMode,
      explore,
      stats: this.stats,
      now,
      ...(planned.budget === undefined ? {} : { latencyBudgetMs: planned.budget }),
    });
    const first = ordered.attempts[0]!;
    const winner = ordered.candidates.find((candidate) => candidate.rank === 0)!;
    const fallbacks = ordered.attempts.length - 1;
    const head = policy
      ? `${asked}${policy.name === asked ? '' : ` = ${policy.name}`} ${policy.type}${planned.tier === undefined ? '' : ` ${policy.type === 'weighted' ? 'arm' : policy.type === 'cascade' ? '' : 'tier '}${planned.tier}`} -> `
      : modelName !== asked
        ? `alias ${asked} -> `
        : '';
    const detail = policy
      ? ` [${features.languages[0] ?? 'text'} ${features.task} ${features.promptTokens}+${features.expectedOutputTokens} tok${winner.predictedCostUsd === undefined ? '' : ` $${winner.predictedCostUsd.toPrecision(2)}`}]`
      : '';
    return {
      modelAsked: asked,
      policy: policy ? policy.type : modelName !== asked ? 'alias' : 'direct',
      ...(planned.tier === undefined ? {} : { tier: planned.tier }),
      attempts: ordered.attempts,
      candidates: ordered.candidates,
      features: features as unknown as Record<string, unknown>,
      summary: `${head}${first.key}${detail}${fallbacks > 0 ? ` (+${fallbacks} fallback)` : ''}`,
      ...(planned.budget === undefined ? {} : { latencyBudgetMs: planned.budget }),
      ...(policy
        ? { policyName: policy.name, bucket: planned.bucket ?? requestBucket(features) }
        : {}),
      ...(planned.rung === undefined ? {} : { rung: planned.rung }),
    };
  }

  /**
   * What a name means: a policy or a model by its exact name, else by an exact alias, else by the
   * winning glob alias (`claude-*: auto`). An alias may point at a policy; `auto` without a policy
   * of that name is the default model.
   */
  private resolveName(asked: string): { policy?: RoutingPolicy; modelName?: string } {
    const policy = this.policies.get(asked);
    if (policy) return { policy };
    if (this.byModel.has(asked)) return { modelName: asked };
    const alias = resolveAlias(asked, this.aliases, this.aliasPatterns);
    if (alias === undefined) return {};
    const target = this.policies.get(alias.target);
    if (target) return { policy: target };
    return {
      modelName: this.byModel.has(alias.target) ? alias.target : this.aliases.get(alias.target),
    };
  }

  /**
   * The plan of a name served by exactly one deployment: nothing to rank, so no features (which
   * are the bulk of a plan's cost). Built once per name; plans are read-only downstream.
   */
  private onlyDeployment(asked: string, modelName: string, info: CandidateInfo): RoutePlan {
    let plan = this.single.get(asked);
    if (!plan) {
      const target = info.target;
      const aliased = modelName !== asked;
      plan = {
        modelAsked: asked,
        policy: aliased ? 'alias' : 'direct',
        attempts: [target],
        candidates: [
          {
            key: target.key,
            model: target.model.name,
            provider: target.deployment.provider,
            rank: 0,
            reason: 'won: the only deployment',
          },
        ],
        summary: `${aliased ? `alias ${asked} -> ` : ''}${target.key}`,
      };
      this.single.set(asked, plan);
    }
    return plan;
  }

  /** The candidates of a target list, resolved once per list (policies are fixed at startup). */
  private infosOf(refs: readonly DeploymentRef[]): CandidateInfo[] {
    let infos = this.resolved.get(refs);
    if (!infos) {
      infos = refs.map((ref) => this.infos.get(ref.key)!);
      this.resolved.set(refs, infos);
    }
    return infos;
  }

  private planTiers(policy: TiersPolicy, context: EvaluationContext, options: RouteOptions): Plan {
    let chosen = policy.defaultTier;
    let why = 'default tier (no rule matched)';
    const rule = policy.rules.findIndex((candidate) =>
      matchesRule(candidate.when, context.features),
    );
    if (rule >= 0) {
      chosen = policy.rules[rule]!.tier;
      why = `rule ${rule + 1}: ${describeCondition(policy.rules[rule]!.when)}`;
    }
    const order = [chosen];
    if (policy.fallback === 'stronger') {
      for (let index = chosen + 1; index < policy.tiers.length; index++) order.push(index);
      for (let index = chosen - 1; index >= 0; index--) order.push(index);
    }
    const seen = new Set<string>();
    const evaluations: Evaluation[] = [];
    const bucket = requestBucket(context.features);
    for (const index of order) {
      const tier = policy.tiers[index]!;
      const fresh = this.infosOf(tier.refs).filter((info) => !seen.has(info.target.key));
      for (const info of fresh) seen.add(info.target.key);
      const reason = index === chosen ? `tier ${tier.name} (${why})` : `fallback tier ${tier.name}`;
      const tierEvaluations = fresh.map((info) => evaluate(info, context, reason));
      judgeCandidates(tierEvaluations, bucket, this.quality);
      if (index !== chosen || tierEvaluations.length < 2) {
        evaluations.push(...tierEvaluations.sort(byCost));
        continue;
      }
      // The chosen tier: cheapest among those within the margin of its best posterior, then the rest.
      const split = withinMargin(tierEvaluations, policy.qualityMargin, {
        difficulty: context.features.difficulty,
        reasoningMinDifficulty: this.quality.settings.reasoningMinDifficulty,
      });
      for (const evaluation of [...split.rest, ...split.heldBack])
        evaluation.reason = `tier ${tier.name}: posterior more than ${policy.qualityMargin} points below the tier's best`;
      evaluations.push(
        ...split.qualifying.sort(byCost),
        ...[...split.rest, ...split.heldBack].sort((a, b) => b.quality - a.quality),
      );
    }
    const tier = policy.tiers[chosen]!;
    return {
      evaluations,
      bucket,
      tier: tier.name,
      latencySensitive: false,
      budgetMode: policy.budgetMode,
      ...budgetOf(options.latencyBudgetMs ?? tier.latencyBudgetMs ?? policy.latencyBudgetMs),
    };
  }

  private planWeighted(
    policy: WeightedPolicy,
    context: EvaluationContext,
    options: RouteOptions,
  ): Plan {
    const total = policy.arms.reduce((sum, arm) => sum + arm.weight, 0);
    const draw =
      policy.split === 'request-id' && options.requestId !== undefined
        ? hashToUnit(options.requestId)
        : this.random();
    let chosen = policy.arms.length - 1;
    for (let index = 0, cumulative = 0; index < policy.arms.length; index++) {
      cumulative += policy.arms[index]!.weight / total;
      if (draw < cumulative) {
        chosen = index;
        break;
      }
    }
    const order = [
      chosen,
      ...policy.arms
        .map((_, index) => index)
        .filter((index) => index !== chosen)
        .sort((a, b) => policy.arms[b]!.weight - policy.arms[a]!.weight),
    ];
    const seen = new Set<string>();
    const evaluations: Evaluation[] = [];
    const how =
      policy.split === 'request-id' && options.requestId !== undefined
        ? 'by request id'
        : 'by random draw';
    for (const index of order) {
      const arm = policy.arms[index]!;
      const fresh = this.infosOf(arm.refs).filter((info) => !seen.has(info.target.key));
      for (const info of fresh) seen.add(info.target.key);
      const reason =
        index === chosen
          ? `arm ${arm.label} (weight ${arm.weight}/${total}, ${how})`
          : `other arm ${arm.label}`;
      evaluations.push(
        ...fresh.map((info) => scored(evaluate(info, context, reason))).sort(byCost),
      );
    }
    const budget = options.latencyBudgetMs ?? policy.latencyBudgetMs;
    return {
      evaluations,
      tier: policy.arms[chosen]!.label,
      latencySensitive: budget !== undefined,
      budgetMode: policy.budgetMode,
      ...budgetOf(budget),
    };
  }
}

/** The score shown in explanations: expected pass@1 for this request's language and difficulty. */
function scored(evaluation: Evaluation): Evaluation {
  evaluation.score = evaluation.quality;
  return evaluation;
}

/** FNV-1a of the text, mapped to [0, 1): the same id always draws the same arm. */
export function hashToUnit(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 0x1_0000_0000;
}

function truncate(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
