import { DEFAULT_FLEET } from '../sim/default-fleet.js';
import { startSimulator } from '../sim/start-simulator.js';
import type { CommonOptions } from './config-check-command.js';
import { onShutdown } from './shutdown.js';

/** `switchyard sim`: run the simulator fleet alone, e.g. as the upstream of a configured gateway. */
export async function runSim(options: CommonOptions & { timeScale?: number }): Promise<number> {
  if (options.timeScale !== undefined && !(options.timeScale >= 0))
    throw new Error('--time-scale must be a number ≥ 0');
  const simulator = await startSimulator({
    host: options.host ?? process.env.HOST ?? '127.0.0.1',
    port: options.port ?? Number(process.env.PORT ?? 4100),
    timeScale: options.timeScale ?? 1,
  });
  const lines = [
    `Switchyard simulator fleet on ${simulator.url} — SIMULATED providers, answers are generated locally`,
  ];
  for (const provider of DEFAULT_FLEET.providers) {
    lines.push(
      `  ${provider.id.padEnd(14)} ${provider.wire.padEnd(18)} ${simulator.baseUrlFor(provider.id)}  models: ${provider.models.map((m) => m.name).join(', ')}`,
    );
  }
  lines.push('Point a gateway provider at one with `type: simulated` and `base_url: <url above>`.');
  process.stdout.write(`${lines.join('\n')}\n`);
  onShutdown(() => simulator.close());
  return 0;
}
