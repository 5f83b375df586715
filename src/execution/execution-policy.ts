import type { CancelSignal } from '../core/cancel.js';
import {
  checkCatalogCoverage,
  type ConfiguredDeployments,
} from '../registry/match-config-provider.js';
import type { ModelRegistry } from '../registry/model-registry.js';
import { deploymentKey, type RouteTarget } from '../core/route.js';
import { GatewayError } from '../core/errors.js';
import { AttemptWatchdog } from './attempt-watchdog.js';
import { DeploymentBreakers } from './deployment-breakers.js';
import { DeploymentCapacity, type CapacityLimit } from './deployment-capacity.js';
import {
  RESILIENCE_DEFAULTS,
  type AttemptTimeouts,
  type ResilienceConfig,
} from './resilience-config.js';
import { SchemaValidators } from './structured-output.js';
import { TtftWindows } from './ttft-windows.js';

/**
 * Everything the executor consults besides the plan: settings, breakers, the timeout watchdog,
 * recent TTFTs (hedging), schema validators, context windows, and the clock and dice (injectable
 * so tests never sleep for real).
 */
export interface ExecutionPolicy {
  settings: ResilienceConfig;
  breakers: DeploymentBreakers;
  watchdog: AttemptWatchdog;
  ttft: TtftWindows;
  validators: SchemaValidators;
  /** In-flight counts and queues of deployments that declare a capacity (self-hosted boxes). */
  capacity?: DeploymentCapacity;
  /** Context window of a deployment, when the catalog knows it. */
  contextWindowOf(target: RouteTarget): number | undefined;
  /** Wall clock (ms) for breakers and cooldowns. */
  now(): number;
  random(): number;
  /** Waits between retries; rejects when the signal aborts. */
  sleep(ms: number, signal: CancelSignal): Promise<void>;
}

export interface PolicyOptions {
  settings?: ResilienceConfig;
  contextWindows?: Map<string, number>;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal: CancelSignal) => Promise<void>;
  alert?: (message: string) => void;
  watchdog?: AttemptWatchdog;
  /** Declared capacities by deployment key (`max_concurrency`, `max_queue_ms`). */
  capacities?: Iterable<[string, CapacityLimit]>;
}

export function createExecutionPolicy(options: PolicyOptions = {}): ExecutionPolicy {
  const settings = options.settings ?? RESILIENCE_DEFAULTS;
  const windows = options.contextWindows ?? new Map<string, number>();
  return {
    settings,
    breakers: new DeploymentBreakers(settings.breaker, options.alert),
    watchdog: options.watchdog ?? new AttemptWatchdog(),
    ttft: new TtftWindows(),
    validators: new SchemaValidators(),
    capacity: new DeploymentCapacity(options.capacities ?? []),
    contextWindowOf: (target) => windows.get(target.key),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? defaultSleep,
  };
}

/** Context windows of the configured deployments, from the catalog, by deployment key. */
export function contextWindowsOf(
  config: ConfiguredDeployments & { registry: ModelRegistry },
): Map<string, number> {
  const windows = new Map<string, number>();
  for (const deployment of checkCatalogCoverage(config.registry, config).deployments) {
    const window = deployment.catalog?.contextWindow;
    if (window !== undefined)
      windows.set(deploymentKey(deployment.provider, deployment.model), window);
  }
  return windows;
}

/**
 * The timeouts of one attempt on a provider, with the request's header overrides of the first-token
 * and idle timeouts. The header total is the request's deadline, not an attempt's (`withTotal`).
 */
export function timeoutsFor(
  settings: ResilienceConfig,
  provider: string,
  overrides: Partial<AttemptTimeouts> | undefined,
  withTotal = true,
): AttemptTimeouts {
  const base = settings.providerTimeouts.get(provider) ?? settings.timeouts;
  if (overrides === undefined) return base;
  const { totalMs, ...perAttempt } = overrides;
  return { ...base, ...perAttempt, ...(withTotal && totalMs !== undefined ? { totalMs } : {}) };
}

/**
 * Header → timeout field. Values are milliseconds within `resilience.header_bounds`.
 * `x-switchyard-timeout-ms` is the whole request's deadline (all attempts, retries and waits).
 */
export const TIMEOUT_HEADERS = {
  'x-switchyard-timeout-ms': 'totalMs',
  'x-switchyard-first-token-timeout-ms': 'firstTokenMs',
  'x-switchyard-idle-timeout-ms': 'idleMs',
} as const;

/** Per-request timeout overrides from headers; out-of-bounds values are rejected, not clamped. */
const TIMEOUT_HEADER_ENTRIES = Object.entries(TIMEOUT_HEADERS) as Array<
  [keyof typeof TIMEOUT_HEADERS, keyof AttemptTimeouts]
>;

export function readTimeoutHeaders(
  headers: Record<string, string | string[] | undefined>,
  settings: ResilienceConfig,
): Partial<AttemptTimeouts> | undefined {
  let overrides: Partial<AttemptTimeouts> | undefined;
  for (const [header, field] of TIMEOUT_HEADER_ENTRIES) {
    const value = headers[header];
    if (typeof value !== 'string') continue;
    const milliseconds = Number(value);
    const { minMs, maxMs } = settings.headerBounds;
    if (!Number.isInteger(milliseconds) || milliseconds < minMs || milliseconds > maxMs) {
      throw new GatewayError(
        'invalid_request',
        `${header} must be a whole number of milliseconds between ${minMs} and ${maxMs} (the operator's bounds).`,
        { param: header },
      );
    }
    overrides ??= {};
    overrides[field] = milliseconds;
  }
  return overrides;
}

function defaultSleep(ms: number, signal: CancelSignal): Promise<void> {
  if (ms <= 0) return signal.aborted ? Promise.reject(signal.reason as Error) : Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
