import type { Deployment, ModelEntry } from '../core/deployment.js';
import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter } from '../core/provider.js';
import type { RoutingPolicy } from '../router/policies/routing-settings.js';
import { endpointsOf, type ClientEndpoint, type ServedCatalog } from './served-endpoints.js';

/** Where one request goes: the model, the deployment chosen and its provider's adapter. */
export interface Target {
  model: ModelEntry;
  deployment: Deployment;
  adapter: ProviderAdapter;
}

export interface ListedModel {
  id: string;
  /** For aliases: the model or routing policy they resolve to (glob aliases are not listed: they are not names). */
  aliasOf?: string;
  /** For routed names (`auto`, `auto:cheap`…): the routing policy's type. */
  policy?: string;
  providers: string[];
  /** The client endpoints this name can be sent to. */
  endpoints: ClientEndpoint[];
}

/**
 * The models this gateway serves, its routed names (policies) and aliases, for GET /v1/models.
 * `resolve` is the first-deployment lookup kept for callers outside the routed path.
 */
export class ModelDirectory {
  private readonly models: ReadonlyMap<string, ModelEntry>;
  private readonly aliases: ReadonlyMap<string, string>;
  private readonly adapters: ReadonlyMap<string, ProviderAdapter>;
  private readonly policies: ReadonlyMap<string, RoutingPolicy>;
  private readonly config: ServedCatalog;

  constructor(config: ServedCatalog, adapters: ReadonlyMap<string, ProviderAdapter>) {
    this.config = config;
    this.models = config.models;
    this.aliases = config.aliases;
    this.adapters = adapters;
    this.policies = config.routing.policies;
  }

  resolve(name: string): Target {
    const model = this.models.get(name) ?? this.models.get(this.aliases.get(name) ?? '');
    if (!model) {
      throw new GatewayError(
        'model_not_found',
        `The model "${truncate(name)}" does not exist on this gateway. GET /v1/models lists the models and aliases it serves.`,
        { param: 'model' },
      );
    }
    const deployment = model.deployments[0]!;
    const adapter = this.adapters.get(deployment.provider);
    if (!adapter)
      throw new GatewayError('internal_error', `No adapter for provider "${deployment.provider}".`);
    return { model, deployment, adapter };
  }

  list(): ListedModel[] {
    const listed: ListedModel[] = [];
    for (const model of this.models.values()) {
      listed.push({
        id: model.name,
        providers: model.deployments.map((deployment) => deployment.provider),
        endpoints: endpointsOf(this.config, model.name),
      });
    }
    for (const model of this.config.embeddingModels.values()) {
      listed.push({
        id: model.name,
        providers: model.deployments.map((deployment) => deployment.provider),
        endpoints: ['embeddings'],
      });
    }
    for (const [name, policy] of this.policies) {
      const providers = new Set(policyProviders(policy));
      listed.push({
        id: name,
        policy: policy.type,
        providers: [...providers],
        endpoints: endpointsOf(this.config, name),
      });
    }
    for (const [alias, target] of this.aliases) {
      if (this.policies.has(alias)) continue;
      const policy = this.policies.get(target);
      const providers = policy
        ? [...new Set(policyProviders(policy))]
        : (this.models.get(target)?.deployments.map((d) => d.provider) ?? []);
      listed.push({
        id: alias,
        aliasOf: target,
        providers,
        endpoints: endpointsOf(this.config, alias),
      });
    }
    for (const [alias, target] of this.config.embeddingAliases) {
      listed.push({
        id: alias,
        aliasOf: target,
        providers:
          this.config.embeddingModels.get(target)?.deployments.map((d) => d.provider) ?? [],
        endpoints: ['embeddings'],
      });
    }
    return listed;
  }

  find(id: string): ListedModel | undefined {
    return this.list().find((model) => model.id === id);
  }
}

function policyProviders(policy: RoutingPolicy): string[] {
  const refs =
    policy.type === 'tiers'
      ? policy.tiers.flatMap((tier) => tier.refs)
      : policy.type === 'cost-optimal'
        ? policy.candidates
        : policy.type === 'cascade'
          ? policy.rungs.flatMap((rung) => rung.refs)
          : policy.arms.flatMap((arm) => arm.refs);
  return refs.map((ref) => ref.provider);
}

function truncate(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
