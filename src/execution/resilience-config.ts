import { z } from 'zod';

/**
 * The `resilience:` config section (retries, breakers, timeouts, hedging, structured output) and
 * its resolved runtime form. Every field is optional; the defaults below are what runs when the
 * section is absent. docs/resilience.md describes each one.
 */

const milliseconds = z.number().int().min(1).max(3_600_000);

const timeoutsSchema = z
  .object({
    /** Time allowed to open a connection (TLS included); set on the provider's pool. */
    connect_ms: milliseconds,
    /** Streams: time from the start of an attempt to its first content part. */
    first_token_ms: milliseconds,
    /** Streams: longest silence between two upstream chunks once content flows. */
    idle_ms: milliseconds,
    /** One attempt, start to end of the answer. */
    total_ms: milliseconds,
  })
  .partial()
  .strict();

const hedgingSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('off') }).strict(),
  z
    .object({
      /** Hedge when the first attempt is slower than its deployment's recent p95 time to first token. */
      mode: z.literal('p95'),
      /** Models (or the tier names a router reports in its plan) hedging applies to; absent = all. */
      models: z.array(z.string().min(1)).optional(),
      /** Observations needed before a deployment's p95 is trusted (before that: no hedge). */
      min_samples: z.number().int().min(1).max(1000).optional(),
      /** Bounds on the hedge delay, whatever the p95 says. */
      min_delay_ms: milliseconds.optional(),
      max_delay_ms: milliseconds.optional(),
    })
    .strict(),
]);

const structuredOutputSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('off') }).strict(),
  z
    .object({
      /** Validate JSON-mode answers and tool-call arguments; retry or escalate invalid ones. */
      mode: z.literal('validate'),
      /** Invalid answers accepted from one model before escalating to the next candidate model (default 2). */
      invalid_answers_per_model: z.number().int().min(1).max(10).optional(),
    })
    .strict(),
]);

export const resilienceConfigSchema = z
  .object({
    /** Whole-request budget: retries and Retry-After waits must fit in what is left of it. */
    deadline_ms: milliseconds.optional(),
    retries: z
      .object({
        /** Extra tries on the same deployment after a retryable failure (0 = fail over at once). */
        max_per_deployment: z.number().int().min(0).max(10),
        /** Backoff: a random wait in [0, min(max_delay_ms, base_delay_ms × 2^retry)] (full jitter). */
        base_delay_ms: z.number().int().min(0).max(60_000),
        max_delay_ms: z.number().int().min(0).max(600_000),
        /** A Retry-After longer than this moves on to the next deployment instead of waiting. */
        max_retry_after_ms: z.number().int().min(0).max(600_000),
      })
      .partial()
      .strict()
      .optional(),
    breaker: z
      .object({
        /** Sliding window the error rate is measured over. */
        window_ms: milliseconds,
        /** Attempts needed in the window before the error rate can open the breaker. */
        min_requests: z.number().int().min(1).max(100_000),
        /** Failure share in the window that opens the breaker. */
        error_rate: z.number().gt(0).max(1),
        /** Consecutive failures that open the breaker, whatever the rate. */
        consecutive_failures: z.number().int().min(1).max(1000),
        /** How long an open breaker stays open before letting probes through (half-open). */
        open_ms: milliseconds,
        /** Concurrent probes allowed while half-open; that many successes close it. */
        half_open_probes: z.number().int().min(1).max(100),
        /** How long a provider whose key was refused (401/403) is cooled down. */
        auth_cooldown_ms: milliseconds,
      })
      .partial()
      .strict()
      .optional(),
    /** Defaults for every provider. */
    timeouts: timeoutsSchema.optional(),
    /** Per-provider timeouts, over the defaults: provider id → timeouts. */
    provider_timeouts: z.record(z.string(), timeoutsSchema).optional(),
    /** Bounds on the per-request timeout headers (`x-switchyard-*-timeout-ms`). */
    header_bounds: z
      .object({ min_ms: milliseconds, max_ms: milliseconds })
      .partial()
      .strict()
      .optional(),
    hedging: hedgingSchema.optional(),
    structured_output: structuredOutputSchema.optional(),
  })
  .strict();

export type ResilienceConfigFile = z.infer<typeof resilienceConfigSchema>;

export interface AttemptTimeouts {
  connectMs: number;
  firstTokenMs: number;
  idleMs: number;
  totalMs: number;
}

export interface BreakerSettings {
  windowMs: number;
  minRequests: number;
  errorRate: number;
  consecutiveFailures: number;
  openMs: number;
  halfOpenProbes: number;
  authCooldownMs: number;
}

