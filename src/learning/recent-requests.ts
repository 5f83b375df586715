/** A served request as the learning loop remembers it, to attribute later outcomes. */
export interface RecentRequest {
  requestId: string;
  keyId: string | null;
  provider: string;
  model: string;
  bucket: string;
  conversation: string;
  promptHash: string;
  /** For a cascade-routed request: its policy and rung. */
  policy?: string;
  rung?: { index: number; count: number };
  at: number;
  /** Outcomes already counted in the quality model for it, by signal (a feedback replaces an implicit one). */
  counted: Map<string, number>;
}

const MAX_REMEMBERED = 50_000;

/**
 * The last requests served by this replica, by id, by key and prompt hash (retries), and by
 * conversation (the previous answer of an agent turn). Bounded; entries older than `windowMs`
 * are ignored and dropped as new ones come in.
 */
export class RecentRequests {
  private readonly byId = new Map<string, RecentRequest>();
  private readonly byPrompt = new Map<string, RecentRequest>();
  private readonly byConversation = new Map<string, RecentRequest>();

  constructor(private readonly windowMs: number) {}

  add(entry: RecentRequest): void {
    this.byId.delete(entry.requestId);
    this.byId.set(entry.requestId, entry);
    this.byPrompt.set(`${entry.keyId ?? ''}\u0000${entry.promptHash}`, entry);
    this.byConversation.set(entry.conversation, entry);
    while (this.byId.size > MAX_REMEMBERED) {
      const oldest = this.byId.values().next().value!;
      this.forget(oldest);
    }
  }

  byRequestId(requestId: string): RecentRequest | undefined {
    return this.byId.get(requestId);
  }

  /** The last answer to the same prompt from the same key within the window. */
  samePrompt(keyId: string | null, hash: string, now: number): RecentRequest | undefined {
    const entry = this.byPrompt.get(`${keyId ?? ''}\u0000${hash}`);
    return entry !== undefined && now - entry.at <= this.windowMs ? entry : undefined;
  }

  /** The conversation's last answer within the window. */
  lastOf(conversation: string, now: number): RecentRequest | undefined {
    const entry = this.byConversation.get(conversation);
    return entry !== undefined && now - entry.at <= this.windowMs ? entry : undefined;
  }

  forget(entry: RecentRequest): void {
    this.byId.delete(entry.requestId);
    const promptKey = `${entry.keyId ?? ''}\u0000${entry.promptHash}`;
    if (this.byPrompt.get(promptKey) === entry) this.byPrompt.delete(promptKey);
    if (this.byConversation.get(entry.conversation) === entry)
      this.byConversation.delete(entry.conversation);
  }
}
