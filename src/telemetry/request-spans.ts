import type { AttemptReport, RequestReport } from '../core/request-report.js';

/**
 * OpenTelemetry spans of one finished request, in the OTLP/JSON shape: a SERVER span for the
 * request and a CLIENT span per upstream attempt, with the attributes of the GenAI semantic
 * conventions (gen_ai.operation.name, gen_ai.provider.name, gen_ai.request.model,
 * gen_ai.response.model, gen_ai.usage.*, error.type).
 */

export type OtlpValue =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean };
export interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 2 = SERVER, 3 = CLIENT. */
  kind: 2 | 3;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  /** 0 = unset, 1 = ok, 2 = error. */
  status: { code: 0 | 1 | 2; message?: string };
}

export const SPAN_KIND_SERVER = 2;
export const SPAN_KIND_CLIENT = 3;

/** The GenAI operation of an endpoint: chat for chat and messages, text_completion for completions. */
export function operationOf(path: string): string {
  return path === '/v1/completions' ? 'text_completion' : 'chat';
}

function attribute(
  key: string,
  value: string | number | boolean | undefined | null,
): OtlpAttribute[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [{ key, value: { stringValue: value } }];
  if (typeof value === 'boolean') return [{ key, value: { boolValue: value } }];
  return [
    { key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } },
  ];
}

/** Epoch milliseconds (fractional) as a decimal string of nanoseconds. */
export function unixNano(epochMs: number): string {
  const whole = Math.floor(epochMs);
  return (
    BigInt(whole) * 1_000_000n +
    BigInt(Math.round((epochMs - whole) * 1_000_000))
  ).toString();
}

export function requestSpans(record: RequestReport): OtlpSpan[] {
  const trace = record.trace;
  if (!trace) return [];
  const operation = operationOf(record.path);
  const durationMs = record.durationMs ?? performance.now() - record.startedAt;
  // Attempts carry performance.now() times: placed on the wall clock through the request's own pair.
  const wall = (monotonic: number): number => record.startedAtWall + (monotonic - record.startedAt);
  const failed = record.status >= 400 || record.errorCode !== undefined;
  const server: OtlpSpan = {
    traceId: trace.traceId,
    spanId: trace.spanId,
    ...(trace.parentSpanId ? { parentSpanId: trace.parentSpanId } : {}),
    name: `${record.method} ${record.path}`,
    kind: SPAN_KIND_SERVER,
    startTimeUnixNano: unixNano(record.startedAtWall),
    endTimeUnixNano: unixNano(record.startedAtWall + durationMs),
    attributes: [
      ...attribute('http.request.method', record.method),
      ...attribute('url.path', record.path),
      ...attribute('http.response.status_code', record.status),
      ...attribute('gen_ai.operation.name', operation),
      ...attribute('gen_ai.request.model', record.modelAsked),
      ...attribute('gen_ai.response.model', record.model),
      ...attribute('gen_ai.provider.name', record.provider),
      ...attribute('gen_ai.usage.input_tokens', record.usage?.inputTokens),
      ...attribute('gen_ai.usage.output_tokens', record.usage?.outputTokens),
      ...attribute('error.type', record.errorCode),
      ...attribute('switchyard.request_id', record.requestId),
      ...attribute('switchyard.key_id', record.apiKeyId),
      ...attribute('switchyard.cache_status', record.cacheStatus ?? 'none'),
      ...attribute('switchyard.cost_usd', record.costUsd),
      ...attribute('switchyard.route', record.route),
      ...attribute('switchyard.attempts', record.attempts?.length ?? 0),
      ...attribute('switchyard.ttft_ms', record.firstTokenMs),
    ],
    status: failed
      ? { code: 2, message: record.errorCode ?? `HTTP ${record.status}` }
      : { code: 1 },
  };
  const spans = [server];
  for (const attempt of record.attempts ?? []) {
    if (attempt.spanId === undefined) continue;
    spans.push(
      attemptSpan(
        attempt,
        trace.traceId,
        trace.spanId,
        operation,
        wall,
        wall(record.startedAt + durationMs),
      ),
    );
  }
  return spans;
}

function attemptSpan(
  attempt: AttemptReport,
  traceId: string,
  parentSpanId: string,
  operation: string,
  wall: (monotonic: number) => number,
  requestEnd: number,
): OtlpSpan {
  const failed = attempt.errorCode !== undefined;
  return {
    traceId,
    spanId: attempt.spanId!,
    parentSpanId,
    name: `${operation} ${attempt.upstreamModel}`,
    kind: SPAN_KIND_CLIENT,
    startTimeUnixNano: unixNano(attempt.startedAtWall),
    endTimeUnixNano: unixNano(attempt.endedAt === undefined ? requestEnd : wall(attempt.endedAt)),
    attributes: [
      ...attribute('gen_ai.operation.name', operation),
      ...attribute('gen_ai.provider.name', attempt.provider),
      ...attribute('gen_ai.request.model', attempt.upstreamModel),
      ...attribute('gen_ai.response.model', attempt.upstreamModel),
      ...attribute('gen_ai.usage.input_tokens', attempt.usage?.inputTokens),
      ...attribute('gen_ai.usage.output_tokens', attempt.usage?.outputTokens),
      ...attribute('error.type', attempt.errorCode),
      ...attribute('http.response.status_code', attempt.status),
      ...attribute('switchyard.model', attempt.model),
      ...attribute('switchyard.cost_usd', attempt.costUsd),
      ...attribute('switchyard.end_reason', attempt.endReason),
      ...attribute(
        'switchyard.ttft_ms',
        attempt.firstTokenAt === undefined ? undefined : attempt.firstTokenAt - attempt.startedAt,
      ),
    ],
    status: failed ? { code: 2, message: attempt.errorCode! } : { code: 1 },
  };
}
