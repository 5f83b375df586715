import type { GatewayConfig, ModelEntry } from '../config/gateway-config.js';
import { GatewayError } from '../spec/errors.js';
import type { ProviderAdapter } from '../spec/provider.js';
import type { CanonicalRequest } from '../spec/request.js';
import { deploymentKey, type CandidateVerdict, type DeploymentHealth, type RoutePlan, type RouteOptions, type RouteTarget, type Router } from './route-types.js';

/**
 * The simplest router: a concrete model is served by its deployments in config order, an alias
 * by its target model's. Deployments whose health says unavailable go last (still tried when
 * nothing else is left). The policy router builds on the same targets.
 */
export class DirectRouter implements Router {
  private readonly targets = new Map<string, RouteTarget[]>();
  private readonly aliases: Map<string, string>;
  private readonly health: DeploymentHealth | undefined;

  constructor(config: Pick<GatewayConfig, 'models' | 'aliases'>, adapters: Map<string, ProviderAdapter>, health?: DeploymentHealth) {
    this.aliases = config.aliases;
    this.health = health;
    for (const model of config.models.values()) this.targets.set(model.name, targetsOf(model, adapters));
  }

  plan(request: CanonicalRequest, options: RouteOptions = {}): RoutePlan {
    const asked = request.model;
    const aliasOf = this.targets.has(asked) ? undefined : this.aliases.get(asked);
    const targets = this.targets.get(aliasOf ?? asked);
    if (!targets) {
      throw new GatewayError('model_not_found', `The model "${truncate(asked)}" does not exist on this gateway. GET /v1/models lists the models and aliases it serves.`, { param: 'model' });
    }
    let attempts = targets;
    const candidates: CandidateVerdict[] = [];
    if (this.health) {
      const now = options.now ?? Date.now();
      const healthy = targets.filter((target) => this.health!.available(target.key, now));
      if (healthy.length !== targets.length) attempts = [...healthy, ...targets.filter((target) => !healthy.includes(target))];
    }
    attempts.forEach((target, rank) => {
      const healthy = this.health?.available(target.key, options.now ?? Date.now()) ?? true;
      candidates.push({ key: target.key, model: target.model.name, provider: target.deployment.provider, rank, reason: healthy ? (rank === 0 ? 'first deployment' : 'fallback deployment') : 'unavailable (cooldown or open breaker): last resort' });
    });
    const first = attempts[0]!;
    return {
      modelAsked: asked,
      policy: aliasOf ? 'alias' : 'direct',
      attempts,
      candidates,
      summary: `${aliasOf ? `alias ${asked} -> ` : ''}${first.key}${attempts.length > 1 ? ` (+${attempts.length - 1} fallback)` : ''}`,
    };
  }
}

export function targetsOf(model: ModelEntry, adapters: Map<string, ProviderAdapter>): RouteTarget[] {
  return model.deployments.map((deployment) => {
    const adapter = adapters.get(deployment.provider);
    if (!adapter) throw new Error(`No adapter for provider "${deployment.provider}" (model "${model.name}").`);
    return { model, deployment, adapter, key: deploymentKey(deployment.provider, model.name) };
  });
}

function truncate(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
