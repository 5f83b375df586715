import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from '../config/gateway-config.js';
import { definedOnly } from '../config/resolve-config.js';
import { startSimulator } from '../sim/start-simulator.js';
import type { RunningSimulator } from '../sim/sim-types.js';
import type { ProviderAdapter } from '../core/provider.js';
import { createKeyDirectory } from '../keys/key-directory.js';
import { createMemorySpendGuard } from '../keys/memory-spend-guard.js';
import { createRedisSpendGuard } from '../keys/redis-spend-guard.js';
import { openSharedState, registerSharedStateMetrics } from '../state/open-shared-state.js';
import { CacheAffinity, memoryAffinityStore } from '../router/cache-affinity.js';
import { registerLedgerMetrics } from '../usage/ledger/ledger-metrics.js';
import { shareBreakers } from '../execution/shared-breakers.js';
import { shareLatency } from '../router/shared-latency.js';
import { shareCapacity } from '../execution/fleet-slots.js';
import type { LatencyStats } from '../router/latency-stats.js';
import { openKeyStore } from '../keys/open-key-store.js';
import { createAdminApi } from '../server/admin-api.js';
import { Authenticator } from '../server/authenticate.js';
import { openLedger } from '../usage/ledger/open-ledger.js';
import type { Ledger } from '../usage/ledger/ledger.js';
import { GatewayMetrics } from '../server/gateway-metrics.js';
import { openJournaledLedger } from '../usage/journal/journaled-ledger.js';
import { DEFAULT_WRITE_OPTIONS } from '../usage/ledger/write-queue.js';
import { createLedgerRecording } from './ledger-recording.js';
import { createRequestHandler } from '../server/handle-request.js';
import { ModelDirectory } from '../server/model-directory.js';
import { createPolicyRouter } from './create-policy-router.js';
import { deploymentKey, type DeploymentHealth } from '../core/route.js';
import type { RequestRecord } from '../pipeline/request-record.js';
import { EmbeddingTargets } from '../server/embedding-targets.js';
import {
  contextWindowsOf,
  createExecutionPolicy,
  type ExecutionPolicy,
} from '../execution/execution-policy.js';
import type { CapacityLimit } from '../execution/deployment-capacity.js';
import { registerResilienceMetrics } from '../execution/resilience-metrics.js';
import type { RequestObserver } from '../pipeline/request-record.js';
import { openResponseCache } from '../cache/response-cache.js';
import { createCompletionBatcher } from '../providers/completion-batcher.js';
import { withCompletionBatching } from '../providers/batch-completions.js';
import { createRemoteFlights } from '../cache/remote-flights.js';
import { openResponseStore } from '../usage/response-store/open-response-store.js';
import { BufferedBodyBudget } from '../server/read-body.js';
import { ConnectionTracker } from '../server/connection-tracker.js';
import { createClientErrorHandler } from '../server/client-error.js';
import { AdminAuth } from '../server/admin-auth.js';
import { createAdminStatsApi } from '../server/admin-stats-api.js';
import { serveDashboard } from '../server/dashboard-endpoint.js';
import { RecentPlans } from '../dashboard/recent-plans.js';
import { breakevenQuery } from './breakeven-settings.js';
import { selfHostedPrices } from '../config/self-hosted-prices.js';
import { createProviderAdapters } from './create-adapters.js';
import { changedSections, nonReloadableChanges, sameValue } from './reload-checks.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { QualityModel } from '../router/learning/quality-model.js';
import { ConversationRungs } from '../router/learning/conversation-rungs.js';
import { LearningLoop } from '../learning/learning-loop.js';

