/** A change of one conversation's rung, as replicas tell each other. */
export interface RungChange {
  conversation: string;
  policy: string;
  rung: number;
  expiresAt: number;
}

const MAX_CONVERSATIONS = 100_000;

/**
 * The cascade rung each conversation is on, per policy, with a TTL. The router reads it
 * synchronously on every plan; a raise is applied here and handed to `onChange` (the learning
 * loop shares it through SharedState, and applies other replicas' raises with `apply`).
 * Bounded: past 100,000 conversations the oldest entry goes.
 */
export class ConversationRungs {
  private readonly rungs = new Map<string, { rung: number; expiresAt: number }>();
  onChange: ((change: RungChange) => void) | undefined;

  constructor(private readonly ttlMs: number) {}

  /** The remembered rung, or undefined when none is (or it expired). */
  rung(conversation: string, policy: string, now = Date.now()): number | undefined {
    const key = `${policy}\u0000${conversation}`;
    const entry = this.rungs.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.rungs.delete(key);
      return undefined;
    }
    return entry.rung;
  }

  /** Moves the conversation to at least `rung` (never down), for the TTL from now; shares the change. */
  raise(conversation: string, policy: string, rung: number, now = Date.now()): void {
    const current = this.rung(conversation, policy, now) ?? 0;
    const change = {
      conversation,
      policy,
      rung: Math.max(current, rung),
      expiresAt: now + this.ttlMs,
    };
    this.apply(change, now);
    this.onChange?.(change);
  }

  /** Applies a change (another replica's, or our own). */
  apply(change: RungChange, now = Date.now()): void {
    if (change.expiresAt <= now) return;
    const key = `${change.policy}\u0000${change.conversation}`;
    const current = this.rungs.get(key);
    this.rungs.delete(key);
    this.rungs.set(key, {
      rung: Math.max(change.rung, current && current.expiresAt > now ? current.rung : 0),
      expiresAt: Math.max(change.expiresAt, current?.expiresAt ?? 0),
    });
    if (this.rungs.size > MAX_CONVERSATIONS) this.rungs.delete(this.rungs.keys().next().value!);
  }

  get size(): number {
    return this.rungs.size;
  }
}
