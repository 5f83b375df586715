import type { IncomingHttpHeaders } from 'node:http';
import type { CancelSignal } from '../core/cancel.js';
import { GatewayError, type ErrorCode } from '../core/errors.js';
import { redactText } from '../core/redact.js';

/** Who made the upstream call: names the provider in messages and knows the secret to scrub. */
export interface UpstreamErrorContext {
  provider: string;
  /** The provider's API key; any occurrence is removed from text put into an error message. */
  apiKey?: string;
}

/** Longest upstream error text quoted in a GatewayError message. */
export const MAX_UPSTREAM_MESSAGE_LENGTH = 500;

const REDACTED = '[redacted]';

/** Removes every occurrence of the secret from the text. */
export function scrubSecret(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length === 0 || !text.includes(secret)) return text;
  return text.split(secret).join(REDACTED);
}

/** Scrubs first (so truncation never leaves half a key), then truncates. */
export function safeText(
  text: string,
  context: UpstreamErrorContext,
  limit = MAX_UPSTREAM_MESSAGE_LENGTH,
): string {
  const scrubbed = redactText(scrubSecret(text, context.apiKey)).trim();
  return scrubbed.length > limit ? `${scrubbed.slice(0, limit)}…` : scrubbed;
}

/**
 * Milliseconds the upstream asked us to wait: `retry-after-ms` (OpenAI), else `retry-after` as
 * seconds or an HTTP-date. Undefined when absent or unparseable.
 */
