import { parseConfigText } from '../../src/config/load-config.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { startGateway, type RunningGateway } from '../../src/app/start-gateway.js';
import type { RunningSimulator } from '../../src/sim/sim-types.js';
import { benchConfigFile, type RoutingSection } from './bench-config.js';
import { benchFleet } from './bench-fleet.js';

/**
 * A gateway over the benchmark's simulator with `routing` merged into the bench config. The
 * config goes through the same schema validation as a config file (defaults applied, errors
 * reported), then through resolveConfig.
 */
export async function startBenchGateway(
  simulator: RunningSimulator,
  routing: Partial<RoutingSection> | 'shipped' | undefined,
  label: string,
): Promise<RunningGateway> {
  const source = `routing bench (${label})`;
  const file = parseConfigText(
    JSON.stringify(benchConfigFile((id) => simulator.baseUrlFor(id), routing)),
    source,
  );
  return startGateway(resolveConfig(file, source, {}, benchFleet()));
}
