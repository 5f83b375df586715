import type { GatewayError } from '../../core/errors.js';
import type { EncodedError } from '../types.js';

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'overloaded_error'
  | 'api_error';

/**
 * Anthropic's error `type` for a gateway error. Every 404 (unknown endpoint or unknown model) is
 * `not_found_error`, as the Anthropic API answers an unknown model. 408 and 504 are Anthropic's
 * `timeout_error`, 503 (upstream unavailable) its `overloaded_error`.
 */
export function anthropicErrorType(error: GatewayError): AnthropicErrorType {
  const status = error.status;
  if (status === 404) return 'not_found_error';
  if (status === 408) return 'timeout_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503) return 'overloaded_error';
  if (status === 504) return 'timeout_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

export function encodeErrorBody(error: GatewayError): {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
} {
  return { type: 'error', error: { type: anthropicErrorType(error), message: error.message } };
}

/** A GatewayError as Anthropic's `{type: 'error', error: {type, message}}` with the error's status. */
export function encodeError(error: GatewayError): EncodedError {
  return { status: error.status, body: encodeErrorBody(error) };
}
