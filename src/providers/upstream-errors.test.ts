import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.js';
import {
  abortError,
  codeForStatus,
  errorDetailFromBody,
  errorFromPayload,
  errorFromStatus,
  errorFromTransport,
  parseRetryAfter,
  safeText,
  scrubSecret,
} from './upstream-errors.js';

const context = { provider: 'acme', apiKey: 'sk-live-0123456789abcdef' };
const live = new AbortController().signal;

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('prefers retry-after-ms, then retry-after seconds, then an HTTP-date', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '250.5', 'retry-after': '9' }, now)).toBe(251);
    expect(parseRetryAfter({ 'retry-after': '7' }, now)).toBe(7000);
    expect(parseRetryAfter({ 'retry-after': '1.5' }, now)).toBe(1500);
    expect(parseRetryAfter({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }, now)).toBe(30_000);
  });
  it('never goes negative and ignores garbage', () => {
    expect(parseRetryAfter({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }, now)).toBe(0);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after-ms': '-5' }, now)).toBeUndefined();
    expect(parseRetryAfter({}, now)).toBeUndefined();
  });
});

describe('scrubbing and truncation', () => {
  it('removes every occurrence of the key', () => {
    expect(
      scrubSecret('a sk-live-0123456789abcdef b sk-live-0123456789abcdef', context.apiKey),
    ).toBe('a [redacted] b [redacted]');
    expect(scrubSecret('nothing here', undefined)).toBe('nothing here');
  });
  it('scrubs before truncating, so no prefix of the key survives at the cut', () => {
    const text = `${'x'.repeat(490)}${context.apiKey}`;
    const safe = safeText(text, context);
    expect(safe).not.toContain('sk-live');
    expect(safe.length).toBeLessThanOrEqual(501);
  });
  it('truncates long upstream messages to about 500 characters', () => {
    const error = errorFromStatus(
      400,
      {},
      JSON.stringify({ error: { message: 'y'.repeat(5000) } }),
      context,
    );
    expect(error.message.length).toBeLessThan(560);
    expect(error.message.endsWith('…')).toBe(true);
  });
  it('never puts the key into any error message, whatever the error path', () => {
    const leaky = `bad key ${context.apiKey}`;
    const errors = [
      errorFromStatus(401, {}, JSON.stringify({ error: { message: leaky } }), context),
      errorFromStatus(500, {}, leaky, context),
      errorFromPayload({ message: leaky, type: 'overloaded_error' }, context),
      errorFromTransport(Object.assign(new Error(leaky), { code: 'ECONNRESET' }), live, context),
    ];
    for (const error of errors) expect(error.message).not.toContain(context.apiKey);
  });
});

describe('status mapping', () => {
  const detail = { message: '' };
  it.each([
    [429, 'upstream_rate_limited'],
    [401, 'upstream_auth'],
    [403, 'upstream_auth'],
    [402, 'upstream_auth'],
    [408, 'upstream_timeout'],
    [400, 'upstream_bad_request'],
    [404, 'upstream_bad_request'],
    [409, 'upstream_bad_request'],
    [413, 'upstream_bad_request'],
    [422, 'upstream_bad_request'],
    [500, 'upstream_unavailable'],
    [502, 'upstream_unavailable'],
    [503, 'upstream_unavailable'],
    [504, 'upstream_unavailable'],
    [529, 'upstream_unavailable'],
    [302, 'upstream_bad_response'],
  ])('HTTP %i → %s', (status, code) => {
    expect(codeForStatus(status, detail)).toBe(code);
  });

  it.each([
    ['{"error":{"message":"x","code":"context_length_exceeded"}}'],
    [
      '{"error":{"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"}}',
    ],
    [
      '{"type":"error","error":{"type":"invalid_request_error","message":"input length and `max_tokens` exceed context limit: 199000 + 4096 > 200000"}}',
    ],
    [
      '{"message":"Prompt contains 40000 tokens, too large for model with 32768 maximum context length"}',
    ],
    ['{"error":{"message":"Your input exceeds the context window of this model."}}'],
  ])('recognises context-length errors: %s', (body) => {
    expect(errorFromStatus(400, {}, body, context).code).toBe('context_length_exceeded');
  });

  it('does not call every 400 a context-length error', () => {
    expect(
      errorFromStatus(400, {}, '{"error":{"message":"Invalid value for temperature"}}', context)
        .code,
    ).toBe('upstream_bad_request');
  });

  it('sets provider, upstream status and retryAfterMs on the error', () => {
    const error = errorFromStatus(503, { 'retry-after': '3' }, '', context);
    expect(error).toMatchObject({
      code: 'upstream_unavailable',
      provider: 'acme',
      upstreamStatus: 503,
      retryAfterMs: 3000,
    });
    expect(error.message).toBe('acme: upstream HTTP 503');
  });
});

