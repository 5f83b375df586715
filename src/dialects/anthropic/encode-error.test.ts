import { describe, expect, it } from 'vitest';
import { GatewayError, type ErrorCode } from '../../core/errors.js';
import { encodeError } from './encode-error.js';

describe('encodeError (Anthropic)', () => {
  it.each<[ErrorCode, number, string]>([
    ['invalid_json', 400, 'invalid_request_error'],
    ['invalid_request', 400, 'invalid_request_error'],
    ['unsupported', 400, 'invalid_request_error'],
    ['context_length_exceeded', 400, 'invalid_request_error'],
    ['model_not_found', 404, 'not_found_error'],
    ['not_found', 404, 'not_found_error'],
    ['method_not_allowed', 405, 'invalid_request_error'],
    ['unauthorized', 401, 'authentication_error'],
    ['body_too_large', 413, 'request_too_large'],
    ['upstream_rate_limited', 429, 'rate_limit_error'],
    ['upstream_unavailable', 503, 'overloaded_error'],
    ['upstream_timeout', 504, 'timeout_error'],
    ['upstream_bad_response', 502, 'api_error'],
    ['internal_error', 500, 'api_error'],
  ])('maps %s to status %i and type %s', (code, status, type) => {
    expect(encodeError(new GatewayError(code, 'Something happened.', { param: 'x' }))).toEqual({
      status,
      body: { type: 'error', error: { type, message: 'Something happened.' } },
    });
  });

  it('maps 403 to permission_error', () => {
    expect(encodeError(new GatewayError('unauthorized', 'No.', { status: 403 })).body).toEqual({
      type: 'error',
      error: { type: 'permission_error', message: 'No.' },
    });
  });
});