export interface RetrySettings {
  maxPerDeployment: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export type HedgingSettings =
  | { mode: 'off' }
  | {
      mode: 'p95';
      models?: ReadonlySet<string>;
      minSamples: number;
      minDelayMs: number;
      maxDelayMs: number;
    };

export type StructuredOutputSettings =
  | { mode: 'off' }
  | { mode: 'validate'; invalidAnswersPerModel: number };

export interface ResilienceConfig {
  deadlineMs: number;
  retries: RetrySettings;
  breaker: BreakerSettings;
  timeouts: AttemptTimeouts;
  providerTimeouts: Map<string, AttemptTimeouts>;
  headerBounds: { minMs: number; maxMs: number };
  hedging: HedgingSettings;
  structuredOutput: StructuredOutputSettings;
}

export const RESILIENCE_DEFAULTS: ResilienceConfig = {
  deadlineMs: 300_000,
  retries: { maxPerDeployment: 2, baseDelayMs: 100, maxDelayMs: 2_000, maxRetryAfterMs: 10_000 },
  breaker: {
    windowMs: 30_000,
    minRequests: 20,
    errorRate: 0.5,
    consecutiveFailures: 5,
    openMs: 15_000,
    halfOpenProbes: 1,
    authCooldownMs: 300_000,
  },
  timeouts: { connectMs: 10_000, firstTokenMs: 60_000, idleMs: 60_000, totalMs: 300_000 },
  providerTimeouts: new Map(),
  headerBounds: { minMs: 100, maxMs: 600_000 },
  hedging: { mode: 'off' },
  structuredOutput: { mode: 'validate', invalidAnswersPerModel: 2 },
};

function timeoutsOf(
  file: z.infer<typeof timeoutsSchema> | undefined,
  base: AttemptTimeouts,
): AttemptTimeouts {
  return {
    connectMs: file?.connect_ms ?? base.connectMs,
    firstTokenMs: file?.first_token_ms ?? base.firstTokenMs,
    idleMs: file?.idle_ms ?? base.idleMs,
    totalMs: file?.total_ms ?? base.totalMs,
  };
}

/** The runtime settings; `problems` collects cross-reference errors (unknown provider ids). */
export function resolveResilience(
  file: ResilienceConfigFile | undefined,
  providerIds: ReadonlySet<string>,
  problems: string[],
): ResilienceConfig {
  const defaults = RESILIENCE_DEFAULTS;
  const timeouts = timeoutsOf(file?.timeouts, defaults.timeouts);
  const providerTimeouts = new Map<string, AttemptTimeouts>();
  for (const [id, entry] of Object.entries(file?.provider_timeouts ?? {})) {
    if (!providerIds.has(id))
      problems.push(`resilience.provider_timeouts.${id}: no provider named "${id}"`);
    providerTimeouts.set(id, timeoutsOf(entry, timeouts));
  }
  const retries: RetrySettings = {
    maxPerDeployment: file?.retries?.max_per_deployment ?? defaults.retries.maxPerDeployment,
    baseDelayMs: file?.retries?.base_delay_ms ?? defaults.retries.baseDelayMs,
    maxDelayMs: file?.retries?.max_delay_ms ?? defaults.retries.maxDelayMs,
    maxRetryAfterMs: file?.retries?.max_retry_after_ms ?? defaults.retries.maxRetryAfterMs,
  };
  if (retries.maxDelayMs < retries.baseDelayMs)
    problems.push('resilience.retries.max_delay_ms must be at least base_delay_ms');
  const breakerFile = file?.breaker ?? {};
  const breaker: BreakerSettings = {
    windowMs: breakerFile.window_ms ?? defaults.breaker.windowMs,
    minRequests: breakerFile.min_requests ?? defaults.breaker.minRequests,
    errorRate: breakerFile.error_rate ?? defaults.breaker.errorRate,
    consecutiveFailures: breakerFile.consecutive_failures ?? defaults.breaker.consecutiveFailures,
    openMs: breakerFile.open_ms ?? defaults.breaker.openMs,
    halfOpenProbes: breakerFile.half_open_probes ?? defaults.breaker.halfOpenProbes,
    authCooldownMs: breakerFile.auth_cooldown_ms ?? defaults.breaker.authCooldownMs,
  };
  const headerBounds = {
    minMs: file?.header_bounds?.min_ms ?? defaults.headerBounds.minMs,
    maxMs: file?.header_bounds?.max_ms ?? defaults.headerBounds.maxMs,
  };
  if (headerBounds.maxMs < headerBounds.minMs)
    problems.push('resilience.header_bounds.max_ms must be at least min_ms');
  let hedging: HedgingSettings = defaults.hedging;
  if (file?.hedging?.mode === 'p95') {
    const minDelayMs = file.hedging.min_delay_ms ?? 50;
    hedging = {
      mode: 'p95',
      ...(file.hedging.models ? { models: new Set(file.hedging.models) } : {}),
      minSamples: file.hedging.min_samples ?? 20,
      minDelayMs,
      maxDelayMs: Math.max(minDelayMs, file.hedging.max_delay_ms ?? 10_000),
    };
  }
  const structured = file?.structured_output;
  const structuredOutput: StructuredOutputSettings =
    structured?.mode === 'off'
      ? { mode: 'off' }
      : { mode: 'validate', invalidAnswersPerModel: structured?.invalid_answers_per_model ?? 2 };
  return {
    deadlineMs: file?.deadline_ms ?? defaults.deadlineMs,
    retries,
    breaker,
    timeouts,
    providerTimeouts,
    headerBounds,
    hedging,
    structuredOutput,
  };
}
