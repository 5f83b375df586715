import { stringify } from 'yaml';
import { loadConfig } from '../config/load-config.js';
import { formatCatalogTable, formatImportReport } from '../registry/format-catalog.js';
import { importOpenRouterPrices } from '../registry/import/import-openrouter-prices.js';
import { loadPriceDocument } from '../registry/import/load-price-document.js';
import { checkCatalogCoverage } from '../registry/match-config-provider.js';
import { buildModelRegistry } from '../registry/model-registry.js';

export interface ModelsCommandOptions {
  /** `--config` flag value; the config is found and loaded exactly as `serve` does. */
  config?: string;
  /** `--json`: machine-readable output. */
  json?: boolean;
  /** `--import-prices <file|url>`: an OpenRouter-shaped `/api/v1/models` document. */
  importPrices?: string;
  /** `--import-provider <id>`: catalog provider receiving imported prices (default `openrouter`). */
  importProvider?: string;
  /** A `catalog:` section to use instead of the config's own (tests); default: the config's registry. */
  catalog?: unknown;
  catalogOverlays?: readonly unknown[];
  environment?: Record<string, string | undefined>;
  cwd?: string;
  stdout?: { write(text: string): unknown };
}

/**
 * `switchyard models`: the catalog as a table (or JSON), with the deployments the config serves
 * marked and coverage warnings; with `--import-prices`, a report of what the document would change
 * and the `catalog:` overrides to apply. Nothing is written to disk.
 */
export async function runModels(options: ModelsCommandOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const config = loadConfig({
    ...(options.config === undefined ? {} : { path: options.config }),
    ...(options.environment === undefined ? {} : { environment: options.environment }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const registry =
    options.catalog === undefined && options.catalogOverlays === undefined
      ? config.registry
      : buildModelRegistry(options.catalog, {
          source: config.source,
          overlays: options.catalogOverlays ?? [],
        });

  if (options.importPrices !== undefined) {
    const document = await loadPriceDocument(
      options.importPrices,
      options.cwd === undefined ? {} : { cwd: options.cwd },
    );
    const report = importOpenRouterPrices(registry, document.text, {
      source: document.source,
      ...(options.importProvider === undefined ? {} : { provider: options.importProvider }),
    });
    if (options.json) {
      stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    stdout.write(`${formatImportReport(report)}\n\n`);
    stdout.write(
      'Nothing was saved. To apply these prices, add the following under `catalog:` in the config\n' +
        '(or keep it in a catalog-overrides.yaml file in the data directory):\n\n',
    );
    stdout.write(stringify(report.overrides, { lineWidth: 0 }));
    return 0;
  }

  const coverage = checkCatalogCoverage(registry, config);
  if (options.json) {
    stdout.write(
      `${JSON.stringify(
        {
          config: config.source,
          referenceModel: registry.referenceModel ?? null,
          models: registry.list(),
          configured: coverage.deployments.map((entry) => ({
            model: entry.model,
            provider: entry.provider,
            upstreamModel: entry.upstreamModel,
            catalog: entry.catalog
              ? { model: entry.catalog.model, provider: entry.catalog.provider }
              : null,
          })),
          warnings: coverage.warnings,
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  stdout.write(
    `${formatCatalogTable({ deployments: registry.allDeployments(), configured: coverage.deployments })}\n\n`,
  );
  stdout.write(
    `Config: ${config.source}. * = served by this config. Prices are USD per million tokens; ? = unknown, ` +
      '- = cached input billed at the input price. Sources: `switchyard models --json` and docs/registry.md.\n',
  );
  if (registry.referenceModel !== undefined)
    stdout.write(`Savings are reported against ${registry.referenceModel}.\n`);
  for (const warning of coverage.warnings) stdout.write(`warning: ${warning}\n`);
  return 0;
}
