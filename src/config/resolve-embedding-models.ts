import { BUILTIN_CATALOG } from '../registry/builtin/builtin-catalog.js';
import type { ModelEntry, ResolvedProvider } from './gateway-config.js';
import type { ConfigFile } from './schema.js';

/** The embedding models of a config: served by `/v1/embeddings` only, never routed to by chat. */
export interface EmbeddingModels {
  models: Map<string, ModelEntry>;
  /** alias → embedding model name (aliases of chat models stay in the routing aliases). */
  aliases: Map<string, string>;
}

const BUILTIN_EMBEDDING_NAMES = new Set(
  BUILTIN_CATALOG.filter((model) => model.kind === 'embedding').flatMap((model) => [
    model.name,
    ...model.deployments.map((deployment) => deployment.upstreamModel),
  ]),
);

/** `kind` as written, else `embedding` when the built-in catalog knows the model (or its upstream name) as one. */
export function isEmbeddingEntry(
  name: string,
  entry: NonNullable<ConfigFile['models']>[string],
): boolean {
  if (entry.kind !== undefined) return entry.kind === 'embedding';
  return (
    BUILTIN_EMBEDDING_NAMES.has(name) ||
    entry.deployments.every(
      (deployment) =>
        deployment.model !== undefined && BUILTIN_EMBEDDING_NAMES.has(deployment.model),
    )
  );
}

/**
 * Moves the embedding models out of the chat models (so routing policies, `auto` and the chat
 * endpoints never see them), with the aliases that name them. Every deployment of an embedding
 * model must be on an OpenAI-compatible provider (the wire with `/embeddings`).
 */
export function splitEmbeddingModels(
  file: ConfigFile,
  models: Map<string, ModelEntry>,
  providers: Map<string, ResolvedProvider>,
  problems: string[],
): EmbeddingModels {
  const embedding = new Map<string, ModelEntry>();
  for (const [name, entry] of Object.entries(file.models ?? {})) {
    const model = models.get(name);
    if (!model || !isEmbeddingEntry(name, entry)) continue;
    models.delete(name);
    embedding.set(name, model);
    model.deployments.forEach((deployment, index) => {
      const wire = providers.get(deployment.provider)?.settings.wire;
      // A Responses upstream (OpenAI) serves embeddings at the same base URL, OpenAI-shaped.
      if (wire === 'anthropic') {
        problems.push(
          `models.${name}.deployments[${index}].provider: "${deployment.provider}" speaks ${wire}, which has no embeddings; an embedding model needs an OpenAI-compatible (or OpenAI Responses) provider`,
        );
      }
    });
  }
  const aliases = new Map<string, string>();
  for (const [alias, target] of Object.entries(file.routing?.aliases ?? {})) {
    if (embedding.has(target)) aliases.set(alias, target);
  }
  if (file.routing?.default_model !== undefined && embedding.has(file.routing.default_model)) {
    problems.push(
      `routing.default_model: "${file.routing.default_model}" is an embedding model; the default model answers chat requests`,
    );
  }
  return { models: embedding, aliases };
}
