import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from './ledger.js';
import {
  ATTEMPT_COLUMN_NAMES,
  entryToRows,
  REQUEST_COLUMN_NAMES,
  rowOf,
  type AttemptRow,
  type RequestRow,
} from './ledger-rows.js';

const entry: LedgerEntry = {
  request: {
    requestId: 'req-1',
    startedAt: 1_795_000_000_123,
    apiKeyId: 'key-a',
    modelAsked: 'auto',
    model: 'deepseek-chat',
    provider: 'deepseek',
    usage: { inputTokens: 120, cachedInputTokens: 40, outputTokens: 30, reasoningTokens: 7 },
    costUsd: 0.000123,
    costEstimated: true,
    savedUsd: 0.00001,
    referenceCostUsd: 0.002,
    latencyMs: 812.6,
    firstTokenMs: 95.2,
    status: 200,
    errorCode: null,
    cacheStatus: 'miss',
    routeReason: 'auto: cheapest that passes',
    stream: true,
    endpoint: '/v1/responses',
    replicaId: 'gw-2',
    bucket: 'python/bug-fix/s',
  },
  attempts: [
    {
      provider: 'groq',
      model: 'llama-3.3-70b',
      upstreamModel: 'llama-3.3-70b-versatile',
      startedAt: 1_795_000_000_130,
      latencyMs: 20.4,
      firstTokenMs: null,
      costUsd: 0,
      status: 429,
      errorCode: 'upstream_rate_limited',
    },
    {
      provider: 'deepseek',
      model: 'deepseek-chat',
      upstreamModel: 'deepseek-chat',
      startedAt: 1_795_000_000_151,
      latencyMs: 780.1,
      firstTokenMs: 60.4,
      usage: { inputTokens: 120, outputTokens: 30 },
      costUsd: 0.000123,
      status: 200,
      errorCode: null,
    },
  ],
};

describe('entryToRows: an entry as column values in column order', () => {
  it('puts every request column where REQUEST_COLUMN_NAMES says', () => {
    const rows = entryToRows(entry, 'entry-7');
    expect(rows.entryId).toBe('entry-7');
    expect(rows.request).toHaveLength(REQUEST_COLUMN_NAMES.length);
    expect(rowOf<RequestRow>(REQUEST_COLUMN_NAMES, rows.request)).toEqual({
      entry_id: 'entry-7',
      request_id: 'req-1',
      started_at: 1_795_000_000_123,
      api_key_id: 'key-a',
      model_asked: 'auto',
      model: 'deepseek-chat',
      provider: 'deepseek',
      attempts: 2,
      input_tokens: 120,
      cached_input_tokens: 40,
      output_tokens: 30,
      reasoning_tokens: 7,
      cost_nano_usd: 123_000,
      cost_estimated: 1,
      saved_nano_usd: 10_000,
      reference_cost_nano_usd: 2_000_000,
      latency_ms: 813,
      first_token_ms: 95,
      status: 200,
      error_code: null,
      cache_status: 'miss',
      route_reason: 'auto: cheapest that passes',
      stream: 1,
      endpoint: '/v1/responses',
      replica_id: 'gw-2',
      bucket: 'python/bug-fix/s',
    } satisfies RequestRow);
  });

  it('puts every attempt column where ATTEMPT_COLUMN_NAMES says, numbered from 1', () => {
    const rows = entryToRows(entry, 'entry-7');
    expect(rows.attempts.map((values) => values.length)).toEqual([
      ATTEMPT_COLUMN_NAMES.length,
      ATTEMPT_COLUMN_NAMES.length,
    ]);
    const [first, second] = rows.attempts.map((values) =>
      rowOf<AttemptRow>(ATTEMPT_COLUMN_NAMES, values),
    );
    expect(first).toEqual({
      entry_id: 'entry-7',
      attempt: 1,
      request_id: 'req-1',
      provider: 'groq',
      model: 'llama-3.3-70b',
      upstream_model: 'llama-3.3-70b-versatile',
      started_at: 1_795_000_000_130,
      latency_ms: 20,
      first_token_ms: null,
      input_tokens: 0,
      cached_input_tokens: 0,
      output_tokens: 0,
      reasoning_tokens: 0,
      cost_nano_usd: 0,
      status: 429,
      error_code: 'upstream_rate_limited',
    } satisfies AttemptRow);
    expect(second).toMatchObject({
      attempt: 2,
      provider: 'deepseek',
      first_token_ms: 60,
      input_tokens: 120,
      output_tokens: 30,
      cost_nano_usd: 123_000,
      status: 200,
      error_code: null,
    });
  });

  it('sanitizes instead of throwing: bad numbers become 0, unknown cache states none, long texts are cut', () => {
    const rows = entryToRows(
      {
        request: {
          ...entry.request,
          startedAt: Number.NaN,
          costUsd: -1,
          latencyMs: Number.POSITIVE_INFINITY,
          status: 1234,
          cacheStatus: 'weird' as never,
          routeReason: 'r'.repeat(5000),
          referenceCostUsd: null,
          usage: undefined,
        },
        attempts: [],
      },
      'entry-8',
    );
    const row = rowOf<RequestRow>(REQUEST_COLUMN_NAMES, rows.request);
    expect(row).toMatchObject({
      started_at: 0,
      cost_nano_usd: 0,
      latency_ms: 0,
      status: 0,
      cache_status: 'none',
      reference_cost_nano_usd: null,
      input_tokens: 0,
      attempts: 0,
    });
    expect(row.route_reason).toHaveLength(1000);
    expect(rows.attempts).toEqual([]);
  });

  it('keeps an unknown price unknown: a null cost is NULL, in the request and its attempts', () => {
    const rows = entryToRows(
      {
        request: { ...entry.request, costUsd: null },
        attempts: [{ ...(entry.attempts[1] as (typeof entry.attempts)[number]), costUsd: null }],
      },
      'entry-9',
    );
    expect(rowOf<RequestRow>(REQUEST_COLUMN_NAMES, rows.request).cost_nano_usd).toBeNull();
    expect(
      rowOf<AttemptRow>(ATTEMPT_COLUMN_NAMES, rows.attempts[0] ?? []).cost_nano_usd,
    ).toBeNull();
  });
});