describe('error payloads', () => {
  it('reads OpenAI, Anthropic, FastAPI and plain-string shapes', () => {
    expect(errorDetailFromBody('{"error":{"message":"m","type":"t","code":"c"}}')).toEqual({
      message: 'm',
      type: 't',
      code: 'c',
    });
    expect(
      errorDetailFromBody(
        '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      ),
    ).toEqual({
      message: 'Overloaded',
      type: 'overloaded_error',
    });
    expect(errorDetailFromBody('{"detail":"Not Found"}')).toEqual({ message: 'Not Found' });
    expect(errorDetailFromBody('{"error":"model not loaded"}')).toEqual({
      message: 'model not loaded',
    });
    expect(errorDetailFromBody('<html>oops</html>')).toEqual({ message: '<html>oops</html>' });
    expect(errorDetailFromBody('{"object":"error","message":"m","code":404}')).toEqual({
      message: 'm',
      code: '404',
      status: 404,
    });
  });

  it('maps in-stream errors by type, then by carried status, else bad response', () => {
    expect(errorFromPayload({ message: '', type: 'overloaded_error' }, context).code).toBe(
      'upstream_unavailable',
    );
    expect(errorFromPayload({ message: '', type: 'rate_limit_error' }, context).code).toBe(
      'upstream_rate_limited',
    );
    expect(errorFromPayload({ message: '', status: 429 }, context).code).toBe(
      'upstream_rate_limited',
    );
    expect(errorFromPayload({ message: '', type: 'api_error' }, context).code).toBe(
      'upstream_bad_response',
    );
  });
});

describe('transport errors', () => {
  const withCode = (code: string) => Object.assign(new Error(`failure ${code}`), { code });
  it.each([
    ['ECONNREFUSED', 'upstream_unavailable'],
    ['ECONNRESET', 'upstream_unavailable'],
    ['EPIPE', 'upstream_unavailable'],
    ['UND_ERR_SOCKET', 'upstream_unavailable'],
    ['ENOTFOUND', 'upstream_unavailable'],
    ['UND_ERR_HEADERS_TIMEOUT', 'upstream_timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'upstream_timeout'],
    ['UND_ERR_CONNECT_TIMEOUT', 'upstream_timeout'],
    ['HPE_INVALID_CHUNK_SIZE', 'upstream_bad_response'],
  ])('%s → %s', (code, expected) => {
    expect(errorFromTransport(withCode(code), live, context)).toMatchObject({
      code: expected,
      provider: 'acme',
    });
  });

  it('reads the code of an AggregateError (happy eyeballs) and of a cause', () => {
    expect(
      errorFromTransport(new AggregateError([withCode('ECONNREFUSED')]), live, context).code,
    ).toBe('upstream_unavailable');
    expect(
      errorFromTransport(new Error('wrapped', { cause: withCode('ETIMEDOUT') }), live, context)
        .code,
    ).toBe('upstream_timeout');
  });

  it('treats code-less errors as gateway bugs', () => {
    expect(errorFromTransport(new TypeError('x is not a function'), live, context).code).toBe(
      'internal_error',
    );
  });

  it('lets an abort by the signal win over whatever undici threw', () => {
    const controller = new AbortController();
    controller.abort();
    expect(errorFromTransport(withCode('UND_ERR_ABORTED'), controller.signal, context).code).toBe(
      'client_closed',
    );
    const reason = new GatewayError('upstream_timeout', 'deadline');
    const timed = new AbortController();
    timed.abort(reason);
    expect(errorFromTransport(withCode('UND_ERR_ABORTED'), timed.signal, context)).toBe(reason);
    expect(abortError(timed.signal, context)).toBe(reason);
  });
});

describe('output-limit errors', () => {
  it('recognizes "max_tokens too large" in the providers\' wordings and nothing else', async () => {
    const { codeForStatus, isOutputLimitError } = await import('./upstream-errors.js');
    for (const message of [
      'max_tokens: 32000 > 8192, which is the maximum allowed number of output tokens for claude-3-5-haiku-20241022',
      'max_tokens is too large: 32000. This model supports at most 8192 completion tokens, whereas you provided 32000.',
      'Invalid max_tokens value, the valid range of max_tokens is [1, 8192]',
      'max_completion_tokens is too large: 40000. This model supports at most 16384 completion tokens',
    ]) {
      expect(isOutputLimitError({ message }), message).toBe(true);
      expect(codeForStatus(400, { message }), message).toBe('output_limit_exceeded');
    }
    for (const message of [
      '`max_tokens` must be greater than `thinking.budget_tokens`.',
      'messages: field required',
      "This model's maximum context length is 128000 tokens",
    ]) {
      expect(codeForStatus(400, { message }), message).not.toBe('output_limit_exceeded');
    }
  });
});
