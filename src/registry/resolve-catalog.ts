import { UNKNOWN_PRICE_SOURCE } from './catalog-types.js';
import type {
  CatalogDeployment,
  CatalogModel,
  ModelDeployment,
  ModelInfo,
  Price,
} from './catalog-types.js';

const MAX_PRICE_REFERENCE_DEPTH = 8;

/**
 * Checks the merged catalog and resolves it: every `priceAs` names an existing deployment (no
 * cycles), price figures and tiers are sane, no model lists a provider twice. Deployments inherit
 * the model's limits and capabilities unless they override them. Problems are appended to
 * `problems` with a `catalog.models.<name>` path.
 */
export function resolveCatalog(models: readonly CatalogModel[], problems: string[]): ModelInfo[] {
  const byName = new Map(models.map((model) => [model.name, model]));
  return models.map((model) => {
    const path = `catalog.models.${model.name}`;
    const seen = new Set<string>();
    const deployments = model.deployments.map((deployment) => {
      if (seen.has(deployment.provider))
        problems.push(`${path}.deployments.${deployment.provider}: provider listed twice`);
      seen.add(deployment.provider);
      if (deployment.price)
        checkPrice(deployment.price, `${path}.deployments.${deployment.provider}.price`, problems);
      return resolveDeployment(model, deployment, byName, problems);
    });
    const { deployments: _raw, ...fields } = model;
    return { ...fields, deployments };
  });
}

function resolveDeployment(
  model: CatalogModel,
  deployment: CatalogDeployment,
  byName: Map<string, CatalogModel>,
  problems: string[],
): ModelDeployment {
  const path = `catalog.models.${model.name}.deployments.${deployment.provider}`;
  const priced = resolvePrice(model.name, deployment, byName, `${path}.price_as`, problems);
  const contextWindow = deployment.contextWindow ?? model.contextWindow;
  const maxOutputTokens = deployment.maxOutputTokens ?? model.maxOutputTokens;
  const resolved: ModelDeployment = {
    model: model.name,
    provider: deployment.provider,
    upstreamModel: deployment.upstreamModel,
    price: priced.price,
    capabilities: { ...model.capabilities, ...deployment.capabilities },
    tier: model.tier,
    qualityPriors: model.qualityPriors,
    simulated: deployment.simulated ?? false,
  };
  if (priced.from) resolved.pricedAs = priced.from;
  if (contextWindow !== undefined) resolved.contextWindow = contextWindow;
  if (maxOutputTokens !== undefined) resolved.maxOutputTokens = maxOutputTokens;
  if (deployment.notes !== undefined) resolved.notes = deployment.notes;
  return resolved;
}

interface PriceResolution {
  price: Price;
  from?: { model: string; provider: string };
}

function resolvePrice(
  modelName: string,
  deployment: CatalogDeployment,
  byName: Map<string, CatalogModel>,
  path: string,
  problems: string[],
): PriceResolution {
  if (deployment.price) return { price: deployment.price };
  if (!deployment.priceAs) return { price: { source: UNKNOWN_PRICE_SOURCE } };
  const visited = [`${modelName}@${deployment.provider}`];
  let current: CatalogDeployment = deployment;
  let currentModel = modelName;
  while (current.priceAs) {
    const targetModel = current.priceAs.model ?? currentModel;
    const model = byName.get(targetModel);
    const target = model?.deployments.find(
      (candidate) => candidate.provider === current.priceAs?.provider,
    );
    if (!model || !target) {
      problems.push(
        `${path}: no deployment of "${targetModel}" on provider "${current.priceAs.provider}"`,
      );
      return { price: { source: UNKNOWN_PRICE_SOURCE } };
    }
    const key = `${targetModel}@${target.provider}`;
    if (visited.includes(key) || visited.length > MAX_PRICE_REFERENCE_DEPTH) {
      problems.push(`${path}: price references loop (${[...visited, key].join(' → ')})`);
      return { price: { source: UNKNOWN_PRICE_SOURCE } };
    }
    visited.push(key);
    current = target;
    currentModel = targetModel;
  }
  const from = { model: currentModel, provider: current.provider };
  const price = current.price ?? { source: UNKNOWN_PRICE_SOURCE };
  return {
    price: { ...price, source: `as ${from.model} on ${from.provider}: ${price.source}` },
    from,
  };
}

const RATE_FIELDS = [
  'inputPerMillion',
  'cachedInputPerMillion',
  'cacheWritePerMillion',
  'cacheWrite1hPerMillion',
  'outputPerMillion',
] as const;

function checkPrice(price: Price, path: string, problems: string[]): void {
  const rateSets = [price, ...(price.tiers ?? [])];
  for (const rates of rateSets) {
    for (const field of RATE_FIELDS) {
      const value = rates[field];
      if (value !== undefined && !(Number.isFinite(value) && value >= 0))
        problems.push(`${path}: ${field} must be a number >= 0, got ${value}`);
    }
  }
  let previous = 0;
  for (const tier of price.tiers ?? []) {
    if (!(tier.aboveInputTokens > previous))
      problems.push(
        `${path}.tiers: thresholds must increase (got ${tier.aboveInputTokens} after ${previous})`,
      );
    previous = tier.aboveInputTokens;
  }
  if (price.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(price.asOf))
    problems.push(`${path}.as_of: must be YYYY-MM-DD, got "${price.asOf}"`);
  if (!price.source) problems.push(`${path}.source: every price needs a source`);
}
