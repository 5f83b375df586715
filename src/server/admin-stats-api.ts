import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, toStorageError } from '../core/errors.js';
import { latencyByDeployment } from '../dashboard/deployment-latency.js';
import type { RecentPlans } from '../dashboard/recent-plans.js';
import type { Ledger, ReportFigures, ReportRow, SelfHostedPrice } from '../usage/ledger/ledger.js';
import { parseTimeBound } from '../usage/reports/report-range.js';
import { outcomesAnswer } from './admin-outcomes.js';
import { sendJson } from './respond.js';

export interface AdminStatsOptions {
  /** The usage ledger; absent (ledger.enabled: false) = the usage endpoints answer 404. */
  ledger?: Ledger;
  /** Route plans of the newest requests, for `GET /admin/requests/{id}/explain`. */
  plans?: RecentPlans;
  /** `GET /admin/breakeven`: the break-even over the ledger's traffic from the query's settings. */
  breakeven?: (
    query: URLSearchParams,
    from: number,
    to: number,
  ) => Promise<Record<string, unknown>>;
  /** Deployments paid by the hour: the usage figures charge their requests the box's hours (docs/breakeven.md). */
  selfHosted?: () => readonly SelfHostedPrice[];
  /** `GET /admin/capacity`: in-flight and queued requests of deployments that declare a capacity. */
  capacity?: () => unknown;
  now?: () => number;
}

/** Slot lengths the time series picks from: the shortest giving at most 120 slots. */
const SLOTS_MS = [60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000];

/**
 * The read-only admin JSON APIs the dashboard reads (documented in docs/observability.md):
 * `GET /admin/usage`, `/admin/latency`, `/admin/requests`, `/admin/requests/{request id}/explain`,
 * `/admin/breakeven`, `/admin/capacity`, `/admin/outcomes`. Returns false for any other path.
 */
