import { redactText } from '../core/redact.js';
import { hashSecret, SECRET_PREFIX } from './key-input.js';
import type { CreateKeyInput, KeyStore, VirtualKey } from './key-types.js';

export interface KeyDirectoryOptions {
  store: KeyStore;
  /** How often to reload keys so other replicas' creations and revocations apply (default 5000 ms; 0 = never). */
  refreshIntervalMs?: number;
  /** Error log sink (default: stderr). */
  log?: (message: string) => void;
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
  const log = options.log ?? ((message: string) => process.stderr.write(`[keys] ${redactText(message)}\n`));
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
      log(`key refresh failed, keeping the ${byHash.size} keys loaded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  await load(); // at start a failure is fatal: the gateway cannot authenticate anyone
  const interval = options.refreshIntervalMs ?? 5000;
  const timer = interval > 0 ? setInterval(() => void refresh(), interval) : undefined;
  timer?.unref();

  return {
    authenticate(secret) {
      if (closed || secret.length > MAX_SECRET_LENGTH || !secret.startsWith(SECRET_PREFIX)) return undefined;
      // A map lookup by hash: the hash of a guessed secret tells an attacker nothing about a real one.
      return byHash.get(hashSecret(secret));
    },
    async create(input) {
      const created = await store.create(input);
      await refresh();
      byHash.set(created.key.hash, created.key); // even if the reload failed
      return created;
    },
    async revoke(id) {
      const revoked = await store.revoke(id);
      await refresh();
      for (const [hash, key] of byHash) if (key.id === id) byHash.delete(hash); // even if the reload failed
      return revoked;
    },
    refresh,
    get size() {
      return byHash.size;
    },
    close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
