import type { Deployment, GatewayConfig, ModelEntry } from '../config/gateway-config.js';
import { GatewayError } from '../spec/errors.js';
import type { ProviderAdapter } from '../spec/provider.js';

/** Where one request goes: the model, the deployment chosen and its provider's adapter. */
export interface Target {
  model: ModelEntry;
  deployment: Deployment;
  adapter: ProviderAdapter;
}

export interface ListedModel {
  id: string;
  /** For aliases: the model they resolve to. */
  aliasOf?: string;
  providers: string[];
}

/**
 * The models this gateway serves and their aliases. Until the router exists, a model is served
 * by its first deployment and `auto` by the configured default model.
 */
export class ModelDirectory {
  private readonly models: Map<string, ModelEntry>;
  private readonly aliases: Map<string, string>;
  private readonly adapters: Map<string, ProviderAdapter>;

  constructor(config: GatewayConfig, adapters: Map<string, ProviderAdapter>) {
    this.models = config.models;
    this.aliases = config.aliases;
    this.adapters = adapters;
  }

  resolve(name: string): Target {
    const model = this.models.get(name) ?? this.models.get(this.aliases.get(name) ?? '');
    if (!model) {
      throw new GatewayError('model_not_found', `The model "${truncate(name)}" does not exist on this gateway. GET /v1/models lists the models and aliases it serves.`, { param: 'model' });
    }
    const deployment = model.deployments[0]!;
    const adapter = this.adapters.get(deployment.provider);
    if (!adapter) throw new GatewayError('internal_error', `No adapter for provider "${deployment.provider}".`);
    return { model, deployment, adapter };
  }

  list(): ListedModel[] {
    const listed: ListedModel[] = [];
    for (const model of this.models.values()) {
      listed.push({ id: model.name, providers: model.deployments.map((deployment) => deployment.provider) });
    }
    for (const [alias, target] of this.aliases) {
      listed.push({ id: alias, aliasOf: target, providers: this.models.get(target)?.deployments.map((d) => d.provider) ?? [] });
    }
    return listed;
  }

  find(id: string): ListedModel | undefined {
    return this.list().find((model) => model.id === id);
  }
}

function truncate(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
