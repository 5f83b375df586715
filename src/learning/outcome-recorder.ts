import { deploymentKey } from '../core/route.js';
import type { ConversationRungs } from '../router/learning/conversation-rungs.js';
import type { QualityModel } from '../router/learning/quality-model.js';
import type {
  Ledger,
  LedgerEscalation,
  LedgerOutcome,
  OutcomeSignal,
} from '../usage/ledger/ledger.js';
import { outcomeWeight } from '../usage/ledger/ledger.js';
import type { RecentRequest } from './recent-requests.js';

/**
 * Counts an answer's outcome in the quality model and the ledger (one counted outcome per answer:
 * a client's feedback replaces an implicit signal), and raises a cascade conversation one rung on
 * a failure.
 */
export class OutcomeRecorder {
  constructor(
    private readonly quality: QualityModel,
    private readonly rungs: ConversationRungs,
    private readonly ledger: Ledger | undefined,
    private readonly now: () => number,
    private readonly log: (message: string) => void,
  ) {}

  /** Records an outcome and, for a failure of a cascade-routed answer, raises its conversation. Returns the new rung index. */
  apply(
    entry: RecentRequest,
    signal: OutcomeSignal,
    score: number,
    reason: string | null,
    source: string | null,
  ): number | undefined {
    this.record(entry, signal, score, reason, source, true);
    return score < 0.5 ? this.raise(entry, signal) : undefined;
  }

  /** Raises a cascade conversation one rung and stores the escalation when there was a rung above. */
  raise(entry: RecentRequest, cause: OutcomeSignal): number | undefined {
    if (entry.rung === undefined || entry.policy === undefined || entry.conversation === '')
      return undefined;
    const next = Math.min(entry.rung.count - 1, entry.rung.index + 1);
    this.rungs.raise(entry.conversation, entry.policy, next, this.now());
    if (next > entry.rung.index)
      this.storeEscalation({
        requestId: entry.requestId,
        kind: 'cascade',
        provider: entry.provider,
        model: entry.model,
        recordedAt: this.now(),
        apiKeyId: entry.keyId,
        bucket: entry.bucket,
        toRung: next + 1,
        reason: cause,
      });
    return next;
  }

  storeEscalation(escalation: LedgerEscalation): void {
    this.ledger
      ?.recordEscalation(escalation)
      .catch((error: unknown) =>
        this.log(
          `storing an escalation failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }

  record(
    entry: RecentRequest,
    signal: OutcomeSignal,
    score: number,
    reason: string | null,
    source: string | null,
    replaceable: boolean,
  ): void {
    const key = deploymentKey(entry.provider, entry.model);
    const quality = this.quality;
    // An inferred pass counts less than a failure (outcomeWeight); the ledger rebuild weighs it the same.
    const weight = outcomeWeight(signal, score);
    if (replaceable) {
      // One counted outcome per answer: a feedback replaces an implicit signal (and an earlier feedback).
      const previous = entry.counted.get('answer');
      if (previous !== undefined) {
        if (signal !== 'feedback' && entry.counted.has('feedback')) return;
        quality.add(key, entry.bucket, previous, -(entry.counted.get('answer-weight') ?? 1));
      }
      entry.counted.set('answer', score);
      entry.counted.set('answer-weight', weight);
      if (signal === 'feedback') entry.counted.set('feedback', score);
    }
    quality.add(key, entry.bucket, score, weight);
    const outcome: LedgerOutcome = {
      requestId: entry.requestId,
      signal,
      provider: entry.provider,
      model: entry.model,
      recordedAt: this.now(),
      apiKeyId: entry.keyId,
      bucket: entry.bucket,
      score,
      reason,
      source,
    };
    this.ledger
      ?.recordOutcome(outcome)
      .catch((error: unknown) =>
        this.log(
          `storing an outcome failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }
}
