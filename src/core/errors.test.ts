import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, GatewayError, toGatewayError } from './errors.js';

describe('error registry', () => {
  it('docs/errors.md lists exactly the registered codes, with their status and retryability', () => {
    const text = readFileSync(resolve(import.meta.dirname, '../../docs/errors.md'), 'utf8');
    const rows = [...text.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \| (yes|no) \|/gm)].map((match) => [
      match[1],
      Number(match[2]),
      match[3] === 'yes',
    ]);
    const registry = Object.entries(ERROR_CODES).map(([code, entry]) => [
      code,
      entry.status,
      entry.retryable,
    ]);
    expect(rows).toEqual(registry);
  });

  it('GatewayError takes its status and retryability from the registry unless overridden', () => {
    const error = new GatewayError('upstream_rate_limited', 'slow down', {
      provider: 'p',
      retryAfterMs: 1500,
    });
    expect(error).toMatchObject({
      code: 'upstream_rate_limited',
      status: 429,
      retryable: true,
      provider: 'p',
      retryAfterMs: 1500,
    });
    expect(new GatewayError('upstream_bad_request', 'x', { status: 422 }).status).toBe(422);
  });

  it('wraps unknown throwables as internal_error, keeping the cause', () => {
    const cause = new Error('boom');
    const wrapped = toGatewayError(cause);
    expect(wrapped.code).toBe('internal_error');
    expect(wrapped.cause).toBe(cause);
    expect(wrapped.message).not.toContain('boom');
  });
});
