import type { Logger } from 'pino';
import { redactBody } from './redact-body.js';
import type { RequestReport } from '../core/request-report.js';

export interface RequestLogOptions {
  /** Add the request body (redacted, cut at maxBytes) to each line. */
  bodies?: { maxBytes: number };
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/**
 * The fields of one request's log line. Keys appear by id (virtual key id or `static-…`), never
 * the key itself. Absent facts are null, so every line has the same fields.
 */
export function requestLogFields(
  record: RequestReport,
  options: RequestLogOptions = {},
): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    request_id: record.requestId,
    method: record.method,
    path: record.path,
    status: record.status,
    key_id: record.apiKeyId ?? null,
    model_asked: record.modelAsked ?? null,
    model: record.model ?? null,
    provider: record.provider ?? null,
    error_code: record.errorCode ?? null,
    cache: record.cacheStatus ?? 'none',
    cost_usd: record.costUsd === undefined ? null : round(record.costUsd, 9),
    cost_estimated: record.costEstimated ?? false,
    latency_ms: round(record.durationMs ?? performance.now() - record.startedAt, 1),
    ttft_ms: record.firstTokenMs === undefined ? null : round(record.firstTokenMs, 1),
    attempts: record.attempts?.length ?? 0,
    stream: record.stream,
    input_tokens: record.usage?.inputTokens ?? null,
    output_tokens: record.usage?.outputTokens ?? null,
    route: record.route ?? null,
    trace_id: record.trace?.traceId ?? null,
  };
  if (options.bodies && record.requestBody !== undefined)
    fields.body = redactBody(record.requestBody, options.bodies.maxBytes);
  return fields;
}

/** Writes one line per finished request: info for answers, warn for client errors (4xx), error for 5xx. */
export function createRequestLog(
  logger: Logger,
  options: RequestLogOptions = {},
): (record: RequestReport) => void {
  return (record) => {
    const fields = requestLogFields(record, options);
    if (record.status >= 500) logger.error(fields, 'request');
    else if (record.status >= 400) logger.warn(fields, 'request');
    else logger.info(fields, 'request');
  };
}
