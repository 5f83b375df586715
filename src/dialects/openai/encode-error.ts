import type { GatewayError } from '../../core/errors.js';
import type { EncodedError } from '../types.js';

export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'rate_limit_error'
  | 'api_error';

/** The `error` object of an OpenAI error body, also sent inside a stream. */
export interface OpenAIErrorObject {
  message: string;
  type: OpenAIErrorType;
  param: string | null;
  code: string;
}

/** OpenAI's error `type` for an HTTP status. OpenAI uses invalid_request_error for unknown models too. */
export function openAIErrorType(status: number): OpenAIErrorType {
  if (status >= 500) return 'api_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  return 'invalid_request_error';
}

export function encodeErrorObject(error: GatewayError): OpenAIErrorObject {
  return {
    message: error.message,
    type: openAIErrorType(error.status),
    param: error.param ?? null,
    code: error.code,
  };
}

/** A GatewayError as OpenAI's `{error: {message, type, param, code}}` with the error's status. */
export function encodeError(error: GatewayError): EncodedError {
  return { status: error.status, body: { error: encodeErrorObject(error) } };
}
