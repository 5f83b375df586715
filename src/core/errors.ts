/**
 * The one error type of the gateway. Every failure that reaches a client is a GatewayError with
 * a stable `code`; dialects turn it into their wire shape, failover reads `retryable` only.
 * The table below is the registry of codes: docs/errors.md is kept in sync by a test.
 */
export const ERROR_CODES = {
  // Client errors: bad input. They never change state.
  invalid_json: {
    status: 400,
    retryable: false,
    description: 'The request body is not valid JSON.',
  },
  invalid_request: {
    status: 400,
    retryable: false,
    description: 'A field is missing, has the wrong type or an invalid value.',
  },
  body_too_large: {
    status: 413,
    retryable: false,
    description: 'The request body exceeds the configured size limit.',
  },
  model_not_found: {
    status: 404,
    retryable: false,
    description: 'The requested model or alias is not served by this gateway.',
  },
  unsupported: {
    status: 400,
    retryable: false,
    description:
      'The model cannot serve this kind of request (for example completions on a chat-only upstream).',
  },
  unauthorized: { status: 401, retryable: false, description: 'Missing or invalid API key.' },
  model_not_allowed: {
    status: 403,
    retryable: false,
    description: "The API key may not use this model (the key's allowed models).",
  },
  rate_limited: {
    status: 429,
    retryable: true,
    description:
      "The API key's requests-per-minute or tokens-per-minute limit is reached; retry after `retry-after` seconds.",
  },
  budget_exceeded: {
    status: 429,
    retryable: false,
    description: "The API key's daily, monthly or total USD budget would be exceeded.",
  },
  not_found: { status: 404, retryable: false, description: 'No such endpoint.' },
  response_not_found: {
    status: 404,
    retryable: false,
    description:
      'No stored Responses API response with that id for this API key (never stored, expired, deleted, or created with another key).',
  },
  request_not_found: {
    status: 404,
    retryable: false,
    description:
      'POST /v1/feedback: no request with that id within the feedback window (or its ledger row is not written yet).',
  },
  feedback_forbidden: {
    status: 403,
    retryable: false,
    description:
      'POST /v1/feedback: the request was made with another API key; feedback is accepted from the key that made it, or with the admin token.',
  },
  method_not_allowed: {
    status: 405,
    retryable: false,
    description: 'The endpoint does not accept this HTTP method.',
  },
  request_timeout: {
    status: 408,
    retryable: true,
    description:
      'The request headers or body did not arrive within `server.headers_timeout_ms` / `server.request_timeout_ms`; the connection is closed.',
  },
  headers_too_large: {
    status: 431,
    retryable: false,
    description:
      'The request line and headers exceed the server limit (16 KiB); the connection is closed.',
  },
  // Upstream errors: the provider failed. Retryable ones may be failed over.
  upstream_rate_limited: {
    status: 429,
    retryable: true,
    description: 'The provider rate-limited the request (HTTP 429).',
  },
  upstream_unavailable: {
    status: 503,
    retryable: true,
    description: 'The provider is unavailable (HTTP 5xx, connection refused or reset).',
  },
  upstream_timeout: {
    status: 504,
    retryable: true,
    description: 'The provider did not answer in time.',
  },
  upstream_auth: {
    status: 502,
    retryable: false,
    description:
      "The provider rejected the gateway's credentials (HTTP 401/403). The key is never shown.",
  },
  upstream_bad_request: {
    status: 400,
    retryable: false,
    description: 'The provider rejected the request as invalid (HTTP 400/404/422).',
  },
  context_length_exceeded: {
    status: 400,
    retryable: false,
    description: "The prompt does not fit the model's context window.",
  },
  output_limit_exceeded: {
    status: 400,
    retryable: false,
    description:
      "The request's `max_tokens` is above the model's maximum output and no deployment that fits (or may be clamped, `routing.output_limit: clamp`) could serve it; failed over while another deployment could.",
  },
  upstream_bad_response: {
    status: 502,
    retryable: true,
    description:
      'The provider answered with something that is not a valid response (bad JSON, broken stream).',
  },
  invalid_structured_output: {
    status: 502,
    retryable: false,
    description:
      "Every model tried answered with JSON or tool arguments that failed the request's response_format / tool schema (each attempt is in the ledger).",
  },
  upstream_stream_interrupted: {
    status: 502,
    retryable: false,
    description: 'The provider stream broke after part of the answer was already sent.',
  },
  // Gateway errors.
  overloaded: {
    status: 503,
    retryable: true,
    description:
      'The gateway is at its limit of open connections (`server.max_connections`) or of buffered request bytes (`server.max_buffered_body`); retry after `retry-after` seconds.',
  },
  storage_unavailable: {
    status: 503,
    retryable: true,
    description:
      'The key store or the ledger database (SQLite or PostgreSQL) is unreachable, or the shared state store (Redis) is and a budgeted key is refused under `shared_state.budgets_when_down: fail_closed`; retry after `retry-after` seconds. Keys already loaded keep working.',
  },
  internal_error: {
    status: 500,
    retryable: false,
    description: 'An unexpected error inside the gateway.',
  },
  client_closed: {
    status: 499,
    retryable: false,
    description: 'The client closed the connection before the answer was complete.',
  },
} as const satisfies Record<string, { status: number; retryable: boolean; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface GatewayErrorOptions {
  /** Override the code's default HTTP status. */
  status?: number;
  /** Override the code's default retryability. */
  retryable?: boolean;
  /** The request field at fault, as the client named it (e.g. `messages[0].content`). */
  param?: string;
  /** Provider id when the error came from upstream. */
  provider?: string;
  /** Milliseconds the provider asked us to wait (Retry-After / retry-after-ms). */
  retryAfterMs?: number;
  /** Upstream HTTP status, when there was one. */
  upstreamStatus?: number;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly param: string | undefined;
  readonly provider: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly upstreamStatus: number | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? ERROR_CODES[code].status;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.param = options.param;
    this.provider = options.provider;
    this.retryAfterMs = options.retryAfterMs;
    this.upstreamStatus = options.upstreamStatus;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

/** How long a client refused for an unreachable store is asked to wait. */
export const STORAGE_RETRY_AFTER_MS = 1000;

/**
 * A failure of the key store, the spend guard's store or the ledger database as the client sees
 * it: 503 `storage_unavailable` (retryable), never a 500. GatewayErrors pass through unchanged.
 */
export function toStorageError(value: unknown, what: string): GatewayError {
  if (value instanceof GatewayError) return value;
  return new GatewayError('storage_unavailable', `${what} is unreachable; retry shortly.`, {
    retryAfterMs: STORAGE_RETRY_AFTER_MS,
    cause: value,
  });
}

/** Wraps anything thrown into a GatewayError; unknown errors become `internal_error`. */
export function toGatewayError(value: unknown): GatewayError {
  if (value instanceof GatewayError) return value;
  return new GatewayError('internal_error', 'Internal gateway error.', { cause: value });
}
