import type { GatewayConfig, ModelEntry } from '../config/gateway-config.js';
import { catalogProviderCandidates } from '../registry/match-config-provider.js';
import { DEFAULT_FLEET } from '../sim/default-fleet.js';
import type { SimFleet } from '../sim/sim-types.js';
import type { ProviderAdapter } from '../core/provider.js';
import { qualityProfile } from './expected-quality.js';
import type { LatencyPrior } from './latency-stats.js';
import type { CandidateInfo } from './rank-candidates.js';
import { deploymentKey, type RouteTarget } from './route-types.js';

/**
 * Tier-4 reasoning models (deepseek-reasoner, o-series) spend hidden reasoning tokens before the
 * answer: their expected output, for cost and latency, is this many times the visible answer.
 */
export const REASONING_OUTPUT_FACTOR = 3;

/**
 * Everything the router needs about each configured deployment, computed once at startup:
 * its adapter, catalog price, capabilities, context window, quality profile and latency prior
 * (simulator fleet figures for simulated providers).
 */
export function prepareCandidates(
  config: Pick<GatewayConfig, 'models' | 'providers' | 'registry' | 'routing' | 'simulator'>,
  adapters: Map<string, ProviderAdapter>,
  fleet: SimFleet = DEFAULT_FLEET,
): { infos: Map<string, CandidateInfo>; byModel: Map<string, CandidateInfo[]>; priors: Map<string, LatencyPrior> } {
  const infos = new Map<string, CandidateInfo>();
  const byModel = new Map<string, CandidateInfo[]>();
  const priors = new Map<string, LatencyPrior>();
  for (const model of config.models.values()) {
    const list: CandidateInfo[] = [];
    for (const target of targetsOf(model, adapters)) {
      const provider = config.providers.get(target.deployment.provider);
      const catalog = config.registry.find({
        model: model.name,
        providers: catalogProviderCandidates(target.deployment.provider, provider),
        upstreamModel: target.deployment.upstreamModel,
      });
      const override = config.routing.quality.get(model.name) ?? (catalog ? config.routing.quality.get(catalog.model) : undefined);
      const info: CandidateInfo = {
        target,
        profile: qualityProfile(catalog?.qualityPriors ?? [], catalog?.tier, override),
        capabilities: catalog?.capabilities ?? {},
        outputFactor: catalog?.tier === 4 && catalog.capabilities.reasoning === true ? REASONING_OUTPUT_FACTOR : 1,
        ...(catalog?.contextWindow === undefined ? {} : { contextWindow: catalog.contextWindow }),
        ...(target.deployment.price === undefined ? {} : { price: target.deployment.price }),
      };
      infos.set(target.key, info);
      list.push(info);
      if (provider?.simulated) {
        const spec = fleet.providers.find((candidate) => candidate.id === provider.fleetProvider)?.models.find((candidate) => candidate.name === target.deployment.upstreamModel);
        if (spec) {
          const scale = config.simulator.timeScale;
          priors.set(target.key, { ttftMs: spec.ttftMs * scale, tokensPerSecond: scale === 0 ? Number.POSITIVE_INFINITY : spec.tokensPerSecond / scale });
        }
      }
    }
    byModel.set(model.name, list);
  }
  return { infos, byModel, priors };
}

/** A model's deployments as route targets (with their adapters), in config order. */
export function targetsOf(model: ModelEntry, adapters: Map<string, ProviderAdapter>): RouteTarget[] {
  return model.deployments.map((deployment) => {
    const adapter = adapters.get(deployment.provider);
    if (!adapter) throw new Error(`No adapter for provider "${deployment.provider}" (model "${model.name}").`);
    return { model, deployment, adapter, key: deploymentKey(deployment.provider, model.name) };
  });
}
