import { describe, expect, it } from 'vitest';
import { createLogger, textLine } from './create-logger.js';
import { createRequestLog, requestLogFields } from './request-log.js';
import type { RequestReport } from '../core/request-report.js';

const record: RequestReport = {
  requestId: 'req-1',
  method: 'POST',
  path: '/v1/chat/completions',
  startedAt: 0,
  startedAtWall: Date.UTC(2026, 0, 1),
  status: 200,
  stream: true,
  apiKeyId: 'key_abc',
  modelAsked: 'auto',
  model: 'deepseek-chat',
  provider: 'deepseek',
  usage: {
    inputTokens: 12,
    outputTokens: 30,
    cachedInputTokens: 0,
    reasoningTokens: 0,
  } as RequestReport['usage'] & object,
  costUsd: 0.0000123,
  cacheStatus: 'miss',
  firstTokenMs: 41.26,
  durationMs: 120.04,
  route: 'tier-1',
  attempts: [
    {
      provider: 'deepseek',
      model: 'deepseek-chat',
      upstreamModel: 'deepseek-chat',
      startedAtWall: 0,
      startedAt: 0,
      status: 200,
    },
  ],
  requestBody: { model: 'auto', api_key: 'sk-secretsecretsecret', messages: [] },
};

function capture(
  level: 'info' | 'warn' = 'info',
  format: 'json' | 'text' = 'json',
): { lines: string[]; log: (record: RequestReport) => void } {
  const lines: string[] = [];
  const logger = createLogger({ format, level, write: (line) => lines.push(line) });
  return { lines, log: createRequestLog(logger, { bodies: { maxBytes: 1024 } }) };
}

describe('request log', () => {
  it('writes one JSON line per request with the documented fields', () => {
    const { lines, log } = capture();
    log(record);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'info',
      msg: 'request',
      request_id: 'req-1',
      key_id: 'key_abc',
      model_asked: 'auto',
      model: 'deepseek-chat',
      provider: 'deepseek',
      status: 200,
      error_code: null,
      cache: 'miss',
      cost_usd: 0.0000123,
      latency_ms: 120,
      ttft_ms: 41.3,
      attempts: 1,
      input_tokens: 12,
      output_tokens: 30,
    });
    expect(typeof line.time).toBe('string');
    expect(String(line.body)).toContain('[REDACTED]');
    expect(lines[0]).not.toContain('sk-secretsecretsecret');
  });

  it('logs failures at warn (4xx) and error (5xx), and honours the level', () => {
    const { lines, log } = capture('warn');
    log(record);
    log({ ...record, status: 429, errorCode: 'rate_limited' });
    log({ ...record, status: 502, errorCode: 'upstream_unavailable' });
    expect(lines.map((line) => (JSON.parse(line) as { level: string }).level)).toEqual([
      'warn',
      'error',
    ]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ error_code: 'rate_limited', status: 429 });
  });

  it('without body options leaves the body out; absent facts are null', () => {
    const fields = requestLogFields({
      requestId: 'r',
      method: 'GET',
      path: '/x',
      startedAt: 0,
      startedAtWall: 0,
      status: 404,
      stream: false,
      durationMs: 1,
      requestBody: { a: 1 },
    });
    expect(fields).not.toHaveProperty('body');
    expect(fields).toMatchObject({
      key_id: null,
      model: null,
      cost_usd: null,
      ttft_ms: null,
      attempts: 0,
      cache: 'none',
    });
  });

  it('text format renders time, level, message and name=value pairs', () => {
    const { lines, log } = capture('info', 'text');
    log(record);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\S+ INFO  request request_id=req-1 .*key_id=key_abc .*cache=miss /,
    );
    expect(textLine('not json')).toBe('not json');
  });
});