export interface StartGatewayOptions {
  /** Called once per finished request (tests, access log). */
  observer?: RequestObserver;
  /** Also export Node process metrics (CPU, memory, event loop) on /metrics. */
  processMetrics?: boolean;
  /** Use this ledger instead of opening the configured one (it is closed with the gateway). */
  ledger?: Ledger;
  /** Deployment health (breakers, cooldowns) the router consults; default: all available. */
  health?: DeploymentHealth;
  /** Start a W3C trace for every request (the observer exports spans); a client's `traceparent` is continued either way. */
  traceRequests?: boolean;
  /** Keep model requests' bodies on their records (body logging). */
  captureBodies?: boolean;
  /** Re-reads and validates the config for a reload (SIGHUP, POST /admin/reload); throws on an invalid one. Absent: reload is off. */
  loadConfig?: () => GatewayConfig;
  /**
   * A reload changed `logging`: the caller rebuilds its telemetry and says whether new requests
   * are traced and keep their bodies. Absent: logging belongs to the caller and is left as it is.
   */
  onLoggingChange?: (next: GatewayConfig) => TelemetryFlags;
  /** Reload outcomes and warnings (default: standard error). */
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** Per-request telemetry switches: start a trace for every request, keep request bodies. */
export interface TelemetryFlags {
  traceRequests: boolean;
  captureBodies: boolean;
}

/** What a reload did: applied (with the sections that only a restart changes, if any changed), or refused with the error. */
export type ReloadResult = { ok: true; changed: string[] } | { ok: false; error: string };

const netServerClose = NetServer.prototype.close;

/** How often Node checks the headers and request timeouts (its default is 30 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 250;
/** During a drain, an idle keep-alive connection gets this long to send one more request (answered with Connection: close). */
const DRAIN_IDLE_CLOSE_MS = 500;

export interface RunningGateway {
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  server: Server;
  config: GatewayConfig;
  metrics: GatewayMetrics;
  /** Breakers, cooldowns and the other executor state (tests and the admin API read it). */
  executionPolicy: ExecutionPolicy;
  /** The usage ledger, unless disabled in config. */
  ledger?: Ledger;
  /** The learning loop (outcomes, the quality model, cascade rungs). */
  learning: LearningLoop;
  /** The learned quality per deployment and bucket (lives across reloads). */
  quality: QualityModel;
  /** The embedded simulator, when the config enabled it. */
  simulator?: RunningSimulator;
  /** Re-reads the config (validated first); on success new requests use it, in-flight ones finish on the old one. */
  reload(): Promise<ReloadResult>;
  /** Drains (see `close` below): stops accepting, lets in-flight requests finish up to `graceMs` (default server.shutdown_grace_ms), frees upstream pools. */
  close(graceMs?: number): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

/** Starts the embedded simulator (if configured), the provider adapters and the HTTP server. */
export async function startGateway(
  config: GatewayConfig,
  options: StartGatewayOptions = {},
): Promise<RunningGateway> {
  if (!config.auth.requireKeys && !isLoopback(config.server.host) && !config.auth.allowOpen) {
    throw new Error(
      `Refusing to serve without API keys on ${config.server.host}: anyone who can reach it could spend your provider credit. ` +
        'Set auth.require_keys (virtual keys) or auth.api_keys_env, listen on 127.0.0.1, or set auth.allow_open: true.',
    );
  }
  const keyStore = config.ledger.enabled
    ? await openKeyStore({ dataDir: config.dataDir, databaseUrl: config.ledger.databaseUrl })
    : undefined;
  const shared = openSharedState(config);
  if (shared) await shared.ready(2000); // serves either way: per replica until Redis answers
  const keyDirectory = keyStore
    ? await createKeyDirectory({
        store: keyStore,
        refreshIntervalMs: config.sharedState.keyRefreshMs,
        ...(shared ? { events: shared } : {}),
      })
    : undefined;

  let simulator: RunningSimulator | undefined;
  if (config.simulator.enabled) {
    simulator = await startSimulator({
      host: '127.0.0.1',
      port: config.simulator.port,
      timeScale: config.simulator.timeScale,
    });
  }

  const createAdapters = (current: GatewayConfig): Map<string, ProviderAdapter> =>
    createProviderAdapters(current, simulator);

  const metrics = new GatewayMetrics({ processMetrics: options.processMetrics ?? false });
  const executionPolicy = createExecutionPolicy({
    settings: config.resilience,
    contextWindows: contextWindowsOf(config),
    capacities: capacitiesOf(config),
  });
  /** What the router consults: breakers and cooldowns, and the self-hosted boxes' load. */
  const health: DeploymentHealth = options.health ?? {
    available: (key, now) => executionPolicy.breakers.available(key, now),
    capacity: (key) => executionPolicy.capacity?.status(key),
  };
  const deploymentKeys = [...config.models.values()].flatMap((model) =>
    model.deployments.map((deployment) => deploymentKey(deployment.provider, model.name)),
  );
  registerResilienceMetrics(metrics.registry, executionPolicy.breakers, deploymentKeys);
  const batchLedger =
    options.ledger ??
    (config.ledger.enabled
      ? await openLedger({
          dataDir: config.dataDir,
          databaseUrl: config.ledger.databaseUrl,
          ...definedOnly({
            batchSize: config.ledger.batchSize,
            flushIntervalMs: config.ledger.flushIntervalMs,
          }),
        })
      : undefined);
  const journaled =
    batchLedger && config.ledger.durability === 'journal'
      ? await openJournaledLedger(batchLedger, {
          directory: join(config.dataDir, 'journal'),
          checkpointMs: config.ledger.flushIntervalMs ?? DEFAULT_WRITE_OPTIONS.flushIntervalMs,
        })
      : undefined;
  const ledger: Ledger | undefined = journaled ?? batchLedger;
  if (ledger) registerLedgerMetrics(metrics.registry, ledger);
  const guard = !keyDirectory
    ? undefined
    : shared && config.sharedState.redis
      ? createRedisSpendGuard({
          state: shared,
          whenDown: config.sharedState.redis.budgetsWhenDown,
          ...(ledger ? { ledger } : {}),
        })
      : createMemorySpendGuard(ledger ? { ledger } : {});
  if (shared)
    registerSharedStateMetrics(
      metrics.registry,
      shared,
      guard && 'fallbacks' in guard ? (guard as { readonly fallbacks: number }) : undefined,
    );
  const plans = new RecentPlans();
  const adminAuth = new AdminAuth(config.admin.token);
  const dashboard = (request: IncomingMessage, response: ServerResponse, path: string) =>
    serveDashboard(adminAuth, request, response, path);
  const admin = createAdminApi({
    token: config.admin.token,
    auth: adminAuth,
    stats: createAdminStatsApi({
      plans,
      capacity: () => executionPolicy.capacity?.snapshot() ?? [],
      selfHosted: () => selfHostedPrices(generation.config),
      ...(ledger
        ? {
            ledger,
            breakeven: breakevenQuery(
              () => generation.config,
              (from, to) => ledger.trafficMix({ from, to }),
            ),
          }
        : {}),
    }),
    resilience: {
      breakers: executionPolicy.breakers,
      get keys() {
        return generation.deploymentKeys;
      },
    },
    reload: () => reload(),
    store: keyStore,
    ...(guard ? { guard } : {}),
    ...(keyDirectory ? { onKeysChanged: (change) => keyDirectory.apply(change, true) } : {}),
  });
  const cache = await openResponseCache(
    config.cache,
    shared
      ? createRemoteFlights({ state: shared, waitMs: config.sharedState.flightWaitMs })
      : undefined,
  );
  const responseStore =
    config.ledger.enabled && config.responses.store
      ? await openResponseStore({
          dataDir: config.dataDir,
          databaseUrl: config.ledger.databaseUrl,
          ttlMs: config.responses.ttlMs,
          maxBytes: config.responses.maxBytes,
          maxEntries: config.responses.maxEntries,
        })
      : undefined;
  // The quality model and the cascade rungs outlive config reloads; the ledger rebuilds the model at start.
  const quality = new QualityModel(config.routing.learning);
  const rungs = new ConversationRungs(config.routing.learning.sessionTtlMs);
  const learning = new LearningLoop({
    quality,
    rungs,
    ...(ledger ? { ledger } : {}),
    ...(shared ? { shared } : {}),
    // Read at request time, from the current generation (a reload may add or drop a cascade).
    cascadeConfigured: () =>
      [...generation.config.routing.policies.values()].some((policy) => policy.type === 'cascade'),
  });
  await learning.start();
  const extraObserver = options.observer;
  // Agent sessions → the deployment whose provider cache holds their prefix (shared across
  // replicas through Redis when it is configured).
  const affinitySettings = config.routing.cacheAffinity;
  const affinity = affinitySettings.enabled
    ? new CacheAffinity(shared ?? memoryAffinityStore(), affinitySettings.ttlMs)
    : undefined;
  const connections = new ConnectionTracker({
    maxConnections: config.server.maxConnections,
    drainIdleCloseMs: DRAIN_IDLE_CLOSE_MS,
  });
  const bodyBudget = new BufferedBodyBudget(config.server.maxBufferedBodyBytes);
  /**
   * Everything a config reload replaces: upstream pools (adapters), router, model directory,
   * batcher, authenticator and the request handler over them. Requests count themselves in and
   * out, so a retired generation closes its pools once its last request is done.
   */
  const createGeneration = (
    current: GatewayConfig,
    cache: ResponseCache | undefined,
    flags: TelemetryFlags,
  ): Generation => {
    const referencePrice = current.registry.referenceDeployment()?.price;
    const recording = createLedgerRecording(
      ledger,
      journaled,
      () => referencePrice,
      config.sharedState.replicaId,
    );
    // Completions batching is provider middleware: the adapters of batched deployments batch.
    const adapters = withCompletionBatching(
      createAdapters(current),
      createCompletionBatcher(current.batching.deployments, current.models.values()),
    );
    const router = createPolicyRouter(current, adapters, {
      health,
      quality,
      rungs,
    });
    const authenticator = new Authenticator({
      staticKeys: current.auth.apiKeys,
      required: current.auth.requireKeys,
      ...(keyDirectory ? { virtualKeys: keyDirectory } : {}),
    });
    const handler = createRequestHandler({
      directory: new ModelDirectory(current, adapters),
      router,
      ...(affinity ? { affinity } : {}),
      embeddings: new EmbeddingTargets(current, adapters),
      attemptObserver: router.stats,
      // This generation's resilience settings over the process's breakers, watchdog and slots.
      executionPolicy: {
        ...executionPolicy,
        settings: current.resilience,
        contextWindowOf: contextWindowLookup(contextWindowsOf(current)),
      },
      authenticator,
      bodyLimitBytes: current.server.bodyLimitBytes,
      maxJsonDepth: current.server.maxJsonDepth,
      reserveOutputTokens: current.auth.reserveOutputTokens,
      requestTimeoutMs: current.server.requestTimeoutMs,
      bodyBudget,
      connections,
      newRequestId: randomUUID,
      metrics,
      ...(flags.traceRequests ? { traceRequests: true } : {}),
      ...(flags.captureBodies ? { captureBodies: true } : {}),
      ...(guard ? { guard } : {}),
      ...(cache ? { cache } : {}),
      ...(responseStore ? { responseStore } : {}),
      admin,
      dashboard,
      learning,
      ...(config.admin.token === undefined ? {} : { adminToken: config.admin.token }),
      observer: (record) => {
        metrics.observe(record);
        if (affinity) rememberServed(affinity, record);
        if (record.plan) plans.remember(record.requestId, record.plan);
        settleLearning(learning, record);
        recording.observe(record);
        extraObserver?.(record);
      },
      ...(recording.beforeEnd ? { beforeEnd: recording.beforeEnd } : {}),
    });
    const built: Generation = {
      config: current,
      adapters,
      latency: router.stats,
      cache,
      flags,
      closeCache: false,
      deploymentKeys: [...current.models.values()].flatMap((model) =>
        model.deployments.map((deployment) => deploymentKey(deployment.provider, model.name)),
      ),
      inFlight: 0,
      retired: false,
      handle: handler,
      close: async () => {
        await Promise.all([...adapters.values()].map((adapter) => adapter.close()));
        // A reload that replaced the cache (a new cache section) leaves the old one to its generation.
        if (built.closeCache) await cache?.close();
      },
    };
    return built;
  };
  const startFlags: TelemetryFlags = {
    traceRequests: options.traceRequests === true,
    captureBodies: options.captureBodies === true,
  };
  let generation = createGeneration(config, cache, startFlags);
  // Several replicas: breaker changes and latency summaries go through the shared state.
  const stopSharing = shared
    ? [
        shareBreakers({
          state: shared,
          breakers: executionPolicy.breakers,
          deploymentKeys: () => generation.deploymentKeys,
        }),
        shareLatency({
          state: shared,
          stats: () => generation.latency,
          intervalMs: config.sharedState.latencyIntervalMs,
        }),
        shareCapacity(shared, executionPolicy.capacity),
      ]
    : [];
  const retire = (old: Generation): void => {
    old.retired = true;
    if (old.inFlight === 0) void old.close();
  };
  /** Every request runs on the generation current at its arrival, to its end. */
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    const serving = generation;
    serving.inFlight++;
    response.once('close', () => {
      if (--serving.inFlight === 0 && serving.retired) void serving.close();
    });
    serving.handle(request, response);
  };
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  let reloading: Promise<ReloadResult> | undefined;
  const reload = (): Promise<ReloadResult> => {
    reloading ??= (async (): Promise<ReloadResult> => {
      if (!options.loadConfig)
        return {
          ok: false,
          error: 'reload is not available: the gateway was started without a config loader',
        };
      try {
        const next = options.loadConfig();
        const running = generation;
        const refused = nonReloadableChanges(running.config, next);
        if (refused.length > 0)
          throw new Error(
            `${refused.join(', ')} cannot change without a restart (the listening socket and the stores are opened once); restart the gateway to apply ${refused.length === 1 ? 'it' : 'them'}`,
          );
        const changed = changedSections(running.config, next);
        const nextCache = sameValue(running.config.cache, next.cache)
          ? running.cache
          : await openResponseCache(next.cache);
        const flags =
          (changed.includes('logging') && options.onLoggingChange?.(next)) || running.flags;
        let built: Generation;
        try {
          built = createGeneration(next, nextCache, flags);
        } catch (error) {
          if (nextCache !== running.cache) await nextCache?.close();
          throw error;
        }
        if (nextCache !== running.cache) running.closeCache = true;
        const old = generation;
        generation = built;
        applyProcessSettings(next);

        retire(old);
        log('config reloaded', { source: next.source, changed });
        return { ok: true, changed };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log('config reload failed; the running config stays', { error: message });
        return { ok: false, error: message };
      }
    })().finally(() => {
      reloading = undefined;
    });
    return reloading;
  };
  const { headersTimeoutMs, requestTimeoutMs } = config.server;
  /** Read by the client-error handler on each error, so a reload's timeouts apply there too. */
  const httpTimeouts = { headersTimeoutMs, requestTimeoutMs };
  /** The process-wide settings a reload applies in place (the rest lives in the new generation). */
  const applyProcessSettings = (next: GatewayConfig): void => {
    bodyBudget.limitBytes = next.server.maxBufferedBodyBytes;
    connections.setMaxConnections(next.server.maxConnections);
    httpTimeouts.headersTimeoutMs = next.server.headersTimeoutMs;
    httpTimeouts.requestTimeoutMs = next.server.requestTimeoutMs;
    server.headersTimeout = next.server.headersTimeoutMs;
    server.requestTimeout = next.server.requestTimeoutMs + 1000;
    executionPolicy.breakers.reconfigure(next.resilience.breaker);
    executionPolicy.capacity?.configure(capacitiesOf(next));
    adminAuth.setToken(next.admin.token);
  };
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      // The handler's own timer answers a slow body with 408 in the caller's dialect; Node's check is the backstop.
      requestTimeout: requestTimeoutMs + 1000,
      // Node checks both timeouts every 30 s by default: a 5 s timeout could bite 35 s late.
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
      keepAliveTimeout: 65_000,
      // Node answers a missing Host with an empty 400 of its own: the handler answers it in the dialect instead.
      requireHostHeader: false,
    },
    handler,
  );
  connections.attach(server);
  server.on('clientError', createClientErrorHandler(connections, httpTimeouts));
  // Node answers an unknown Expect with an empty 417 of its own; the handler answers it in the dialect.
  server.on('checkExpectation', handler);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  let closing: Promise<void> | undefined;
  /**
   * The drain: /ready says draining, the listener closes, every response from now on says
   * Connection: close, idle keep-alive connections close, and in-flight requests and streams get
   * `graceMs` to finish before the remaining connections are closed. Then every request's ledger
   * row is written and the stores close.
   */
  const close = (graceMs = generation.config.server.shutdownGraceMs): Promise<void> => {
    closing ??= (async () => {
      connections.drain();
      // The net listener only: http's own close() would also drop idle keep-alive connections at
      // once, racing a client that is sending its next request on one (a reset).
      const closed = new Promise<void>((resolve) => netServerClose.call(server, () => resolve()));
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      server.close(); // stops Node's timeout checks; nothing is left to close
      await connections.settled(graceMs);
      await generation.close();
      learning.close();
      await simulator?.close();
      await generation.cache?.close();
      await responseStore?.close();
      keyDirectory?.close();
      await keyStore?.close();
      await ledger?.close();
      for (const stop of stopSharing) stop();
      await shared?.close();
    })();
    return closing;
  };

  return {
    url,
    server,
    get config() {
      return generation.config;
    },
    metrics,
    executionPolicy,
    ...(simulator ? { simulator } : {}),
    ...(ledger ? { ledger } : {}),
    learning,
    quality,
    reload,
    close,
  };
}

