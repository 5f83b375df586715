import { Registry, collectDefaultMetrics } from 'prom-client';
import { LabeledCounter, LabeledHistogram } from './labeled-metrics.js';
import type { RequestRecord } from './request-record.js';

/** Paths used as the `endpoint` label; anything else is "other" (clients must not mint label values). */
const KNOWN_ENDPOINTS = new Set(['/v1/chat/completions', '/v1/completions', '/v1/messages', '/v1/models', '/health', '/healthz', '/metrics']);

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * Prometheus metrics, fed from the request record once per finished request (never on the
 * per-chunk path). One registry per gateway, so several gateways in one process (tests) do not
 * collide. Labels are bounded: model and provider come from config, never from the client
 * (a request for an unknown model is counted as model="-").
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: LabeledCounter;
  private readonly tokens: LabeledCounter;
  private readonly cost: LabeledCounter;
  private readonly cacheHits: LabeledCounter;
  private readonly latency: LabeledHistogram;
  private readonly timeToFirstToken: LabeledHistogram;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registry = this.registry;
    this.requests = new LabeledCounter('switchyard_requests_total', 'Client requests by outcome (code is empty on success).', ['endpoint', 'model', 'provider', 'status', 'code'], registry);
    this.tokens = new LabeledCounter('switchyard_tokens_total', 'Tokens reported by providers, by kind (input, cached_input, output, reasoning).', ['model', 'provider', 'kind'], registry);
    this.cost = new LabeledCounter('switchyard_cost_usd_total', 'Upstream spend in USD.', ['model', 'provider'], registry);
    this.cacheHits = new LabeledCounter('switchyard_cache_hits_total', 'Requests answered from the cache.', ['model'], registry);
    this.latency = new LabeledHistogram('switchyard_request_duration_seconds', 'Time from request arrival to the end of the response.', ['endpoint', 'model', 'provider', 'stream'], LATENCY_BUCKETS, registry);
    this.timeToFirstToken = new LabeledHistogram('switchyard_time_to_first_token_seconds', 'Streams: time from request arrival to the first content sent.', ['model', 'provider'], LATENCY_BUCKETS, registry);
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'switchyard_' });
  }

  observe(record: RequestRecord): void {
    const model = record.model ?? '-';
    const provider = record.provider ?? '-';
    const endpoint = KNOWN_ENDPOINTS.has(record.path) ? record.path : record.path.startsWith('/v1/models/') ? '/v1/models/{id}' : 'other';
    this.requests.inc([endpoint, model, provider, String(record.status), record.errorCode ?? '']);
    if (record.durationMs !== undefined) this.latency.observe([endpoint, model, provider, record.stream ? 'true' : 'false'], record.durationMs / 1000);
    if (record.firstTokenMs !== undefined) this.timeToFirstToken.observe([model, provider], record.firstTokenMs / 1000);
    const usage = record.usage;
    if (usage) {
      this.tokens.inc([model, provider, 'input'], usage.inputTokens);
      this.tokens.inc([model, provider, 'output'], usage.outputTokens);
      if (usage.cachedInputTokens) this.tokens.inc([model, provider, 'cached_input'], usage.cachedInputTokens);
      if (usage.reasoningTokens) this.tokens.inc([model, provider, 'reasoning'], usage.reasoningTokens);
    }
    if (record.costUsd !== undefined && record.costUsd > 0) this.cost.inc([model, provider], record.costUsd);
    if (record.cacheStatus === 'hit') this.cacheHits.inc([model]);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
