import { Gauge, type Registry } from 'prom-client';
import type { SharedStateSettings } from './shared-state-config.js';
import { createRedisSharedState, type RedisSharedState } from './redis-shared-state.js';

/** The Redis state the settings name, or undefined when state is per process. */
export function openSharedState(config: {
  sharedState: SharedStateSettings;
}): RedisSharedState | undefined {
  const redis = config.sharedState.redis;
  if (!redis) return undefined;
  return createRedisSharedState({
    url: redis.url,
    keyPrefix: redis.keyPrefix,
    timeoutMs: redis.timeoutMs,
    replicaId: config.sharedState.replicaId,
  });
}

/** `/metrics`: whether Redis answers, its outages, and reservations enforced by this replica alone. */
export function registerSharedStateMetrics(
  registry: Registry,
  state: RedisSharedState,
  guard?: { readonly fallbacks: number },
): void {
  new Gauge({
    name: 'switchyard_shared_state_up',
    help: 'Whether the shared state store (Redis) answers: 1 up, 0 down (replicas then enforce alone).',
    registers: [registry],
    collect() {
      this.set(state.up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'switchyard_shared_state_outages',
    help: 'Times the shared state store became unreachable since start.',
    registers: [registry],
    collect() {
      this.set(state.outages);
    },
  });
  if (guard) {
    new Gauge({
      name: 'switchyard_spend_local_reservations',
      help: 'Reservations this replica decided alone because Redis was unreachable (since start).',
      registers: [registry],
      collect() {
        this.set(guard.fallbacks);
      },
    });
  }
}
