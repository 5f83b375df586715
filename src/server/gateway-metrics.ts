import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestRecord } from '../pipeline/request-record.js';

/** Paths used as the `endpoint` label; anything else is "other" (clients must not mint label values). */
const KNOWN_ENDPOINTS = new Set([
  '/v1/chat/completions',
  '/v1/completions',
  '/v1/messages',
  '/v1/models',
  '/health',
  '/healthz',
  '/metrics',
]);

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * Prometheus metrics, fed from the request record once per finished request (never on the
 * per-chunk path). One registry per gateway, so several gateways in one process (tests) do not
 * collide. Labels are bounded: model and provider come from config, never from the client
 * (a request for an unknown model is counted as model="-").
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'endpoint' | 'model' | 'provider' | 'status' | 'code'>;
  private readonly tokens: Counter<'model' | 'provider' | 'kind'>;
  private readonly cost: Counter<'model' | 'provider'>;
  private readonly cacheHits: Counter<'model'>;
  private readonly latency: Histogram<'endpoint' | 'model' | 'provider' | 'stream'>;
  private readonly timeToFirstToken: Histogram<'model' | 'provider'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'switchyard_requests_total',
      help: 'Client requests by outcome (code is empty on success).',
      labelNames: ['endpoint', 'model', 'provider', 'status', 'code'],
      registers,
    });
    this.tokens = new Counter({
      name: 'switchyard_tokens_total',
      help: 'Tokens reported by providers, by kind (input, cached_input, output, reasoning).',
      labelNames: ['model', 'provider', 'kind'],
      registers,
    });
    this.cost = new Counter({
      name: 'switchyard_cost_usd_total',
      help: 'Upstream spend in USD.',
      labelNames: ['model', 'provider'],
      registers,
    });
    this.cacheHits = new Counter({
      name: 'switchyard_cache_hits_total',
      help: 'Requests answered from the cache.',
      labelNames: ['model'],
      registers,
    });
    this.latency = new Histogram({
      name: 'switchyard_request_duration_seconds',
      help: 'Time from request arrival to the end of the response.',
      labelNames: ['endpoint', 'model', 'provider', 'stream'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.timeToFirstToken = new Histogram({
      name: 'switchyard_time_to_first_token_seconds',
      help: 'Streams: time from request arrival to the first content sent.',
      labelNames: ['model', 'provider'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    if (options.processMetrics)
      collectDefaultMetrics({ register: this.registry, prefix: 'switchyard_' });
  }

  observe(record: RequestRecord): void {
    const model = record.model ?? '-';
    const provider = record.provider ?? '-';
    const endpoint = KNOWN_ENDPOINTS.has(record.path)
      ? record.path
      : record.path.startsWith('/v1/models/')
        ? '/v1/models/{id}'
        : 'other';
    this.requests.inc({
      endpoint,
      model,
      provider,
      status: String(record.status),
      code: record.errorCode ?? '',
    });
    const stream = record.stream ? 'true' : 'false';
    if (Number.isFinite(record.durationMs))
      this.latency.observe({ endpoint, model, provider, stream }, record.durationMs! / 1000);
    if (Number.isFinite(record.firstTokenMs))
      this.timeToFirstToken.observe({ model, provider }, record.firstTokenMs! / 1000);
    const usage = record.usage;
    if (usage) {
      this.tokens.inc({ model, provider, kind: 'input' }, usage.inputTokens);
      this.tokens.inc({ model, provider, kind: 'output' }, usage.outputTokens);
      if (usage.cachedInputTokens)
        this.tokens.inc({ model, provider, kind: 'cached_input' }, usage.cachedInputTokens);
      if (usage.reasoningTokens)
        this.tokens.inc({ model, provider, kind: 'reasoning' }, usage.reasoningTokens);
    }
    if (record.costUsd !== undefined && record.costUsd > 0)
      this.cost.inc({ model, provider }, record.costUsd);
    if (record.cacheStatus === 'hit') this.cacheHits.inc({ model });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
