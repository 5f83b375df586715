import type { SharedState } from '../state/shared-state.js';
import type { BreakerEvent, DeploymentBreakers } from './deployment-breakers.js';

/** The pub/sub channel of breaker changes (relative to the shared state's prefix). */
export const BREAKER_CHANNEL = 'breakers';
/** Where a live open breaker or cooldown is kept, so a replica that starts (or reconnects) late learns it. */
const STORED_PREFIX = 'breaker:';

interface StoredEvent {
  event: BreakerEvent;
  /** Epoch ms when it was stored: the time left is `forMs` minus what has elapsed since. */
  at: number;
}

export interface ShareBreakersOptions {
  state: SharedState;
  breakers: DeploymentBreakers;
  /** The configured deployment keys (and so providers) whose stored state is read at start and on reconnect. */
  deploymentKeys: () => readonly string[];
  now?: () => number;
}

/**
 * Breaker state shared by the replicas: every local change (a breaker opened or closed, a
 * Retry-After cooldown, a provider whose key was refused) is published, and applied by every
 * other replica as soon as it arrives, so a deployment opened on one replica is skipped by all
 * of them. Nothing happens per request: only on a change. Open breakers and cooldowns are also
 * stored with their time left as expiry, and read when the replica starts and whenever Redis
 * comes back, so a late replica does not call a deployment the others know is failing.
 * Returns the function that stops sharing.
 */
export function shareBreakers(options: ShareBreakersOptions): () => void {
  const { state, breakers } = options;
  const now = options.now ?? Date.now;
  const storedKey = (event: BreakerEvent): string =>
    event.type === 'provider-cooldown'
      ? `${STORED_PREFIX}provider:${event.provider}`
      : `${STORED_PREFIX}${event.type === 'cooldown' ? 'cooldown' : 'open'}:${event.key}`;

  const stopLocal = breakers.onEvent((event) => {
    void state.publish(BREAKER_CHANNEL, JSON.stringify(event));
    if (event.type === 'close') void state.delete(storedKey({ ...event, type: 'open', forMs: 0 }));
    else
      void state.set(
        storedKey(event),
        JSON.stringify({ event, at: now() } satisfies StoredEvent),
        event.forMs,
      );
  });
  const stopRemote = state.subscribe(BREAKER_CHANNEL, (message) => {
    const event = parseEvent(message);
    if (event) breakers.apply(event, now());
  });

  const load = async (): Promise<void> => {
    const keys = options.deploymentKeys();
    const providers = new Set(keys.map((key) => key.slice(0, Math.max(0, key.indexOf('/')))));
    const names = [
      ...keys.flatMap((key) => [`${STORED_PREFIX}open:${key}`, `${STORED_PREFIX}cooldown:${key}`]),
      ...[...providers].map((provider) => `${STORED_PREFIX}provider:${provider}`),
    ];
    const values = await Promise.all(names.map((name) => state.get(name)));
    const at = now();
    for (const value of values) {
      const stored = value === undefined ? undefined : parseStored(value);
      if (!stored || stored.event.type === 'close') continue;
      const left = stored.event.forMs - Math.max(0, at - stored.at);
      if (left > 0) breakers.apply({ ...stored.event, forMs: left }, at);
    }
  };
  void load();
  const stopAvailability = state.onAvailability((up) => {
    if (up) void load();
  });
  return () => {
    stopLocal();
    stopRemote();
    stopAvailability();
  };
}

function parseStored(text: string): StoredEvent | undefined {
  try {
    const value = JSON.parse(text) as { event?: unknown; at?: unknown };
    const event = value.event === undefined ? undefined : checkEvent(value.event);
    return event && typeof value.at === 'number' ? { event, at: value.at } : undefined;
  } catch {
    return undefined;
  }
}

function parseEvent(text: string): BreakerEvent | undefined {
  try {
    return checkEvent(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** A message from another replica, checked field by field (a bad one is ignored). */
function checkEvent(value: unknown): BreakerEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const event = value as Record<string, unknown>;
  const text = (field: string): boolean => typeof event[field] === 'string';
  const duration = typeof event.forMs === 'number' && Number.isFinite(event.forMs);
  switch (event.type) {
    case 'open':
      return text('key') && duration
        ? {
            type: 'open',
            key: event.key as string,
            forMs: event.forMs as number,
            ...(typeof event.reason === 'string' ? { reason: event.reason } : {}),
          }
        : undefined;
    case 'close':
      return text('key') ? { type: 'close', key: event.key as string } : undefined;
    case 'cooldown':
      return text('key') && text('reason') && duration
        ? {
            type: 'cooldown',
            key: event.key as string,
            forMs: event.forMs as number,
            reason: event.reason as string,
          }
        : undefined;
    case 'provider-cooldown':
      return text('provider') && text('reason') && duration
        ? {
            type: 'provider-cooldown',
            provider: event.provider as string,
            forMs: event.forMs as number,
            reason: event.reason as string,
          }
        : undefined;
    default:
      return undefined;
  }
}
