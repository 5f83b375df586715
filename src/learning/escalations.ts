import type { LedgerEscalation } from '../usage/ledger/ledger.js';
import type { RecentRequest } from './recent-requests.js';

/**
 * The executor's escalations in a settled request: each attempt it moved on from after invalid
 * structured output (`escalate: …`), with the next other deployment it tried.
 */
export function structuredOutputEscalations(
  entry: RecentRequest,
  attempts: ReadonlyArray<{
    provider: string;
    model: string;
    errorCode?: string;
    endReason?: string;
  }>,
  now: number,
): LedgerEscalation[] {
  const escalations: LedgerEscalation[] = [];
  attempts.forEach((attempt, index) => {
    if (attempt.errorCode !== 'invalid_structured_output') return;
    if (!attempt.endReason?.startsWith('escalate')) return;
    const next = attempts
      .slice(index + 1)
      .find((later) => later.provider !== attempt.provider || later.model !== attempt.model);
    escalations.push({
      requestId: entry.requestId,
      kind: 'structured-output',
      provider: attempt.provider,
      model: attempt.model,
      recordedAt: now,
      apiKeyId: entry.keyId,
      bucket: entry.bucket,
      toProvider: next?.provider ?? null,
      toModel: next?.model ?? null,
      reason: 'structured-output',
    });
  });
  return escalations;
}
