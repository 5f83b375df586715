import { hash } from 'node:crypto';
import type { CanonicalRequest } from '../core/request.js';
import type { SessionCache } from '../core/route.js';

/** A client names its agent session with this header; without it the conversation prefix does. */
export const SESSION_HEADER = 'x-switchyard-session';

/**
 * Provider prompt caches keep a prefix about five minutes after its last use (Anthropic's
 * default lifetime; OpenAI and DeepSeek evict after minutes of inactivity too): a session's
 * memory lives as long.
 */
export const DEFAULT_AFFINITY_TTL_MS = 5 * 60_000;

/** Where session memory lives: the gateway's SharedState (memory, or Redis across replicas). */
export interface AffinityStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
}

/**
 * The session a chat request belongs to, or undefined (completions have none). With the session
 * header: the key and that id. Without: the key and a hash of what stays the same across an
 * agent's turns — model asked, end user, tools, system prompt and the first user message.
 */
export function sessionOf(
  request: CanonicalRequest,
  header: string | string[] | undefined,
  keyId: string | null | undefined,
): string | undefined {
  if (request.kind !== 'chat') return undefined;
  const key = keyId ?? '-';
  const named = namedSession(header);
  if (named !== undefined) return `${key}\nh\n${named.slice(0, 200)}`;
  let text = `${request.model}\n${request.user ?? ''}\n`;
  for (const tool of request.tools ?? []) text += `tool ${tool.name}\n`;
  let firstUser = true;
  for (const message of request.messages) {
    if (message.role === 'system') text += `system ${sample(message.content)}\n`;
    else if (message.role === 'user' && firstUser) {
      firstUser = false;
      for (const part of message.content)
        text +=
          part.type === 'text' ? `user ${sample(part.text)}\n` : `image ${sample(part.url)}\n`;
    }
  }
  // A single-message request is not yet a conversation, but its prefix is the next turn's.
  return `${key}\np\n${hash('sha256', text, 'base64url')}`;
}

/**
 * The session the client named with the session header (trimmed), if any. A named session may
 * ask other models in later turns; a session derived from the prefix includes the model asked.
 */
export function namedSession(header: string | string[] | undefined): string | undefined {
  const named = (Array.isArray(header) ? header[0] : header)?.trim();
  return named === '' ? undefined : named;
}

/** Bounded work per request: long texts are identified by their length, head and tail. */
function sample(text: string): string {
  if (text.length <= 4_096) return text;
  return `${text.length}:${text.slice(0, 2_048)}${text.slice(-2_048)}`;
}

/**
 * Session → the deployment that served its last turn, with that turn's prompt size, kept for the
 * provider cache's lifetime (refreshed by every turn). Reads and writes never fail a request: a
 * store that is down answers nothing and the turn is planned as cold.
 */
export class CacheAffinity {
  constructor(
    private readonly store: AffinityStore,
    readonly ttlMs = DEFAULT_AFFINITY_TTL_MS,
    private readonly prefix = 'affinity:',
  ) {}

  /** What the session's previous turn left warm (`{}` on a first turn). */
  async lookup(session: string): Promise<SessionCache> {
    const text = await this.store.get(this.keyOf(session)).catch(() => undefined);
    if (text === undefined) return {};
    try {
      const value = JSON.parse(text) as { key?: unknown; tokens?: unknown };
      if (typeof value.key !== 'string' || typeof value.tokens !== 'number') return {};
      return { warmKey: value.key, warmPromptTokens: value.tokens };
    } catch {
      return {};
    }
  }

  /** The deployment `key` answered the session's turn, whose prompt was `promptTokens` long. */
  remember(session: string, key: string, promptTokens: number): Promise<void> {
    const value = JSON.stringify({ key, tokens: promptTokens });
    return this.store.set(this.keyOf(session), value, this.ttlMs).catch(() => undefined);
  }

  private keyOf(session: string): string {
    return `${this.prefix}${hash('sha256', session, 'base64url')}`;
  }
}

/** The store of one process: session entries with expiry, at most `maxEntries` (oldest dropped). */
export function memoryAffinityStore(maxEntries = 100_000): AffinityStore {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    async set(key, value, ttlMs = DEFAULT_AFFINITY_TTL_MS) {
      entries.delete(key);
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    },
  };
}

/**
 * What the session's previous turn left warm, for a request of that session (`sessionOf`, which
 * the caller derives once per request); undefined without affinity or a session.
 */
export async function lookupSession(
  affinity: CacheAffinity | undefined,
  session: string | undefined,
): Promise<{ session: string; cache: SessionCache } | undefined> {
  if (affinity === undefined || session === undefined) return undefined;
  return { session, cache: await affinity.lookup(session) };
}