/** Hands a settled model request to the learning loop (its own signals; remembered for later ones). */
function settleLearning(learning: LearningLoop, record: RequestRecord): void {
  if (record.learning === undefined) return;
  learning.settle({
    requestId: record.requestId,
    arrival: record.learning.arrival,
    status: record.status,
    ...(record.provider === undefined ? {} : { provider: record.provider }),
    ...(record.model === undefined ? {} : { model: record.model }),
    ...(record.errorCode === undefined ? {} : { errorCode: record.errorCode }),
    attempts: (record.attempts ?? []).map((attempt) => ({
      provider: attempt.provider,
      model: attempt.model,
      ...(attempt.errorCode === undefined ? {} : { errorCode: attempt.errorCode }),
      ...(attempt.endReason === undefined ? {} : { endReason: attempt.endReason }),
    })),
  });
}

interface Generation {
  config: GatewayConfig;
  adapters: Map<string, ProviderAdapter>;
  /** The router's live latency stats (merged with the other replicas' when state is shared). */
  latency: LatencyStats;
  cache: ResponseCache | undefined;
  flags: TelemetryFlags;
  /** Set when a reload replaced the cache: this generation closes it after its last request. */
  closeCache: boolean;
  deploymentKeys: string[];
  inFlight: number;
  retired: boolean;
  handle: (request: IncomingMessage, response: ServerResponse) => void;
  close(): Promise<void>;
}

