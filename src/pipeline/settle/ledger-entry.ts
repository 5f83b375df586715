import type { Price } from '../../registry/catalog-types.js';
import { costOfUsage } from '../../usage/cost/cost-of-usage.js';
import type { LedgerAttempt, LedgerEntry } from '../../usage/ledger/ledger.js';
import type { RequestRecord } from '../request-record.js';

/** Error codes that mean no upstream call was made, even though a target was chosen. */
const NOT_CALLED = new Set(['unsupported', 'invalid_request', 'internal_error']);

/**
 * One ledger entry from a finished request: the request row, and the upstream attempt when one
 * was made. `referencePrice` prices the same tokens on the reference model (savings by routing);
 * `replicaId` names the replica that served it.
 *
 * Tokens without a cost mean the deployment has no price: the cost is recorded as unknown
 * (null), never as $0. No tokens and no cost (a rejection, say) is $0: nothing was spent.
 */
export function toLedgerEntry(
  record: RequestRecord,
  referencePrice: Price | undefined,
  replicaId?: string,
): LedgerEntry {
  const latencyMs = record.durationMs ?? performance.now() - record.startedAt;
  const costUsd = record.costUsd ?? (record.usage ? null : 0);
  const referenceCost =
    record.usage && referencePrice ? costOfUsage(record.usage, referencePrice) : undefined;
  const attempts: LedgerAttempt[] = [];
  for (const attempt of record.attempts ?? []) {
    if (NOT_CALLED.has(attempt.errorCode ?? '')) continue;
    const endedAt = attempt.endedAt ?? record.startedAt + latencyMs;
    attempts.push({
      provider: attempt.provider,
      model: attempt.model,
      upstreamModel: attempt.upstreamModel,
      startedAt: attempt.startedAtWall,
      latencyMs: endedAt - attempt.startedAt,
      firstTokenMs:
        attempt.firstTokenAt === undefined ? null : attempt.firstTokenAt - attempt.startedAt,
      ...(attempt.usage ? { usage: attempt.usage } : {}),
      costUsd: attempt.costUsd ?? (attempt.usage ? null : 0),
      status: attempt.status ?? (record.errorCode === 'client_closed' ? 499 : record.status),
      errorCode: attempt.errorCode ?? null,
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
      ...(record.savedUsd === undefined ? {} : { savedUsd: record.savedUsd }),
      referenceCostUsd:
        referenceCost && referenceCost.unpriced.length === 0 ? referenceCost.costUsd : null,
      latencyMs,
      firstTokenMs: record.firstTokenMs ?? null,
      status: record.status,
      errorCode: record.errorCode ?? null,
      cacheStatus: record.cacheStatus ?? 'none',
      routeReason: record.route ?? null,
      stream: record.stream,
      endpoint: record.path,
      ...(replicaId === undefined ? {} : { replicaId }),
      bucket: record.learning?.bucket ?? null,
    },
    attempts,
  };
}
