import { randomBytes } from 'node:crypto';

/**
 * W3C Trace Context (`traceparent`) for one request: the trace it belongs to, the gateway's own
 * span for it, and the caller's span when the client sent a `traceparent`. Each upstream attempt
 * gets a span of its own, sent upstream as that attempt's `traceparent`.
 */
export interface TraceContext {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** The gateway's span for the whole request, 16 hex digits. */
  spanId: string;
  /** The client's span, when it sent a valid `traceparent`. */
  parentSpanId?: string;
  /** The sampled flag (bit 0 of trace-flags); propagated as received, set for new traces. */
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const INVALID_TRACE = '0'.repeat(32);
const INVALID_SPAN = '0'.repeat(16);

/** Parses a `traceparent` header value; undefined when it is absent or malformed (then a new trace starts). */
export function parseTraceparent(
  value: string | string[] | undefined,
): { traceId: string; parentSpanId: string; sampled: boolean } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!match || match[1] === 'ff' || match[2] === INVALID_TRACE || match[3] === INVALID_SPAN)
    return undefined;
  return {
    traceId: match[2]!,
    parentSpanId: match[3]!,
    sampled: (Number.parseInt(match[4]!, 16) & 1) === 1,
  };
}

/** The request's trace: continues the client's `traceparent` when valid, else starts a new sampled trace. */
export function startTrace(traceparent: string | string[] | undefined): TraceContext {
  const parent = parseTraceparent(traceparent);
  return parent
    ? {
        traceId: parent.traceId,
        spanId: newSpanId(),
        parentSpanId: parent.parentSpanId,
        sampled: parent.sampled,
      }
    : { traceId: randomBytes(16).toString('hex'), spanId: newSpanId(), sampled: true };
}

export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}

export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}
