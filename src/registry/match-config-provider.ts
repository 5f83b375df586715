import type { ConfiguredProvider, ModelEntry } from '../core/deployment.js';
import { PROVIDER_PRESETS } from '../providers/presets.js';
import type { ModelDeployment } from './catalog-types.js';
import type { ModelRegistry } from './model-registry.js';

/**
 * The catalog provider ids a configured provider may be priced as, best first: its own id, the
 * simulator fleet provider it stands for, then the built-in preset whose base URL it uses (so a
 * provider named "ds" with `preset: deepseek` is priced as `deepseek`).
 */
export function catalogProviderCandidates(
  providerId: string,
  provider: ConfiguredProvider | undefined,
): string[] {
  const candidates = [providerId];
  if (provider?.fleetProvider !== undefined) candidates.push(provider.fleetProvider);
  const baseUrl =
    provider === undefined || provider.simulated
      ? undefined
      : normalizeBaseUrl(provider.settings.baseUrl);
  if (baseUrl) {
    for (const [presetId, preset] of Object.entries(PROVIDER_PRESETS)) {
      if (normalizeBaseUrl(preset.baseUrl) === baseUrl) candidates.push(presetId);
    }
  }
  return [...new Set(candidates)];
}

function normalizeBaseUrl(url: string): string {
  return url.trim().toLowerCase().replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** One configured deployment and the catalog entry that prices it (if any). */
export interface ConfiguredDeployment {
  model: string;
  provider: string;
  upstreamModel: string;
  catalog: ModelDeployment | undefined;
}

/** The configured models and providers, as config resolution produces them. */
export interface ConfiguredDeployments {
  models: ReadonlyMap<string, ModelEntry>;
  providers: ReadonlyMap<string, ConfiguredProvider>;
}

export interface CatalogCoverage {
  deployments: ConfiguredDeployment[];
  /** One line per configured deployment without a catalog entry or without a complete price. */
  warnings: string[];
}

/**
 * Matches every deployment of the gateway config to the catalog. Missing entries and unknown
 * prices are warnings, not errors: the gateway serves them and reports their cost as unknown.
 */
export function checkCatalogCoverage(
  registry: ModelRegistry,
  config: ConfiguredDeployments,
): CatalogCoverage {
  const deployments: ConfiguredDeployment[] = [];
  const warnings: string[] = [];
  for (const [name, model] of config.models) {
    model.deployments.forEach((deployment, index) => {
      const providers = catalogProviderCandidates(
        deployment.provider,
        config.providers.get(deployment.provider),
      );
      const catalog = registry.find({
        model: name,
        providers,
        upstreamModel: deployment.upstreamModel,
      });
      deployments.push({
        model: name,
        provider: deployment.provider,
        upstreamModel: deployment.upstreamModel,
        catalog,
      });
      const at = `models.${name}.deployments[${index}] (${deployment.provider})`;
      if (!catalog) warnings.push(`${at}: not in the catalog; cost will be reported as unknown`);
      else if (
        catalog.price.inputPerMillion === undefined ||
        catalog.price.outputPerMillion === undefined
      ) {
        warnings.push(
          `${at}: the catalog has no complete price (${catalog.price.source}); cost will be reported as unknown`,
        );
      }
    });
  }
  return { deployments, warnings };
}
