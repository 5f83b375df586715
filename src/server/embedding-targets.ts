import type { Deployment, ModelEntry } from '../core/deployment.js';
import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter } from '../core/provider.js';
import type { ServedCatalog } from './served-endpoints.js';

export interface EmbeddingTarget {
  model: ModelEntry;
  deployment: Deployment;
  adapter: ProviderAdapter;
  key: string;
}

/**
 * Where `/v1/embeddings` requests go: the config's embedding models (by name or alias), each
 * deployment with its provider's adapter, in config order (the first is tried first, the others
 * on a retryable failure). Names of chat models and routed names (`auto`, policies) are refused
 * with a 400 that says so; unknown names with a 404.
 */
export class EmbeddingTargets {
  private readonly models: ReadonlyMap<string, ModelEntry>;
  private readonly aliases: ReadonlyMap<string, string>;
  private readonly chatNames: ReadonlySet<string>;
  private readonly routedNames: ReadonlySet<string>;
  private readonly adapters: ReadonlyMap<string, ProviderAdapter>;

  constructor(
    config: Pick<
      ServedCatalog,
      'embeddingModels' | 'embeddingAliases' | 'models' | 'aliases' | 'routing'
    >,
    adapters: ReadonlyMap<string, ProviderAdapter>,
  ) {
    this.models = config.embeddingModels;
    this.aliases = config.embeddingAliases;
    this.routedNames = new Set(['auto', ...config.routing.policies.keys()]);
    this.chatNames = new Set([...config.models.keys(), ...config.aliases.keys()]);
    this.adapters = adapters;
  }

  names(): string[] {
    return [...this.models.keys(), ...this.aliases.keys()];
  }

  resolve(name: string): EmbeddingTarget[] {
    const model = this.models.get(name) ?? this.models.get(this.aliases.get(name) ?? '');
    if (!model) throw this.notEmbedding(name);
    return model.deployments.map((deployment) => {
      const adapter = this.adapters.get(deployment.provider);
      if (!adapter?.embed)
        throw new GatewayError(
          'internal_error',
          `Provider "${deployment.provider}" cannot serve embeddings.`,
        );
      return { model, deployment, adapter, key: `${deployment.provider}/${model.name}` };
    });
  }

  private notEmbedding(name: string): GatewayError {
    const shown = name.length > 100 ? `${name.slice(0, 100)}…` : name;
    const available = this.names();
    const list =
      available.length > 0
        ? `Embedding models here: ${available.join(', ')}.`
        : 'This gateway has no embedding models configured (models.<name>.kind: embedding).';
    if (this.routedNames.has(name)) {
      return new GatewayError(
        'unsupported',
        `"${shown}" routes chat requests; it is not an embedding model. Name an embedding model. ${list}`,
        { param: 'model' },
      );
    }
    if (this.chatNames.has(name)) {
      return new GatewayError(
        'unsupported',
        `"${shown}" is a chat model; /v1/embeddings needs an embedding model. ${list}`,
        { param: 'model' },
      );
    }
    return new GatewayError(
      'model_not_found',
      `The embedding model "${shown}" does not exist on this gateway. ${list}`,
      { param: 'model' },
    );
  }
}
