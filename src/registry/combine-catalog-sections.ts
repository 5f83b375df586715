import type { RegistryConfig, RegistryConfigModel } from './registry-config-schema.js';

/**
 * Layers catalog sections: later sections win field by field; deployments are merged per provider
 * (a later deployment entry replaces the fields it sets). Used to apply persisted price-import
 * overrides on top of the config's own `catalog:` section.
 */
export function combineCatalogSections(
  ...sections: ReadonlyArray<RegistryConfig | undefined>
): RegistryConfig {
  const combined: RegistryConfig = {};
  const models: Record<string, RegistryConfigModel> = {};
  for (const section of sections) {
    if (section === undefined) continue;
    if (section.reference_model !== undefined) combined.reference_model = section.reference_model;
    for (const [name, model] of Object.entries(section.models ?? {})) {
      const previous = models[name];
      if (previous === undefined) {
        models[name] = model;
        continue;
      }
      const deployments = { ...previous.deployments };
      for (const [provider, deployment] of Object.entries(model.deployments ?? {})) {
        const before = deployments[provider];
        const merged = { ...before, ...deployment };
        if (deployment.price !== undefined) delete merged.price_as;
        if (deployment.price_as !== undefined) delete merged.price;
        deployments[provider] = merged;
      }
      models[name] = { ...previous, ...model, deployments };
    }
  }
  if (Object.keys(models).length > 0) combined.models = models;
  return combined;
}
