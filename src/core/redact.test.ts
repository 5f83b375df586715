import { describe, expect, it } from 'vitest';
import { isSecretName, redactHeaders, redactText, redactUrl } from './redact.js';

describe('redaction', () => {
  it('removes userinfo and secret-looking query parameters from a URL', () => {
    expect(
      redactUrl(
        'https://user:hunter2@api.example.com/v1?api-key=sk-123&region=eu&x_token=abc#frag',
      ),
    ).toBe('https://***@api.example.com/v1?api-key=***&region=eu&x_token=***#frag');
    expect(redactUrl('postgres://app:pw@db:5432/ledger')).toBe('postgres://***@db:5432/ledger');
    expect(redactUrl('http://127.0.0.1:4000/v1?sig=abc')).toBe('http://127.0.0.1:4000/v1?sig=***');
    expect(redactUrl('https://api.example.com/v1')).toBe('https://api.example.com/v1');
  });

  it('redacts every URL inside a free text', () => {
    expect(redactText('connect failed to https://u:p@h.example/x?key=1 (retrying)')).toBe(
      'connect failed to https://***@h.example/x?key=*** (retrying)',
    );
  });

  it('knows the built-in secret header names and the configured ones', () => {
    for (const name of [
      'authorization',
      'x-api-key',
      'api-key',
      'x-session',
      'x-auth-token',
      'cookie',
      'x-client-secret',
    ])
      expect(isSecretName(name)).toBe(true);
    expect(isSecretName('x-region')).toBe(false);
    expect(
      redactHeaders(
        { 'x-region': 'eu', 'x-tenant': 't1', 'x-session': 's' },
        new Set(['x-tenant']),
      ),
    ).toEqual({ 'x-region': 'eu', 'x-tenant': '***', 'x-session': '***' });
  });
});
