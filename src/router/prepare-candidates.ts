import type { ModelEntry } from '../core/deployment.js';
import {
  catalogProviderCandidates,
  type ConfiguredDeployments,
} from '../registry/match-config-provider.js';
import type { ModelRegistry } from '../registry/model-registry.js';
import type { ProviderAdapter } from '../core/provider.js';
import { qualityProfile } from './expected-quality.js';
import type { RoutingSettings } from './policies/routing-settings.js';
import type { CandidateInfo } from './rank-candidates.js';
import { deploymentKey, type RouteTarget } from '../core/route.js';

/**
 * Tier-4 reasoning models (deepseek-reasoner, o-series) spend hidden reasoning tokens before the
 * answer: their expected output, for cost and latency, is this many times the visible answer.
 */
export const REASONING_OUTPUT_FACTOR = 3;

/**
 * Everything the router needs about each configured deployment, computed once at startup:
 * its adapter, catalog price, capabilities, context window and quality profile. (Latency priors
 * come from the composition root: the simulator's figures for simulated providers.)
 */
export function prepareCandidates(
  config: ConfiguredDeployments & {
    registry: ModelRegistry;
    routing: Pick<RoutingSettings, 'quality'> & Partial<Pick<RoutingSettings, 'outputLimit'>>;
  },
  adapters: Map<string, ProviderAdapter>,
): { infos: Map<string, CandidateInfo>; byModel: Map<string, CandidateInfo[]> } {
  const infos = new Map<string, CandidateInfo>();
  const byModel = new Map<string, CandidateInfo[]>();
  for (const model of config.models.values()) {
    const list: CandidateInfo[] = [];
    for (const target of targetsOf(model, adapters)) {
      const provider = config.providers.get(target.deployment.provider);
      const catalog = config.registry.find({
        model: model.name,
        providers: catalogProviderCandidates(target.deployment.provider, provider),
        upstreamModel: target.deployment.upstreamModel,
      });
      const override =
        config.routing.quality.get(model.name) ??
        (catalog ? config.routing.quality.get(catalog.model) : undefined);
      const info: CandidateInfo = {
        target,
        profile: qualityProfile(catalog?.qualityPriors ?? [], catalog?.tier, override),
        capabilities: catalog?.capabilities ?? {},
        outputFactor:
          catalog?.tier === 4 && catalog.capabilities.reasoning === true
            ? REASONING_OUTPUT_FACTOR
            : 1,
        ...(catalog?.contextWindow === undefined ? {} : { contextWindow: catalog.contextWindow }),
        ...(catalog?.maxOutputTokens === undefined
          ? {}
          : { maxOutputTokens: catalog.maxOutputTokens }),
        ...(target.deployment.price === undefined ? {} : { price: target.deployment.price }),
      };
      if (catalog?.maxOutputTokens !== undefined && config.routing.outputLimit !== 'strict')
        target.clampOutputTo = catalog.maxOutputTokens;
      infos.set(target.key, info);
      list.push(info);
    }
    byModel.set(model.name, list);
  }
  return { infos, byModel };
}

/** A model's deployments as route targets (with their adapters), in config order. */
export function targetsOf(
  model: ModelEntry,
  adapters: Map<string, ProviderAdapter>,
): RouteTarget[] {
  return model.deployments.map((deployment) => {
    const adapter = adapters.get(deployment.provider);
    if (!adapter)
      throw new Error(`No adapter for provider "${deployment.provider}" (model "${model.name}").`);
    return { model, deployment, adapter, key: deploymentKey(deployment.provider, model.name) };
  });
}