function contextWindowLookup(
  windows: Map<string, number>,
): (target: { key: string }) => number | undefined {
  return (target) => windows.get(target.key);
}

/** Declared capacities (self-hosted deployments) by deployment key. */
function capacitiesOf(config: GatewayConfig): Array<[string, CapacityLimit]> {
  return [...config.models.values()].flatMap((model) =>
    model.deployments.flatMap(
      (deployment): Array<[string, CapacityLimit]> =>
        deployment.capacity
          ? [
              [
                deploymentKey(deployment.provider, model.name),
                {
                  ...deployment.capacity,
                  ...(deployment.hourlyUsd === undefined
                    ? {}
                    : { hourlyUsd: deployment.hourlyUsd }),
                },
              ],
            ]
          : [],
    ),
  );
}

/** A session's turn answered by an upstream call: its deployment now holds the prompt. */
function rememberServed(affinity: CacheAffinity, record: RequestRecord): void {
  if (record.session === undefined || record.status !== 200) return;
  if (record.cacheStatus === 'hit' || record.cacheStatus === 'shared') return;
  if (record.provider === undefined || record.model === undefined || record.usage === undefined)
    return;
  void affinity.remember(
    record.session,
    deploymentKey(record.provider, record.model),
    record.usage.inputTokens,
  );
}
