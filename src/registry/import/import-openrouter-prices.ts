import type { ModelDeployment } from '../catalog-types.js';
import type { ModelRegistry } from '../model-registry.js';
import type { RegistryConfig, RegistryConfigDeployment } from '../registry-config-schema.js';
import { parseOpenRouterDocument } from './parse-openrouter-document.js';
import type { InvalidEntry, OpenRouterEntry } from './parse-openrouter-document.js';

export type ImportedField =
  | 'input'
  | 'cached_input'
  | 'cache_write'
  | 'output'
  | 'context_window'
  | 'max_output_tokens';

export interface FieldChange {
  model: string;
  provider: string;
  field: ImportedField;
  /** Absent when the catalog had no figure. */
  from?: number;
  to: number;
}

export interface PriceImportReport {
  /** The catalog provider the prices were applied to (default `openrouter`). */
  provider: string;
  source: string;
  asOf: string;
  changes: FieldChange[];
  /** Deployments on `provider` that did not exist in the catalog before, with their figures. */
  added: Array<{
    model: string;
    provider: string;
    upstreamModel: string;
    figures: Partial<Record<ImportedField, number>>;
  }>;
  /** Catalog models whose figures the document confirmed unchanged. */
  unchanged: string[];
  /** Catalog models with an OpenRouter id the document does not list. */
  missingFromDocument: Array<{ model: string; openRouterId: string }>;
  /** Mapped models without a deployment on `provider` when adding deployments is off. */
  skipped: string[];
  /** Document ids no catalog model maps to (never turned into new models). */
  unmatched: string[];
  invalid: InvalidEntry[];
  /**
   * The result as a `catalog:` config section: merge it into the config, or persist it (suggested:
   * `<data dir>/catalog-overrides.yaml`) and apply it after the config's own section.
   */
  overrides: RegistryConfig;
}

export interface ImportOptions {
  /** Where the document came from (path or URL), recorded as the price source. */
  source: string;
  /** Catalog provider whose deployments receive the prices; default `openrouter`. */
  provider?: string;
  /** YYYY-MM-DD recorded on the imported prices; default today (UTC). */
  asOf?: string;
  /**
   * Create the deployment on `provider` for mapped models that lack one. Default: only for the
   * `openrouter` provider (an aggregator serves every model; `openai` does not serve Claude).
   */
  addDeployments?: boolean;
}

/**
 * Imports prices from an OpenRouter-shaped `/models` document into the deployments of catalog
 * models on one provider (OpenRouter by default), matching by each model's `openRouterId`.
 * Nothing is mutated: the report lists old → new figures and carries the overrides to apply.
 */
export function importOpenRouterPrices(
  registry: ModelRegistry,
  documentText: string,
  options: ImportOptions,
): PriceImportReport {
  const provider = options.provider ?? 'openrouter';
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const addDeployments = options.addDeployments ?? provider === 'openrouter';
  const document = parseOpenRouterDocument(documentText, options.source);
  const report: PriceImportReport = {
    provider,
    source: options.source,
    asOf,
    changes: [],
    added: [],
    unchanged: [],
    missingFromDocument: [],
    skipped: [],
    unmatched: [],
    invalid: document.invalid,
    overrides: { models: {} },
  };
  const mapped = new Set<string>();
  for (const model of registry.list()) {
    if (model.openRouterId === undefined) continue;
    const entry = document.entries.get(model.openRouterId);
    if (!entry) {
      report.missingFromDocument.push({ model: model.name, openRouterId: model.openRouterId });
      continue;
    }
    mapped.add(entry.id);
    const existing = registry.deployment(model.name, provider);
    if (!existing && !addDeployments) {
      report.skipped.push(model.name);
      continue;
    }
    const changes = compare(model.name, provider, existing, entry);
    if (!existing) {
      const figures = Object.fromEntries(changes.map((change) => [change.field, change.to]));
      report.added.push({ model: model.name, provider, upstreamModel: entry.id, figures });
    } else if (changes.length === 0) report.unchanged.push(model.name);
    else report.changes.push(...changes);
    report.overrides.models![model.name] = {
      deployments: { [provider]: deploymentOverride(existing, entry, options.source, asOf) },
    };
  }
  report.unmatched = [...document.entries.keys()].filter((id) => !mapped.has(id)).sort();
  return report;
}

function compare(
  model: string,
  provider: string,
  existing: ModelDeployment | undefined,
  entry: OpenRouterEntry,
): FieldChange[] {
  const pairs: Array<[ImportedField, number | undefined, number | undefined]> = [
    ['input', existing?.price.inputPerMillion, entry.inputPerMillion],
    ['cached_input', existing?.price.cachedInputPerMillion, entry.cachedInputPerMillion],
    ['cache_write', existing?.price.cacheWritePerMillion, entry.cacheWritePerMillion],
    ['output', existing?.price.outputPerMillion, entry.outputPerMillion],
    ['context_window', existing?.contextWindow, entry.contextWindow],
    ['max_output_tokens', existing?.maxOutputTokens, entry.maxOutputTokens],
  ];
  const changes: FieldChange[] = [];
  for (const [field, from, to] of pairs) {
    if (to === undefined || from === to) continue;
    changes.push(
      from === undefined ? { model, provider, field, to } : { model, provider, field, from, to },
    );
  }
  return changes;
}

function deploymentOverride(
  existing: ModelDeployment | undefined,
  entry: OpenRouterEntry,
  source: string,
  asOf: string,
): RegistryConfigDeployment {
  // Figures the document lacks (cache prices, prompt-size tiers) are kept from the catalog.
  const cachedInput = entry.cachedInputPerMillion ?? existing?.price.cachedInputPerMillion;
  const cacheWrite = entry.cacheWritePerMillion ?? existing?.price.cacheWritePerMillion;
  const tiers = existing?.price.tiers;
  const override: RegistryConfigDeployment = {
    price: {
      input: entry.inputPerMillion,
      output: entry.outputPerMillion,
      ...(cachedInput === undefined ? {} : { cached_input: cachedInput }),
      ...(cacheWrite === undefined ? {} : { cache_write: cacheWrite }),
      ...(tiers === undefined
        ? {}
        : {
            tiers: tiers.map((tier) => ({
              above_input_tokens: tier.aboveInputTokens,
              ...(tier.inputPerMillion === undefined ? {} : { input: tier.inputPerMillion }),
              ...(tier.cachedInputPerMillion === undefined
                ? {}
                : { cached_input: tier.cachedInputPerMillion }),
              ...(tier.cacheWritePerMillion === undefined
                ? {}
                : { cache_write: tier.cacheWritePerMillion }),
              ...(tier.outputPerMillion === undefined ? {} : { output: tier.outputPerMillion }),
            })),
          }),
      source: `OpenRouter-shaped price document ${source} (${entry.id})`,
      as_of: asOf,
    },
  };
  if (!existing) override.upstream_model = entry.id;
  if (entry.contextWindow !== undefined) override.context_window = entry.contextWindow;
  if (entry.maxOutputTokens !== undefined) override.max_output_tokens = entry.maxOutputTokens;
  return override;
}
