import type {
  Capabilities,
  CatalogDeployment,
  CatalogModel,
  Price,
  PriceTier,
  QualityPrior,
} from './catalog-types.js';
import type {
  RegistryConfig,
  RegistryConfigCapabilities,
  RegistryConfigDeployment,
  RegistryConfigModel,
  RegistryConfigPrice,
} from './registry-config-schema.js';

export const CONFIG_PRICE_SOURCE = 'operator config';

/**
 * Applies the config's `catalog.models` to the built-in models: per-field overrides of built-in
 * models and deployments, and new models. Problems (a new model without a tier or deployments) are
 * appended to `problems`, each prefixed by its config path; the offending model is skipped.
 */
export function mergeCatalog(
  builtin: readonly CatalogModel[],
  config: RegistryConfig | undefined,
  problems: string[],
): CatalogModel[] {
  const merged = new Map<string, CatalogModel>(builtin.map((model) => [model.name, model]));
  for (const [name, override] of Object.entries(config?.models ?? {})) {
    const path = `catalog.models.${name}`;
    const existing = merged.get(name);
    if (existing) {
      merged.set(name, overrideModel(existing, override));
      continue;
    }
    const deployments = Object.entries(override.deployments ?? {});
    if (override.tier === undefined)
      problems.push(`${path}.tier: "${name}" is not a built-in model, so it needs a tier (1-4)`);
    if (deployments.length === 0)
      problems.push(
        `${path}.deployments: "${name}" is not a built-in model, so it needs at least one deployment`,
      );
    if (override.tier === undefined || deployments.length === 0) continue;
    merged.set(name, {
      name,
      vendor: override.vendor ?? 'custom',
      tier: override.tier,
      ...optional('contextWindow', override.context_window),
      ...optional('maxOutputTokens', override.max_output_tokens),
      capabilities: toCapabilities(override.capabilities),
      qualityPriors: toQualityPriors(name, override.quality_priors ?? []),
      ...optional('openRouterId', override.openrouter_id),
      ...optional('notes', override.notes),
      deployments: deployments.map(([provider, entry]) => newDeployment(name, provider, entry)),
    });
  }
  return [...merged.values()];
}

function overrideModel(model: CatalogModel, override: RegistryConfigModel): CatalogModel {
  const deployments = [...model.deployments];
  for (const [provider, entry] of Object.entries(override.deployments ?? {})) {
    const index = deployments.findIndex((deployment) => deployment.provider === provider);
    if (index === -1) deployments.push(newDeployment(model.name, provider, entry));
    else deployments[index] = overrideDeployment(deployments[index]!, entry);
  }
  return {
    ...model,
    ...optional('vendor', override.vendor),
    ...optional('tier', override.tier),
    ...optional('contextWindow', override.context_window),
    ...optional('maxOutputTokens', override.max_output_tokens),
    capabilities: { ...model.capabilities, ...toCapabilities(override.capabilities) },
    ...(override.quality_priors === undefined
      ? {}
      : { qualityPriors: toQualityPriors(model.name, override.quality_priors) }),
    ...optional('openRouterId', override.openrouter_id),
    ...optional('notes', override.notes),
    deployments,
  };
}

function newDeployment(
  model: string,
  provider: string,
  entry: RegistryConfigDeployment,
): CatalogDeployment {
  return overrideDeployment({ provider, upstreamModel: model }, entry);
}

function overrideDeployment(
  deployment: CatalogDeployment,
  entry: RegistryConfigDeployment,
): CatalogDeployment {
  const result: CatalogDeployment = {
    ...deployment,
    ...optional('upstreamModel', entry.upstream_model),
    ...optional('contextWindow', entry.context_window),
    ...optional('maxOutputTokens', entry.max_output_tokens),
  };
  if (entry.capabilities !== undefined)
    result.capabilities = { ...deployment.capabilities, ...toCapabilities(entry.capabilities) };
  if (entry.price !== undefined) {
    result.price = toPrice(entry.price);
    delete result.priceAs;
  } else if (entry.price_as !== undefined) {
    result.priceAs = {
      ...optional('model', entry.price_as.model),
      provider: entry.price_as.provider,
    };
    delete result.price;
  }
  return result;
}

/** Config price (snake_case) → catalog price. */
export function toPrice(price: RegistryConfigPrice): Price {
  const result: Price = {
    ...rates(price),
    source: price.source ?? CONFIG_PRICE_SOURCE,
    ...optional('asOf', price.as_of),
  };
  if (price.tiers !== undefined) {
    result.tiers = price.tiers.map(
      (tier): PriceTier => ({ aboveInputTokens: tier.above_input_tokens, ...rates(tier) }),
    );
  }
  return result;
}

function rates(value: {
  input?: number | undefined;
  cached_input?: number | undefined;
  cache_write?: number | undefined;
  cache_write_1h?: number | undefined;
  output?: number | undefined;
}) {
  return {
    ...optional('inputPerMillion', value.input),
    ...optional('cachedInputPerMillion', value.cached_input),
    ...optional('cacheWritePerMillion', value.cache_write),
    ...optional('cacheWrite1hPerMillion', value.cache_write_1h),
    ...optional('outputPerMillion', value.output),
  };
}

function toCapabilities(value: RegistryConfigCapabilities | undefined): Capabilities {
  if (value === undefined) return {};
  return {
    ...optional('tools', value.tools),
    ...optional('jsonMode', value.json_mode),
    ...optional('fim', value.fim),
    ...optional('streaming', value.streaming),
    ...optional('reasoning', value.reasoning),
  };
}

function toQualityPriors(
  model: string,
  priors: NonNullable<RegistryConfigModel['quality_priors']>,
): QualityPrior[] {
  return priors.map((prior) => ({
    benchmark: prior.benchmark,
    ...optional('language', prior.language),
    passAt1: prior.pass_at_1,
    subject: prior.subject ?? model,
    source: prior.source,
  }));
}

/** `{ key: value }` when the value is defined, `{}` otherwise (keeps absent fields absent). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
