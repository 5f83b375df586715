import { redactText } from '../core/redact.js';
import { hashSecret, SECRET_PREFIX } from './key-input.js';
import type { CreateKeyInput, KeyStore, VirtualKey } from './key-types.js';
import type { SharedState } from '../state/shared-state.js';

/** What replicas tell each other when a key changes (pub/sub channel `keys`). */
export type KeyChange =
  | { type: 'created'; key: VirtualKey }
  | { type: 'revoked'; id: string }
  | { type: 'changed'; id: string };

const KEY_CHANNEL = 'keys';

export interface KeyDirectoryOptions {
  store: KeyStore;
  /** How often to reload keys so other replicas' creations and revocations apply (default 5000 ms; 0 = never). */
  refreshIntervalMs?: number;
  /** Error log sink (default: stderr). */
  log?: (message: string) => void;
  /** Shared by replicas: changes made here are published, other replicas' changes applied at once. */
  events?: SharedState;
}

/**
 * The gateway's hot-path key lookup: an in-memory map from secret hash to active key, loaded at
 * start, reloaded after create/revoke through this directory and every `refreshIntervalMs`.
 */
export interface KeyDirectory {
  /** The active (not revoked) key for a bearer secret, or undefined. Synchronous: one SHA-256 and a map lookup. */
  authenticate(secret: string): VirtualKey | undefined;
  /** Creates a key in the store and makes it usable here at once. */
  create(input: CreateKeyInput): Promise<{ key: VirtualKey; secret: string }>;
  /** Revokes in the store and refuses the key here at once. False when no such key. */
  revoke(id: string): Promise<boolean>;
  /** Applies a change made elsewhere (the admin API, another replica) here, and publishes it to the other replicas when `publish`. */
  apply(change: KeyChange, publish?: boolean): Promise<void>;
  /** Reloads from the store now (failures are logged and keep the previous keys). */
  refresh(): Promise<void>;
  /** Active keys currently loaded. */
  readonly size: number;
  /** Stops the refresh timer (does not close the store). */
  close(): void;
}

/** Longest bearer value worth hashing: a secret is 46 characters. */
const MAX_SECRET_LENGTH = 256;

export async function createKeyDirectory(options: KeyDirectoryOptions): Promise<KeyDirectory> {
  const { store } = options;
  const log =
    options.log ?? ((message: string) => process.stderr.write(`[keys] ${redactText(message)}\n`));
  let byHash = new Map<string, VirtualKey>();
  /** Loads are numbered when they start; an older load finishing late never replaces a newer one. */
  let started = 0;
  let applied = 0;
  let closed = false;

  async function load(): Promise<void> {
    started += 1;
    const generation = started;
    const keys = await store.list();
    if (generation < applied) return;
    applied = generation;
    const next = new Map<string, VirtualKey>();
    for (const key of keys) if (key.revokedAt === undefined) next.set(key.hash, key);
    byHash = next;
  }

  async function refresh(): Promise<void> {
    try {
      await load();
    } catch (error) {
      log(
        `key refresh failed, keeping the ${byHash.size} keys loaded: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** A change is newer than any load in progress: such a load must not undo it. */
  function applyLocally(change: KeyChange): void {
    started += 1;
    applied = started;
    if (change.type === 'created') {
      if (change.key.revokedAt === undefined) byHash.set(change.key.hash, change.key);
      return;
    }
    for (const [hash, key] of byHash) if (key.id === change.id) byHash.delete(hash);
    if (change.type === 'changed') void refresh();
  }

  const unsubscribe = options.events?.subscribe(KEY_CHANNEL, (message) => {
    try {
      applyLocally(JSON.parse(message) as KeyChange);
    } catch {
      log('ignored a malformed key change message');
    }
  });
  const publish = async (change: KeyChange): Promise<void> => {
    await options.events?.publish(KEY_CHANNEL, JSON.stringify(change));
  };

  await load(); // at start a failure is fatal: the gateway cannot authenticate anyone
  const interval = options.refreshIntervalMs ?? 5000;
  const timer = interval > 0 ? setInterval(() => void refresh(), interval) : undefined;
  timer?.unref();

  return {
    authenticate(secret) {
      if (closed || secret.length > MAX_SECRET_LENGTH || !secret.startsWith(SECRET_PREFIX))
        return undefined;
      // A map lookup by hash: the hash of a guessed secret tells an attacker nothing about a real one.
      return byHash.get(hashSecret(secret));
    },
    async create(input) {
      const created = await store.create(input);
      applyLocally({ type: 'created', key: created.key });
      await publish({ type: 'created', key: created.key });
      return created;
    },
    async revoke(id) {
      const revoked = await store.revoke(id);
      applyLocally({ type: 'revoked', id });
      await publish({ type: 'revoked', id });
      return revoked;
    },
    async apply(change, shouldPublish = false) {
      applyLocally(change);
      if (shouldPublish) await publish(change);
    },
    refresh,
    get size() {
      return byHash.size;
    },
    close() {
      closed = true;
      unsubscribe?.();
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