export function parseRetryAfter(
  headers: IncomingHttpHeaders,
  now = Date.now(),
): number | undefined {
  const milliseconds = firstHeader(headers['retry-after-ms']);
  if (milliseconds !== undefined && /^\d+(\.\d+)?$/.test(milliseconds.trim())) {
    return Math.ceil(Number(milliseconds));
  }
  const retryAfter = firstHeader(headers['retry-after'])?.trim();
  if (retryAfter === undefined || retryAfter === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The interesting parts of an upstream error payload, whatever its dialect. */
export interface UpstreamErrorDetail {
  message: string;
  /** OpenAI `error.code` / vLLM numeric `code`, as text. */
  code?: string;
  /** OpenAI `error.type` / Anthropic `error.type`. */
  type?: string;
  /** A numeric HTTP status carried in the payload (OpenRouter, vLLM mid-stream errors). */
  status?: number;
}

/**
 * Reads an error out of a parsed payload: OpenAI `{error: {message, type, code}}`, Anthropic
 * `{type: 'error', error: {type, message}}`, Mistral `{message: {...}}`, FastAPI `{detail}`,
 * or `{error: "text"}`.
 */
export function errorDetailFromPayload(payload: unknown): UpstreamErrorDetail | undefined {
  if (!isRecord(payload)) return undefined;
  const inner = payload['error'];
  if (typeof inner === 'string') return { message: inner };
  const source = isRecord(inner) ? inner : payload;
  const rawMessage =
    source['message'] ?? source['detail'] ?? payload['message'] ?? payload['detail'];
  if (rawMessage === undefined && !isRecord(inner)) return undefined;
  const message =
    typeof rawMessage === 'string'
      ? rawMessage
      : rawMessage === undefined
        ? ''
        : JSON.stringify(rawMessage);
  const detail: UpstreamErrorDetail = { message };
  const code = source['code'];
  if (typeof code === 'string') detail.code = code;
  if (typeof code === 'number') {
    detail.code = String(code);
    if (code >= 100 && code <= 599) detail.status = code;
  }
  const type = source['type'];
  if (typeof type === 'string') detail.type = type;
  return detail;
}

/** Parses an error body; falls back to its raw text when it is not JSON. */
export function errorDetailFromBody(bodyText: string): UpstreamErrorDetail {
  if (bodyText.length === 0) return { message: '' };
  try {
    return errorDetailFromPayload(JSON.parse(bodyText)) ?? { message: bodyText };
  } catch {
    return { message: bodyText };
  }
}

const CONTEXT_LENGTH_PATTERN =
  /context[_ ]length|maximum context|prompt is too long|context window|context size|exceeds? (the )?(model'?s? )?(available )?context/i;

/** True when an upstream 4xx is really "the prompt does not fit the context window". */
export function isContextLengthError(detail: UpstreamErrorDetail): boolean {
  if (detail.code === 'context_length_exceeded' || detail.type === 'exceed_context_size_error')
    return true;
  return CONTEXT_LENGTH_PATTERN.test(detail.message);
}

const OUTPUT_LIMIT_PATTERN =
  /\b(max_tokens|max_completion_tokens|max_output_tokens)\b.*\b(too large|at most|maximum|exceeds?|greater than|valid range)|\b(max_tokens|max_completion_tokens)\b: ?\d+ ?> ?\d+/i;

/** True when an upstream 4xx is really "max_tokens is above this model's output limit" (another model may take it). */
export function isOutputLimitError(detail: UpstreamErrorDetail): boolean {
  return OUTPUT_LIMIT_PATTERN.test(detail.message) && !/budget_tokens/.test(detail.message);
}

/** Maps an upstream HTTP status (and its error detail) to a gateway error code. */
export function codeForStatus(status: number, detail: UpstreamErrorDetail): ErrorCode {
  if (status === 429) return 'upstream_rate_limited';
  if (status === 401 || status === 402 || status === 403) return 'upstream_auth';
  if (status === 408) return 'upstream_timeout';
  if (status >= 400 && status < 500) {
    if (
      (status === 400 || status === 404 || status === 413 || status === 422) &&
      isContextLengthError(detail)
    ) {
      return 'context_length_exceeded';
    }
    if ((status === 400 || status === 422) && isOutputLimitError(detail))
      return 'output_limit_exceeded';
    return 'upstream_bad_request';
  }
  if (status >= 500 && status <= 599) return 'upstream_unavailable';
  return 'upstream_bad_response';
}

/** The GatewayError for a non-2xx upstream answer. */
export function errorFromStatus(
  status: number,
  headers: IncomingHttpHeaders,
  bodyText: string,
  context: UpstreamErrorContext,
): GatewayError {
  const detail = errorDetailFromBody(bodyText);
  const code = codeForStatus(status, detail);
  const quoted = safeText(detail.message, context);
  const message = `${context.provider}: upstream HTTP ${status}${quoted === '' ? '' : `: ${quoted}`}`;
  const retryAfterMs = parseRetryAfter(headers);
  return new GatewayError(code, message, {
    provider: context.provider,
    upstreamStatus: status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/**
 * The GatewayError for an error the upstream reported inside a 2xx answer (a mid-stream
 * `{"error": …}` chunk, an Anthropic `error` event). A status carried in the payload is mapped
 * like an HTTP status; `overloaded_error` / `rate_limit_error` by their type; anything else is
 * a bad response.
 */
export function errorFromPayload(
  detail: UpstreamErrorDetail,
  context: UpstreamErrorContext,
): GatewayError {
  const quoted = safeText(detail.message, context);
  const label = detail.type ?? (detail.code === undefined ? 'an error' : `error ${detail.code}`);
  const message = `${context.provider}: upstream reported ${label} during the response${quoted === '' ? '' : `: ${quoted}`}`;
  let code: ErrorCode = 'upstream_bad_response';
  if (detail.type === 'overloaded_error') code = 'upstream_unavailable';
  else if (detail.type === 'rate_limit_error' || detail.code === 'rate_limit_exceeded')
    code = 'upstream_rate_limited';
  else if (detail.status !== undefined && detail.status >= 400)
    code = codeForStatus(detail.status, detail);
  return new GatewayError(code, message, {
    provider: context.provider,
    ...(detail.status === undefined ? {} : { upstreamStatus: detail.status }),
  });
}

/** A 2xx answer that is not what the wire format promises (bad JSON, broken stream). */
export function badResponse(
  context: UpstreamErrorContext,
  problem: string,
  cause?: unknown,
): GatewayError {
  return new GatewayError(
    'upstream_bad_response',
    `${context.provider}: ${safeText(problem, context)}`,
    {
      provider: context.provider,
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

/** The error for a call aborted by its signal: the signal's GatewayError reason, else client_closed. */
export function abortError(signal: CancelSignal, context: UpstreamErrorContext): GatewayError {
  const reason: unknown = signal.reason;
  if (reason instanceof GatewayError) return reason;
  return new GatewayError(
    'client_closed',
    `${context.provider}: upstream call aborted by the client`,
    {
      provider: context.provider,
      cause: reason,
    },
  );
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);
const BAD_RESPONSE_CODES = new Set([
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'UND_ERR_INFO',
  'HPE_INVALID_CONSTANT',
]);

/**
 * Maps a thrown transport error (undici or socket) to a GatewayError. Aborts by the signal win
 * over whatever undici threw; socket failures are `upstream_unavailable`; undici timeouts are
 * `upstream_timeout`; errors without a code are gateway bugs (`internal_error`).
 */
export function errorFromTransport(
  error: unknown,
  signal: CancelSignal,
  context: UpstreamErrorContext,
): GatewayError {
  if (signal.aborted) return abortError(signal, context);
  if (error instanceof GatewayError) return error;
  const code = transportCode(error);
  const description = error instanceof Error ? safeText(error.message, context, 200) : '';
  const suffix = `${code ?? 'unknown error'}${description === '' ? '' : `: ${description}`}`;
  const options = { provider: context.provider, cause: error };
  if (code === undefined) {
    return new GatewayError(
      'internal_error',
      `${context.provider}: upstream call failed (${suffix})`,
      options,
    );
  }
  if (TIMEOUT_CODES.has(code)) {
    return new GatewayError(
      'upstream_timeout',
      `${context.provider}: upstream did not answer in time (${suffix})`,
      options,
    );
  }
  if (BAD_RESPONSE_CODES.has(code) || code.startsWith('HPE_')) {
    return new GatewayError(
      'upstream_bad_response',
      `${context.provider}: malformed upstream HTTP response (${suffix})`,
      options,
    );
  }
  if (code === 'UND_ERR_ABORTED') {
    return new GatewayError(
      'client_closed',
      `${context.provider}: upstream call aborted (${suffix})`,
      options,
    );
  }
  return new GatewayError(
    'upstream_unavailable',
    `${context.provider}: connection to upstream failed (${suffix})`,
    options,
  );
}

function transportCode(error: unknown, depth = 0): string | undefined {
  if (!isRecord(error) && !(error instanceof Error)) return undefined;
  const record = error as Record<string, unknown>;
  const code = record['code'];
  if (typeof code === 'string') return code;
  if (depth >= 3) return undefined;
  const nested = record['errors'];
  if (Array.isArray(nested)) return transportCode(nested[0], depth + 1);
  return transportCode(record['cause'], depth + 1);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
