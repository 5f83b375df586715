import type { ConversationRungs, RungChange } from '../router/learning/conversation-rungs.js';
import type { SharedState } from '../state/shared-state.js';
import type { RecentRequest } from './recent-requests.js';

/** Pub/sub channel of rung raises (every replica applies them at once). */
export const RUNG_CHANNEL = 'cascade-rungs';
/** Key prefix of a conversation's rungs (read by a replica that does not know the conversation). */
const RUNG_KEY = 'cascade-rung:';
/** Key prefix of a routed request as the learning loop attributes outcomes to it. */
const REQUEST_KEY = 'learning-request:';

/**
 * What the replicas share of the learning loop, over SharedState:
 * - **rungs**: a raise is published on `cascade-rungs` (applied by every running replica) and
 *   stored under the conversation for its TTL, so a replica that started after the raise, or
 *   missed the message, reads it when the conversation's next request arrives there;
 * - **routed requests**: each is stored under its id for the session TTL when it is planned, so
 *   feedback (or a retry header) that reaches another replica before the ledger row is flushed —
 *   or without a ledger at all — finds the deployment, bucket, conversation and rung.
 * A backend that is down answers nothing: the request falls back to what the replica knows.
 */
export class SharedLearning {
  constructor(
    private readonly shared: SharedState,
    private readonly rungs: ConversationRungs,
    private readonly ttlMs: number,
  ) {}

  /** Starts sharing raises; returns the function that stops it. */
  start(now: () => number): () => void {
    const unsubscribe = this.shared.subscribe(RUNG_CHANNEL, (message) => {
      try {
        this.rungs.apply(JSON.parse(message) as RungChange, now());
      } catch {
        // A malformed message from another version: ignored.
      }
    });
    this.rungs.onChange = (change) => {
      void this.shared.publish(RUNG_CHANNEL, JSON.stringify(change));
      const changes = this.rungs.changesOf(change.conversation, now());
      void this.shared.set(
        `${RUNG_KEY}${change.conversation}`,
        JSON.stringify(changes),
        Math.max(1, change.expiresAt - now()),
      );
    };
    return () => {
      unsubscribe();
      this.rungs.onChange = undefined;
    };
  }

  /** A conversation this replica does not know: its rungs from the shared state, applied here. */
  async readRungs(conversation: string, now: number): Promise<void> {
    if (this.rungs.knows(conversation)) return;
    const stored = await this.shared.get(`${RUNG_KEY}${conversation}`);
    if (stored === undefined) return;
    try {
      for (const change of JSON.parse(stored) as RungChange[])
        if (change.conversation === conversation) this.rungs.apply(change, now);
    } catch {
      // Not ours (another version): ignored.
    }
  }

  /** Stores a routed request for the session TTL (fire and forget). */
  storeRequest(entry: RecentRequest): void {
    const { counted: _counted, ...stored } = entry;
    void this.shared.set(`${REQUEST_KEY}${entry.requestId}`, JSON.stringify(stored), this.ttlMs);
  }

  /** A routed request another replica stored, or undefined. */
  async readRequest(requestId: string): Promise<RecentRequest | undefined> {
    const stored = await this.shared.get(`${REQUEST_KEY}${requestId}`);
    if (stored === undefined) return undefined;
    try {
      const entry = JSON.parse(stored) as Omit<RecentRequest, 'counted'>;
      if (entry.requestId !== requestId || typeof entry.provider !== 'string') return undefined;
      return { ...entry, counted: new Map() };
    } catch {
      return undefined;
    }
  }
}
