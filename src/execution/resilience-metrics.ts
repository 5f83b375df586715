import { Gauge, type Registry } from 'prom-client';
import type { DeploymentBreakers } from './deployment-breakers.js';

const STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * Breaker state on /metrics, read from the breakers when Prometheus scrapes (nothing on the
 * request path). Labels are the configured deployment keys only, so the series are bounded.
 */
export function registerResilienceMetrics(
  registry: Registry,
  breakers: DeploymentBreakers,
  keys: readonly string[],
): void {
  const registers = [registry];
  const snapshot = () => breakers.snapshot(Date.now(), keys);
  new Gauge({
    name: 'switchyard_breaker_state',
    help: 'Circuit breaker state per deployment: 0 closed, 1 half-open, 2 open.',
    labelNames: ['deployment'],
    registers,
    collect() {
      for (const entry of snapshot()) this.set({ deployment: entry.key }, STATE_VALUE[entry.state]);
    },
  });
  new Gauge({
    name: 'switchyard_deployment_available',
    help: '1 when the deployment may be called (breaker not open, no cooldown), else 0.',
    labelNames: ['deployment'],
    registers,
    collect() {
      for (const entry of snapshot()) this.set({ deployment: entry.key }, entry.available ? 1 : 0);
    },
  });
  new Gauge({
    name: 'switchyard_breaker_opened',
    help: 'Times the deployment breaker opened since the gateway started.',
    labelNames: ['deployment'],
    registers,
    collect() {
      for (const entry of snapshot()) this.set({ deployment: entry.key }, entry.opened);
    },
  });
}
