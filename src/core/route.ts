import type { Deployment, ModelEntry } from './deployment.js';
import type { ProviderAdapter } from './provider.js';
import type { CanonicalRequest } from './request.js';

/**
 * The router's contract with the rest of the gateway. A router turns a decoded request into a
 * plan: the ordered deployments to try and, for every candidate it considered, why it won or
 * lost. The executor runs the plan; nothing else decides where a request goes.
 */

/** One deployment the plan may call: the model, the deployment and its provider's adapter. */
export interface RouteTarget {
  model: ModelEntry;
  deployment: Deployment;
  adapter: ProviderAdapter;
  /** Stable id of the deployment, `provider/model` (live stats and health are keyed on it). */
  key: string;
  /** Its max output tokens (catalog), when `routing.output_limit` is `clamp`: a larger `max_tokens` is lowered to it. */
  clampOutputTo?: number;
}

/** What the router thought of one candidate deployment. */
export interface CandidateVerdict {
  key: string;
  model: string;
  provider: string;
  /** Position in the plan's attempts (0 = tried first); absent when the candidate was dropped. */
  rank?: number;
  /** Policy score (higher is better), when the policy computes one. */
  score?: number;
  /** Expected USD cost of this request on this deployment. */
  predictedCostUsd?: number;
  /** Expected milliseconds to the end of the answer (TTFT + output / tokens per second). */
  predictedLatencyMs?: number;
  /** Latency samples behind the prediction (0 = a prior: catalog/simulator figures or the default). */
  latencySamples?: number;
  /** Why it won, lost or was dropped, in words an operator can read. */
  reason: string;
  /** The `max_tokens` it would be sent (its max output), when the request asked for more. */
  maxTokensClampedTo?: number;
  /**
   * USD the warm provider cache takes off the predicted cost: this deployment served the
   * session's previous turn, so that prompt is expected at its cached-input price.
   */
  warmCacheDiscountUsd?: number;
  /** The learned quality behind `score`: a Beta posterior of success in the request's bucket. */
  posterior?: CandidatePosterior;
  /** The request's fields its upstream wire refuses (the field policy): ranked after those that take them. */
  refusedFields?: readonly string[];
}

/**
 * An agent session's provider-cache state, looked up before planning: which deployment served
 * its previous turn (its provider holds that prompt as a cached prefix) and how long it was.
 */
export interface SessionCache {
  /** The deployment key that served the previous turn; absent on a session's first turn. */
  warmKey?: string;
  /** Prompt tokens of that turn: the prefix expected to be read from the cache. */
  warmPromptTokens?: number;
}

/** A candidate's success posterior, as explain shows it. */
export interface CandidatePosterior {
  /** Posterior mean, 0…1. */
  mean: number;
  /** Beta parameters (prior pseudo-counts plus evidence). */
  alpha: number;
  beta: number;
  /** The prior's mean (registry pass@1 for the language and difficulty, calibrated: `priorOffset`), 0…1. */
  prior: number;
  /**
   * Points (0…1) added to the registry figure before it became `prior`: how far the measured
   * candidates of this plan fell short of (or beat) their own registry figures, on average.
   */
  priorOffset: number;
  /** Outcomes behind it: in the bucket, and elsewhere for this deployment (pooled at a lower weight). */
  evidence: number;
  evidenceElsewhere: number;
}

export interface RoutePlan {
  /** The model or alias the client asked for. */
  modelAsked: string;
  /** The policy that decided (`direct`, `alias`, `tiers`, `cost-optimal`, `weighted`…). */
  policy: string;
  /** The tier chosen, for tiered routing. */
  tier?: string;
  /** The deployments to try, in order. Never empty: a router that finds none throws. */
  attempts: RouteTarget[];
  /** Every candidate considered, winners and losers. */
  candidates: CandidateVerdict[];
  /** Request features the decision used (router-specific shape, for explanations). */
  features?: Record<string, unknown>;
  /** One-line summary for the `x-switchyard-route` header and the ledger's route reason. */
  summary: string;
  /** The latency budget the plan applied (header, tier or policy), if any. */
  latencyBudgetMs?: number;
  /** The request bucket (`language/task/size`) the quality model judged it in, for routed policies. */
  bucket?: string;
  /** The routed name of the policy (`auto`, `cascade`…), for routed policies. */
  policyName?: string;
  /** For a `cascade` policy: the rung chosen (0 = cheapest) and how many rungs there are. */
  rung?: { index: number; count: number };
}

export interface RouteOptions {
  /** Latency budget for the whole answer, from `x-switchyard-latency-budget-ms` or config. */
  latencyBudgetMs?: number;
  /** Wall clock now (ms), injectable for tests. */
  now?: number;
  /** The request id: `weighted` policies with `split: request-id` hash it to pick an arm. */
  requestId?: string;
  /**
   * Evaluate every candidate even when there is no choice to make (explanations). Without it, a
   * model with a single deployment and no latency budget gets its one-attempt plan without
   * feature extraction: the attempt would be the same either way.
   */
  explain?: boolean;
  /**
   * The request belongs to an identified agent session (cache affinity): cached-input prices are
   * counted only on the deployment that served its previous turn, every other one is cold.
   * Absent: the router assumes the prompt before the last user turn is cached wherever the
   * deployment has a cached price.
   */
  session?: SessionCache;
  /** The conversation the request belongs to (session header or prefix hash): a cascade's rung is remembered per conversation. */
  conversation?: string;
  /**
   * The client's fields a deployment's adapter would refuse before the attempt (the endpoint's
   * field policy; empty: it takes them all). Absent when the request sets no field any wire
   * refuses. Deployments that would refuse rank after every one that takes the request.
   */
  refusedFields?: (adapter: ProviderAdapter) => readonly string[];
}

export interface Router {
  plan(request: CanonicalRequest, options?: RouteOptions): RoutePlan;
  /**
   * Whether the plan for a model name can depend on where a session's cache is warm (a policy,
   * or a model on several deployments). False: the one deployment is planned whatever the
   * session, and cache affinity need not look the session up. Absent: assumed true.
   */
  weighsSession?(model: string): boolean;
}

/** Health as the executor's breakers and cooldowns see it; the router skips unavailable deployments. */
export interface DeploymentHealth {
  /** False while the deployment is cooling down or its breaker is open (half-open lets probes through). */
  available(key: string, now: number): boolean;
  /** Deployments that declare a capacity (self-hosted boxes): whether they are saturated now, and why; undefined for the others. */
  capacity?(key: string): CapacityStatus | undefined;
}

/** A self-hosted deployment's load as the router sees it (from its own in-flight count and queue). */
export interface CapacityStatus {
  /** No room within `max_queue_ms`: the plan spills to the other deployments first. */
  saturated: boolean;
  /** In words, for the explanation: in flight, queued, expected wait, marginal cost. */
  detail: string;
}

/** One finished upstream attempt, as the executor reports it to live stats. */
export interface AttemptObservation {
  key: string;
  ok: boolean;
  /** Milliseconds from the start of the attempt to its first content (streams) or to the answer. */
  firstTokenMs?: number;
  /** Milliseconds from the start of the attempt to its end. */
  durationMs: number;
  outputTokens?: number;
  /** The error code when it failed. */
  errorCode?: string;
}

export interface AttemptObserver {
  observe(observation: AttemptObservation): void;
}

export function deploymentKey(provider: string, model: string): string {
  return `${provider}/${model}`;
}
