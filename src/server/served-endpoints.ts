import type { ConfiguredProvider, ModelEntry } from '../core/deployment.js';
import type { AliasPattern } from '../router/model-aliases.js';
import type { RoutingPolicy } from '../router/policies/routing-settings.js';

/** The client endpoints a model name can be sent to. */
export type ClientEndpoint = 'chat' | 'responses' | 'messages' | 'completions' | 'embeddings';

export const ENDPOINT_PATHS: Readonly<Record<ClientEndpoint, string>> = {
  chat: 'POST /v1/chat/completions',
  responses: 'POST /v1/responses',
  messages: 'POST /v1/messages (+ /count_tokens)',
  completions: 'POST /v1/completions',
  embeddings: 'POST /v1/embeddings',
};

/**
 * The names a gateway serves, as the composition root resolved them: chat models, aliases and
 * glob aliases, routed names (policies), embedding models and their aliases, and the providers
 * (for their quirks). A plain object: the resolved config fits it as it is.
 */
export interface ServedCatalog {
  models: ReadonlyMap<string, ModelEntry>;
  aliases: ReadonlyMap<string, string>;
  aliasPatterns?: readonly AliasPattern[];
  embeddingModels: ReadonlyMap<string, ModelEntry>;
  embeddingAliases: ReadonlyMap<string, string>;
  providers: ReadonlyMap<string, ConfiguredProvider>;
  routing: { policies: ReadonlyMap<string, RoutingPolicy> };
}

/**
 * What a name (model, alias or routed name) serves: chat models serve chat, responses and
 * messages, plus completions when one of their providers has `/completions`; routed names the
 * same as the models they route to; embedding models only embeddings. Unknown names: none.
 */
export function endpointsOf(config: ServedCatalog, name: string): ClientEndpoint[] {
  if (config.embeddingModels.has(name) || config.embeddingAliases.has(name)) return ['embeddings'];
  const model =
    config.models.get(name) ??
    (config.routing.policies.has(name)
      ? undefined
      : config.models.get(config.aliases.get(name) ?? ''));
  if (model) return chatEndpoints(config, [model]);
  if (config.routing.policies.has(name) || config.aliases.has(name))
    return chatEndpoints(config, [...config.models.values()]);
  // A name only a glob alias covers (`claude-opus-4-8` by `claude-*: auto`) serves what its target serves.
  const pattern = config.aliasPatterns?.find((candidate) => candidate.matches.test(name));
  return pattern === undefined ? [] : endpointsOf(config, pattern.target);
}

function chatEndpoints(config: ServedCatalog, models: ModelEntry[]): ClientEndpoint[] {
  const completions = models.some((model) =>
    model.deployments.some(
      (deployment) =>
        config.providers.get(deployment.provider)?.settings.quirks.completions === true,
    ),
  );
  return completions
    ? ['chat', 'responses', 'messages', 'completions']
    : ['chat', 'responses', 'messages'];
}

/** Per endpoint, the names it serves (models first, then aliases and routed names), for the startup banner. */
export function namesByEndpoint(config: ServedCatalog): Map<ClientEndpoint, string[]> {
  const names = [
    ...config.models.keys(),
    ...config.embeddingModels.keys(),
    ...config.aliases.keys(),
    ...config.routing.policies.keys(),
    ...config.embeddingAliases.keys(),
  ];
  const byEndpoint = new Map<ClientEndpoint, string[]>(
    (Object.keys(ENDPOINT_PATHS) as ClientEndpoint[]).map((endpoint) => [endpoint, []]),
  );
  for (const name of new Set(names))
    for (const endpoint of endpointsOf(config, name)) byEndpoint.get(endpoint)!.push(name);
  return byEndpoint;
}
