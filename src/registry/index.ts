export { BUILTIN_CATALOG, DEFAULT_REFERENCE_MODEL } from './builtin/builtin-catalog.js';
export { CAPABILITY_NAMES, TIER_NAMES, UNKNOWN_PRICE_SOURCE } from './catalog-types.js';
export type {
  Capabilities,
  CatalogDeployment,
  CatalogModel,
  ModelDeployment,
  ModelInfo,
  ModelTier,
  Price,
  PriceReference,
  PriceTier,
  ProgrammingLanguage,
  QualityPrior,
} from './catalog-types.js';
export { CATALOG_ERROR_CODES, CatalogError } from './catalog-error.js';
export type { CatalogErrorCode } from './catalog-error.js';
export { combineCatalogSections } from './combine-catalog-sections.js';
export { catalogProviderCandidates, checkCatalogCoverage } from './match-config-provider.js';
export type { CatalogCoverage, ConfiguredDeployment } from './match-config-provider.js';
export { buildModelRegistry, ModelRegistry, parseSection } from './model-registry.js';
export type { BuildRegistryOptions, DeploymentQuery } from './model-registry.js';
export { registryConfigSchema } from './registry-config-schema.js';
export type { RegistryConfig } from './registry-config-schema.js';
export { importOpenRouterPrices } from './import/import-openrouter-prices.js';
export type {
  FieldChange,
  ImportOptions,
  PriceImportReport,
} from './import/import-openrouter-prices.js';
export { loadPriceDocument } from './import/load-price-document.js';
export type { LoadPriceDocumentOptions, PriceDocument } from './import/load-price-document.js';
export { parseOpenRouterDocument, perMillion } from './import/parse-openrouter-document.js';
