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
  private readonly rungs = new Map<
    string,
    { conversation: string; policy: string; rung: number; expiresAt: number }
  >();
  /** The policies each remembered conversation has a rung under. */
  private readonly conversations = new Map<string, Set<string>>();
  onChange: ((change: RungChange) => void) | undefined;

  constructor(private readonly ttlMs: number) {}

  /** The remembered rung, or undefined when none is (or it expired). */
  rung(conversation: string, policy: string, now = Date.now()): number | undefined {
    const key = `${policy}\u0000${conversation}`;
    const entry = this.rungs.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.remove(key);
      return undefined;
    }
    return entry.rung;
  }

  /** True when this replica remembers a rung of the conversation under any policy. */
  knows(conversation: string): boolean {
    return this.conversations.has(conversation);
  }

  /** The conversation's remembered rungs (every policy), unexpired: what a replica shares. */
  changesOf(conversation: string, now = Date.now()): RungChange[] {
    const changes: RungChange[] = [];
    for (const policy of this.conversations.get(conversation) ?? []) {
      const entry = this.rungs.get(`${policy}\u0000${conversation}`);
      if (entry !== undefined && entry.expiresAt > now)
        changes.push({ conversation, policy, rung: entry.rung, expiresAt: entry.expiresAt });
    }
    return changes;
  }

  private remove(key: string): void {
    const entry = this.rungs.get(key);
    if (entry === undefined) return;
    this.rungs.delete(key);
    const policies = this.conversations.get(entry.conversation);
    policies?.delete(entry.policy);
    if (policies?.size === 0) this.conversations.delete(entry.conversation);
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
    this.remove(key);
    this.rungs.set(key, {
      conversation: change.conversation,
      policy: change.policy,
      rung: Math.max(change.rung, current && current.expiresAt > now ? current.rung : 0),
      expiresAt: Math.max(change.expiresAt, current?.expiresAt ?? 0),
    });
    const policies = this.conversations.get(change.conversation) ?? new Set<string>();
    policies.add(change.policy);
    this.conversations.set(change.conversation, policies);
    if (this.rungs.size > MAX_CONVERSATIONS) this.remove(this.rungs.keys().next().value!);
  }

  get size(): number {
    return this.rungs.size;
  }
}
