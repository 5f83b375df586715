import type { Price } from '../registry/catalog-types.js';
import { costOfUsage } from '../usage/cost/cost-of-usage.js';
import type { LedgerAttempt, LedgerEntry } from '../usage/ledger/ledger.js';
import type { RequestRecord } from './request-record.js';

/** Error codes that mean no upstream call was made, even though a target was chosen. */
const NOT_CALLED = new Set(['unsupported', 'invalid_request', 'internal_error']);

/**
 * One ledger entry from a finished request: the request row, and the upstream attempt when one
 * was made. `referencePrice` prices the same tokens on the reference model (savings by routing).
 */
export function toLedgerEntry(record: RequestRecord, referencePrice: Price | undefined): LedgerEntry {
  const latencyMs = record.durationMs ?? performance.now() - record.startedAt;
  const costUsd = record.costUsd ?? 0;
  const referenceCost = record.usage && referencePrice ? costOfUsage(record.usage, referencePrice) : undefined;
  const attempts: LedgerAttempt[] = [];
  const upstream = record.upstream;
  if (upstream && record.model && record.provider && !NOT_CALLED.has(record.errorCode ?? '')) {
    attempts.push({
      provider: record.provider,
      model: record.model,
      upstreamModel: upstream.upstreamModel,
      startedAt: upstream.startedAtWall,
      latencyMs: record.startedAt + latencyMs - upstream.startedAt,
      firstTokenMs: record.firstTokenMs === undefined ? null : record.firstTokenMs - (upstream.startedAt - record.startedAt),
      ...(record.usage ? { usage: record.usage } : {}),
      costUsd,
      status: upstream.failedStatus ?? (record.errorCode === 'client_closed' ? 499 : 200),
      errorCode: record.errorCode ?? null,
    });
  }
  return {
    request: {
      requestId: record.requestId,
      startedAt: record.startedAtWall,
      apiKeyId: record.apiKeyId ?? null,
      modelAsked: record.modelAsked ?? null,
      model: record.model ?? null,
      provider: record.provider ?? null,
      ...(record.usage ? { usage: record.usage } : {}),
      costUsd,
      costEstimated: record.costEstimated ?? false,
      referenceCostUsd: referenceCost && referenceCost.unpriced.length === 0 ? referenceCost.costUsd : null,
      latencyMs,
      firstTokenMs: record.firstTokenMs ?? null,
      status: record.status,
      errorCode: record.errorCode ?? null,
      cacheStatus: record.cacheStatus ?? 'none',
      routeReason: record.model && record.modelAsked !== record.model ? `alias ${record.modelAsked} → ${record.model}` : null,
      stream: record.stream,
    },
    attempts,
  };
}
