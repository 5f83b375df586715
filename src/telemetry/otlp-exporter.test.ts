import { describe, expect, it } from 'vitest';
import { otlpTracesUrl, parseOtlpHeaders } from './otlp-exporter.js';

describe('OTLP settings from the environment', () => {
  it('uses the traces endpoint as is, else the base endpoint + /v1/traces, else none', () => {
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      otlpTracesUrl({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/custom',
      }),
    ).toBe('http://b:4318/custom');
    expect(otlpTracesUrl({})).toBeUndefined();
    expect(
      otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_TRACES_EXPORTER: 'none' }),
    ).toBeUndefined();
  });

  it('parses OTEL_EXPORTER_OTLP_HEADERS', () => {
    expect(parseOtlpHeaders('Authorization=Bearer%20abc, x-team = core,bad')).toEqual({
      authorization: 'Bearer abc',
      'x-team': 'core',
    });
    expect(parseOtlpHeaders(undefined)).toEqual({});
  });
});
