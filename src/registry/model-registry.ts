import { BUILTIN_CATALOG, DEFAULT_REFERENCE_MODEL } from './builtin/builtin-catalog.js';
import { CatalogError } from './catalog-error.js';
import { combineCatalogSections } from './combine-catalog-sections.js';
import type { CatalogModel, ModelDeployment, ModelInfo } from './catalog-types.js';
import { mergeCatalog } from './merge-catalog.js';
import { registryConfigSchema } from './registry-config-schema.js';
import type { RegistryConfig } from './registry-config-schema.js';
import { resolveCatalog } from './resolve-catalog.js';

export interface DeploymentQuery {
  model: string;
  /** Catalog provider ids to try in order (see `catalogProviderCandidates`). */
  providers: readonly string[];
  /** The upstream model name the config sends; used when the model name is not in the catalog. */
  upstreamModel?: string;
}

/**
 * The resolved catalog: models, their deployments with prices (own or borrowed via `priceAs`),
 * limits, capabilities, tiers and quality priors. Immutable once built; lookups are map reads.
 */
export class ModelRegistry {
  readonly referenceModel: string | undefined;
  private readonly models: ReadonlyMap<string, ModelInfo>;

  constructor(models: readonly ModelInfo[], referenceModel?: string) {
    this.models = new Map(models.map((model) => [model.name, model]));
    this.referenceModel = referenceModel;
  }

  model(name: string): ModelInfo | undefined {
    return this.models.get(name);
  }

  deployments(model: string): readonly ModelDeployment[] {
    return this.models.get(model)?.deployments ?? [];
  }

  deployment(model: string, provider: string): ModelDeployment | undefined {
    return this.deployments(model).find((deployment) => deployment.provider === provider);
  }

  /** Every model, sorted by tier then name. */
  list(): ModelInfo[] {
    return [...this.models.values()].sort(
      (a, b) => a.tier - b.tier || a.name.localeCompare(b.name),
    );
  }

  /** Every deployment of every model, in `list()` order. */
  allDeployments(): ModelDeployment[] {
    return this.list().flatMap((model) => [...model.deployments]);
  }

  /**
   * Finds the catalog deployment for a configured deployment: by model name on the first matching
   * provider candidate, else by the upstream model name on those providers (a config model named
   * "fast" sending "deepseek-chat" to DeepSeek is priced as deepseek-chat).
   */
  find(query: DeploymentQuery): ModelDeployment | undefined {
    for (const provider of query.providers) {
      const direct = this.deployment(query.model, provider);
      if (direct) return direct;
    }
    if (query.upstreamModel === undefined) return undefined;
    for (const provider of query.providers) {
      for (const model of this.models.values()) {
        const match = model.deployments.find(
          (deployment) =>
            deployment.provider === provider && deployment.upstreamModel === query.upstreamModel,
        );
        if (match) return match;
      }
    }
    return undefined;
  }

  /** The reference model's cheapest deployment with known input and output prices (for savings). */
  referenceDeployment(): ModelDeployment | undefined {
    if (this.referenceModel === undefined) return undefined;
    const priced = this.deployments(this.referenceModel).filter(
      (deployment) =>
        deployment.price.inputPerMillion !== undefined &&
        deployment.price.outputPerMillion !== undefined,
    );
    const real = priced.filter((deployment) => !deployment.simulated);
    const candidates = real.length > 0 ? real : priced;
    return candidates.sort((a, b) => blendedPrice(a) - blendedPrice(b))[0];
  }
}

/** Validates one raw catalog section against the schema; throws CatalogError with every issue. */
export function parseSection(section: unknown, source: string): RegistryConfig {
  const parsed = registryConfigSchema.safeParse(section ?? {});
  if (parsed.success) return parsed.data;
  throw new CatalogError(
    'catalog_invalid',
    source,
    parsed.error.issues.map(
      (issue) =>
        `catalog${issue.path.length > 0 ? '.' : ''}${issue.path.join('.')}: ${issue.message}`,
    ),
  );
}

function blendedPrice(deployment: ModelDeployment): number {
  return (deployment.price.inputPerMillion ?? 0) + (deployment.price.outputPerMillion ?? 0);
}

export interface BuildRegistryOptions {
  /** Where the catalog section came from, for error messages (config file path). */
  source?: string;
  /** Catalog sections applied after the main one, in order (e.g. persisted price-import overrides). */
  overlays?: readonly unknown[];
  /** Replaces the built-in data (tests). */
  builtin?: readonly CatalogModel[];
}

/**
 * Builds the registry from the built-in catalog and the config's `catalog:` section (raw or
 * already parsed). Validates the section, merges it, resolves price references and checks
 * `reference_model`. Throws CatalogError (code `catalog_invalid`) listing every problem.
 */
export function buildModelRegistry(
  catalogSection?: unknown,
  options: BuildRegistryOptions = {},
): ModelRegistry {
  const source = options.source ?? 'catalog';
  const sections = [catalogSection, ...(options.overlays ?? [])].map((section, index) =>
    parseSection(section, index === 0 ? source : `${source} (overlay ${index})`),
  );
  const config: RegistryConfig = combineCatalogSections(...sections);
  const problems: string[] = [];
  const merged = mergeCatalog(options.builtin ?? BUILTIN_CATALOG, config, problems);
  const models = resolveCatalog(merged, problems);
  const referenceModel =
    config.reference_model ??
    (models.some((model) => model.name === DEFAULT_REFERENCE_MODEL)
      ? DEFAULT_REFERENCE_MODEL
      : undefined);
  if (referenceModel !== undefined && !models.some((model) => model.name === referenceModel)) {
    problems.push(`catalog.reference_model: no model named "${referenceModel}"`);
  }
  if (problems.length > 0) throw new CatalogError('catalog_invalid', source, problems);
  return new ModelRegistry(models, referenceModel);
}