export function createAdminStatsApi(
  options: AdminStatsOptions,
): (request: IncomingMessage, response: ServerResponse, path: string) => Promise<boolean> {
  const now = options.now ?? Date.now;
  return async (request, response, path) => {
    const known =
      path === '/admin/usage' ||
      path === '/admin/latency' ||
      path === '/admin/requests' ||
      path === '/admin/breakeven' ||
      path === '/admin/capacity' ||
      path === '/admin/outcomes' ||
      /^\/admin\/requests\/[^/]+\/explain$/.test(path);
    if (!known) return false;
    const method = request.method ?? 'GET';
    if (method !== 'GET') {
      response.setHeader('allow', 'GET');
      throw new GatewayError('method_not_allowed', `${path} accepts GET, not ${method}.`);
    }
    const query = new URL(request.url ?? '/', 'http://gateway').searchParams;
    if (path === '/admin/capacity') {
      sendJson(response, 200, { object: 'list', data: options.capacity?.() ?? [] });
      return true;
    }
    const explain = /^\/admin\/requests\/([^/]+)\/explain$/.exec(path);
    if (explain) {
      const id = decodeURIComponent(explain[1]!);
      const explanation = options.plans?.explain(id);
      if (!explanation)
        throw new GatewayError(
          'not_found',
          `No route plan kept for request "${id}": this process keeps the newest requests' plans only (the ledger keeps the one-line route reason).`,
        );
      sendJson(response, 200, { request_id: id, explanation });
      return true;
    }
    const ledger = options.ledger;
    if (!ledger)
      throw new GatewayError(
        'not_found',
        `${path} reads the usage ledger, which is disabled (ledger.enabled).`,
      );
    const to = now();
    const from = windowStart(
      query.get('window') ?? (path === '/admin/breakeven' ? '30d' : '24h'),
      to,
    );
    try {
      const body = await answer(path, ledger, query, from, to);
      sendJson(response, 200, body);
    } catch (error) {
      throw error instanceof RangeError
        ? new GatewayError('invalid_request', error.message)
        : toStorageError(error, 'The usage ledger');
    }
    return true;
  };

  async function answer(
    path: string,
    ledger: Ledger,
    query: URLSearchParams,
    from: number,
    to: number,
  ): Promise<unknown> {
    const window = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    if (path === '/admin/usage') {
      const slotMs = SLOTS_MS.find((slot) => (to - from) / slot <= 120) ?? 86_400_000;
      const charged = { selfHosted: options.selfHosted?.() ?? [], now: to };
      const [series, byModel, byProvider, byKey] = await Promise.all([
        ledger.timeSeries({ from, to, slotMs, ...charged }),
        ledger.report({ from, to, groupBy: ['model'], ...charged }),
        ledger.report({ from, to, groupBy: ['provider'], ...charged }),
        ledger.report({ from, to, groupBy: ['key'], ...charged }),
      ]);
      return {
        ...window,
        slot_ms: slotMs,
        totals: {
          ...figures(byModel.totals),
          failovers: series.reduce((sum, slot) => sum + slot.failovers, 0),
        },
        series: series.map((slot) => ({
          start: new Date(slot.start).toISOString(),
          requests: slot.requests,
          errors: slot.errors,
          failovers: slot.failovers,
          cache_hits: slot.cacheHits,
          cost_usd: slot.costUsd,
          saved_by_cache_usd: slot.savedByCacheUsd,
          saved_by_routing_usd: slot.savedByRoutingUsd,
          self_hosted_usd: slot.selfHostedUsd,
        })),
        models: byModel.rows.map((row) => grouped(row, 'model')),
        providers: byProvider.rows.map((row) => grouped(row, 'provider')),
        keys: byKey.rows.map((row) => grouped(row, 'key')),
      };
    }
    if (path === '/admin/latency') {
      const rows = await ledger.attemptRows({ from, to });
      return {
        ...window,
        data: latencyByDeployment(rows).map((line) => ({
          deployment: line.deployment,
          provider: line.provider,
          model: line.model,
          attempts: line.attempts,
          errors: line.errors,
          error_rate: line.errorRate,
          ttft_p50_ms: line.ttftP50Ms,
          ttft_p95_ms: line.ttftP95Ms,
          latency_p50_ms: line.latencyP50Ms,
          latency_p95_ms: line.latencyP95Ms,
          tokens_per_second: line.tokensPerSecond,
        })),
      };
    }
    if (path === '/admin/requests') {
      const limit = Number(query.get('limit') ?? 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new RangeError('limit must be an integer from 1 to 1000');
      const rows = await ledger.recentRequests({ from, to, limit });
      return {
        ...window,
        object: 'list',
        data: rows.map((row) => ({
          request_id: row.requestId,
          started_at: new Date(row.startedAt).toISOString(),
          key_id: row.apiKeyId,
          model_asked: row.modelAsked,
          model: row.model,
          provider: row.provider,
          attempts: row.attempts,
          input_tokens: row.inputTokens,
          output_tokens: row.outputTokens,
          cost_usd: row.costUsd,
          saved_usd: row.savedUsd,
          latency_ms: row.latencyMs,
          first_token_ms: row.firstTokenMs,
          status: row.status,
          error_code: row.errorCode,
          cache_status: row.cacheStatus,
          route_reason: row.routeReason,
          stream: row.stream,
          explanation_kept: options.plans?.has(row.requestId) ?? false,
        })),
      };
    }
    if (path === '/admin/outcomes')
      return { ...window, ...(await outcomesAnswer(ledger, query, from, to)) };
    if (!options.breakeven)
      throw new GatewayError('not_found', 'The break-even calculator is not wired in.');
    return { ...window, ...(await options.breakeven(query, from, to)) };
  }
}

function windowStart(text: string, now: number): number {
  try {
    const from = parseTimeBound(text, now);
    if (from >= now) throw new RangeError(`window "${text}" must reach back in time`);
    return from;
  } catch (error) {
    throw new GatewayError(
      'invalid_request',
      `Bad window: ${error instanceof Error ? error.message : String(error)}`,
      { param: 'window' },
    );
  }
}

function figures(totals: ReportFigures): Record<string, number> {
  return {
    requests: totals.requests,
    errors: totals.errors,
    cache_hits: totals.cacheHits,
    input_tokens: totals.inputTokens,
    cached_input_tokens: totals.cachedInputTokens,
    output_tokens: totals.outputTokens,
    cost_usd: totals.costUsd,
    saved_by_cache_usd: totals.savedByCacheUsd,
    saved_by_routing_usd: totals.savedByRoutingUsd,
    self_hosted_usd: totals.selfHostedUsd,
  };
}

function grouped(row: ReportRow, dimension: 'model' | 'provider' | 'key'): Record<string, unknown> {
  return { [dimension]: row.group[dimension] ?? null, ...figures(row) };
}
