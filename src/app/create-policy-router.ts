import type { GatewayConfig } from '../config/gateway-config.js';
import type { ProviderAdapter } from '../core/provider.js';
import { deploymentKey } from '../core/route.js';
import type { LatencyPrior } from '../router/latency-stats.js';
import { PolicyRouter, type PolicyRouterOptions } from '../router/policy-router.js';
import { DEFAULT_FLEET } from '../sim/default-fleet.js';
import type { SimFleet } from '../sim/sim-types.js';

/**
 * The router for a gateway config: the policy router, with the simulator fleet's figures as the
 * latency priors of simulated deployments (the router itself knows nothing of the simulator).
 */
export function createPolicyRouter(
  config: GatewayConfig,
  adapters: Map<string, ProviderAdapter>,
  options: PolicyRouterOptions = {},
): PolicyRouter {
  return new PolicyRouter(config, adapters, {
    latencyPriors: simulatorLatencyPriors(config),
    ...options,
  });
}

/** Time to first token and tokens per second of each simulated deployment, scaled by the simulator's time scale. */
export function simulatorLatencyPriors(
  config: Pick<GatewayConfig, 'models' | 'providers' | 'simulator'>,
  fleet: SimFleet = DEFAULT_FLEET,
): Map<string, LatencyPrior> {
  const priors = new Map<string, LatencyPrior>();
  const scale = config.simulator.timeScale;
  for (const model of config.models.values()) {
    for (const deployment of model.deployments) {
      const provider = config.providers.get(deployment.provider);
      if (!provider?.simulated) continue;
      const spec = fleet.providers
        .find((candidate) => candidate.id === provider.fleetProvider)
        ?.models.find((candidate) => candidate.name === deployment.upstreamModel);
      if (spec)
        priors.set(deploymentKey(deployment.provider, model.name), {
          ttftMs: spec.ttftMs * scale,
          tokensPerSecond: scale === 0 ? Number.POSITIVE_INFINITY : spec.tokensPerSecond / scale,
        });
    }
  }
  return priors;
}
