import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyDirectory, type KeyDirectory } from './key-directory.js';
import { hashSecret } from './key-input.js';
import type { KeyStore, VirtualKey } from './key-types.js';
import { openSqliteKeyStore } from './sqlite-key-store.js';
import { createMemorySharedState, MemoryHub } from '../state/memory-shared-state.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function twoHandles(): { here: KeyStore; elsewhere: KeyStore } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-keys-'));
  const here = openSqliteKeyStore({ dataDir });
  const elsewhere = openSqliteKeyStore({ dataDir });
  cleanups.push(
    () => rmSync(dataDir, { recursive: true, force: true }),
    () => here.close(),
    () => elsewhere.close(),
  );
  return { here, elsewhere };
}

async function directoryOn(
  store: KeyStore,
  refreshIntervalMs = 0,
  log?: (message: string) => void,
): Promise<KeyDirectory> {
  const directory = await createKeyDirectory({
    store,
    refreshIntervalMs,
    ...(log === undefined ? {} : { log }),
  });
  cleanups.push(() => directory.close());
  return directory;
}

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function fakeKey(id: string): VirtualKey {
  return {
    id,
    name: id,
    prefix: 'sy-xxxxxxx',
    hash: hashSecret(`sy-${id}`),
    createdAt: 0,
    limits: {},
  };
}

describe('KeyDirectory', () => {
  it('authenticates active keys by secret and nothing else', async () => {
    const { here } = twoHandles();
    const active = await here.create({ name: 'active', limits: { dailyBudgetUsd: 2 } });
    const revoked = await here.create({ name: 'revoked' });
    await here.revoke(revoked.key.id);
    const directory = await directoryOn(here);
    expect(directory.authenticate(active.secret)).toEqual(active.key);
    expect(directory.authenticate(revoked.secret)).toBeUndefined();
    expect(directory.authenticate(`${active.secret}x`)).toBeUndefined();
    expect(directory.authenticate(active.key.hash)).toBeUndefined();
    expect(directory.authenticate('')).toBeUndefined();
    expect(directory.authenticate(`sy-${'a'.repeat(10_000)}`)).toBeUndefined();
    expect(directory.size).toBe(1);
  });

  it('applies create and revoke through this process at once', async () => {
    const { here } = twoHandles();
    const directory = await directoryOn(here);
    const { key, secret } = await directory.create({ name: 'new' });
    expect(directory.authenticate(secret)?.id).toBe(key.id);
    expect(await directory.revoke(key.id)).toBe(true);
    expect(directory.authenticate(secret)).toBeUndefined();
    expect(await directory.revoke('key_ffffffffffffffff')).toBe(false);
  });

  it('refresh picks up create and revoke through another handle (another replica)', async () => {
    const { here, elsewhere } = twoHandles();
    const directory = await directoryOn(here, 25);
    const { key, secret } = await elsewhere.create({ name: 'from another replica' });
    expect(directory.authenticate(secret)).toBeUndefined();
    await eventually(() => directory.authenticate(secret)?.id === key.id);
    await elsewhere.revoke(key.id);
    await eventually(() => directory.authenticate(secret) === undefined);
  });

  it('keeps the loaded keys when a refresh fails, and logs it', async () => {
    const key = fakeKey('key_a');
    let failing = false;
    const store = {
      list: async () => {
        if (failing) throw new Error('database gone');
        return [key];
      },
    } as unknown as KeyStore;
    const messages: string[] = [];
    const directory = await directoryOn(store, 0, (message) => messages.push(message));
    failing = true;
    await directory.refresh();
    expect(directory.authenticate('sy-key_a')?.id).toBe('key_a');
    expect(messages.join('\n')).toMatch(
      /key refresh failed, keeping the 1 keys loaded: database gone/,
    );
  });

  it('never lets an older load that finishes late replace a newer one', async () => {
    const resolvers: ((keys: VirtualKey[]) => void)[] = [];
    let calls = 0;
    const store = {
      list: () => {
        calls += 1;
        if (calls === 1) return Promise.resolve([]);
        return new Promise<VirtualKey[]>((resolve) => resolvers.push(resolve));
      },
    } as unknown as KeyStore;
    const directory = await directoryOn(store);
    const older = directory.refresh();
    const newer = directory.refresh();
    resolvers[1]!([fakeKey('key_new')]);
    await newer;
    resolvers[0]!([]);
    await older;
    expect(directory.authenticate('sy-key_new')?.id).toBe('key_new');
  });

  it('fails to start when the store cannot be read', async () => {
    const store = {
      list: async () => {
        throw new Error('no table');
      },
    } as unknown as KeyStore;
    await expect(createKeyDirectory({ store })).rejects.toThrow(/no table/);
  });

  it('applies another replica’s create and revoke at once over the shared state (no reload)', async () => {
    const { here, elsewhere } = twoHandles();
    const hub = new MemoryHub();
    const mine = await createKeyDirectory({
      store: here,
      refreshIntervalMs: 0,
      events: createMemorySharedState({ replicaId: 'a', hub }),
    });
    const theirs = await createKeyDirectory({
      store: elsewhere,
      refreshIntervalMs: 0,
      events: createMemorySharedState({ replicaId: 'b', hub }),
    });
    cleanups.push(
      () => mine.close(),
      () => theirs.close(),
    );
    const { key, secret } = await theirs.create({ name: 'made elsewhere' });
    await eventually(() => mine.authenticate(secret)?.id === key.id, 500);
    await theirs.revoke(key.id);
    await eventually(() => mine.authenticate(secret) === undefined, 500);
  });
});
