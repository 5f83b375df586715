import type { GatewayConfig } from '../config/gateway-config.js';
import type { ProviderAdapter } from '../core/provider.js';
import { timeoutsFor } from '../execution/execution-policy.js';
import { createAdapter, createProviderDispatcher } from '../providers/create-adapter.js';
import type { RunningSimulator } from '../sim/sim-types.js';

/** One adapter (with its own upstream pool) per configured provider; embedded-simulator providers point at `simulator`. */
export function createProviderAdapters(
  config: GatewayConfig,
  simulator: RunningSimulator | undefined,
): Map<string, ProviderAdapter> {
  const created = new Map<string, ProviderAdapter>();
  for (const [id, provider] of config.providers) {
    const settings = { ...provider.settings };
    if (provider.embeddedSimulator) {
      if (!simulator)
        throw new Error(
          `Provider "${id}" needs the embedded simulator, but simulator.enabled is false.`,
        );
      settings.baseUrl = simulator.baseUrlFor(provider.fleetProvider ?? id);
    }
    const dispatcher = createProviderDispatcher(settings.baseUrl, {
      connections: provider.connections,
      connectTimeoutMs: timeoutsFor(config.resilience, id, undefined).connectMs,
    });
    created.set(id, createAdapter(settings, dispatcher));
  }
  return created;
}
