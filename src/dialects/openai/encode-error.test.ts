import { describe, expect, it } from 'vitest';
import { GatewayError, type ErrorCode } from '../../core/errors.js';
import { encodeError } from './encode-error.js';

describe('encodeError (OpenAI)', () => {
  it('encodes message, type, param and code', () => {
    const error = new GatewayError('invalid_request', '`n` must be an integer between 1 and 16', {
      param: 'n',
    });
    expect(encodeError(error)).toEqual({
      status: 400,
      body: {
        error: {
          message: '`n` must be an integer between 1 and 16',
          type: 'invalid_request_error',
          param: 'n',
          code: 'invalid_request',
        },
      },
    });
  });

  it.each<[ErrorCode, number, string]>([
    ['invalid_json', 400, 'invalid_request_error'],
    ['body_too_large', 413, 'invalid_request_error'],
    ['model_not_found', 404, 'invalid_request_error'],
    ['not_found', 404, 'invalid_request_error'],
    ['method_not_allowed', 405, 'invalid_request_error'],
    ['unauthorized', 401, 'authentication_error'],
    ['upstream_rate_limited', 429, 'rate_limit_error'],
    ['upstream_unavailable', 503, 'api_error'],
    ['upstream_timeout', 504, 'api_error'],
    ['upstream_auth', 502, 'api_error'],
    ['internal_error', 500, 'api_error'],
  ])('maps %s to status %i and type %s with a null param', (code, status, type) => {
    const encoded = encodeError(new GatewayError(code, 'message'));
    expect(encoded.status).toBe(status);
    expect(encoded.body).toEqual({ error: { message: 'message', type, param: null, code } });
  });

  it('maps 403 to permission_error', () => {
    const encoded = encodeError(new GatewayError('unauthorized', 'Forbidden.', { status: 403 }));
    expect(encoded).toMatchObject({ status: 403, body: { error: { type: 'permission_error' } } });
  });
});
