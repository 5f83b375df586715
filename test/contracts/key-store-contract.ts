import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyInputError } from '../../src/keys/key-input.js';
import type { KeyStore } from '../../src/keys/key-types.js';

/** One database location (a temporary directory, a PostgreSQL schema) that key stores can be opened on. */
export interface KeyStoreLocation {
  open(): Promise<KeyStore>;
  /** Every `api_keys` row as stored. */
  rows(): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

/** The cases every KeyStore implementation must pass. */
export function describeKeyStoreContract(
  name: string,
  createLocation: () => Promise<KeyStoreLocation>,
): void {
  describe(`${name} key store contract`, () => {
    const locations: KeyStoreLocation[] = [];
    const stores: KeyStore[] = [];
    async function fresh(): Promise<{ location: KeyStoreLocation; store: KeyStore }> {
      const location = await createLocation();
      locations.push(location);
      const store = await location.open();
      stores.push(store);
      return { location, store };
    }
    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close();
      for (const location of locations.splice(0)) await location.dispose();
    });

    it('creates a key: sy- secret shown once, stored only as its SHA-256', async () => {
      const { location, store } = await fresh();
      const before = Date.now();
      const { key, secret } = await store.create({ name: '  ci runner  ' });
      expect(secret).toMatch(/^sy-[A-Za-z0-9_-]{43}$/);
      expect(key.id).toMatch(/^key_[0-9a-f]{16}$/);
      expect(key.name).toBe('ci runner');
      expect(key.prefix).toBe(secret.slice(0, 10));
      expect(key.hash).toBe(createHash('sha256').update(secret).digest('hex'));
      expect(key.createdAt).toBeGreaterThanOrEqual(before);
      expect(key.revokedAt).toBeUndefined();
      expect(key.allowedModels).toBeUndefined();
      expect(key.limits).toEqual({});
      const rows = await location.rows();
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(secret.slice(10));
      expect(await store.get(key.id)).toEqual(key);
      expect(await store.findByHash(key.hash)).toEqual(key);
    });

    it('round-trips limits and allowed models exactly', async () => {
      const { store } = await fresh();
      const limits = {
        requestsPerMinute: 60,
        tokensPerMinute: 100_000,
        dailyBudgetUsd: 0.1,
        monthlyBudgetUsd: 12.34,
        totalBudgetUsd: 999_999.999999999,
      };
      const { key } = await store.create({
        name: 'team-a',
        allowedModels: ['auto', 'deepseek-chat', 'auto'],
        limits,
      });
      expect(key.limits).toEqual(limits);
      expect(key.allowedModels).toEqual(['auto', 'deepseek-chat']);
      const stored = await store.get(key.id);
      expect(stored?.limits).toEqual(limits);
      expect(stored?.allowedModels).toEqual(['auto', 'deepseek-chat']);
    });

    it('gives every key its own id and secret; lists them in creation order', async () => {
      const { store } = await fresh();
      const created = [];
      for (let index = 0; index < 20; index += 1)
        created.push(await store.create({ name: `key ${index}` }));
      expect(new Set(created.map((entry) => entry.secret)).size).toBe(20);
      expect(new Set(created.map((entry) => entry.key.id)).size).toBe(20);
      const listed = await store.list();
      expect(listed.map((key) => key.name).sort()).toEqual(
        created.map((entry) => entry.key.name).sort(),
      );
      for (let index = 1; index < listed.length; index += 1) {
        expect(listed[index]!.createdAt).toBeGreaterThanOrEqual(listed[index - 1]!.createdAt);
      }
    });

    it('refuses bad input with a KeyInputError naming the problem', async () => {
      const { store, location } = await fresh();
      const cases: [unknown, RegExp][] = [
        [{ name: '' }, /name must not be empty/],
        [{ name: '   ' }, /name must not be empty/],
        [{ name: 'x'.repeat(101) }, /at most 100 characters/],
        [{}, /name is required/],
        [{ name: 'a', limits: { dailyBudgetUsd: -1 } }, /dailyBudgetUsd must be a positive number/],
        [
          { name: 'a', limits: { monthlyBudgetUsd: 0 } },
          /monthlyBudgetUsd must be a positive number/,
        ],
        [
          { name: 'a', limits: { totalBudgetUsd: Number.NaN } },
          /totalBudgetUsd must be a positive number/,
        ],
        [
          { name: 'a', limits: { dailyBudgetUsd: '5' } },
          /dailyBudgetUsd must be a positive number/,
        ],
        [
          { name: 'a', limits: { requestsPerMinute: 1.5 } },
          /requestsPerMinute must be a whole number/,
        ],
        [{ name: 'a', limits: { dailyBudget: 5 } }, /unknown limit "dailyBudget"/],
        [{ name: 'a', allowedModels: [] }, /at least one model/],
        [{ name: 'a', allowedModels: ['ok', ''] }, /non-empty strings/],
        [{ name: 'a', owner: 'x' }, /unknown key field "owner"/],
      ];
      for (const [input, message] of cases) {
        const attempt = store.create(input as never);
        await expect(attempt).rejects.toBeInstanceOf(KeyInputError);
        await expect(attempt).rejects.toThrow(message);
      }
      await expect(store.create({ name: 'x'.repeat(100) })).resolves.toBeDefined();
      expect(await location.rows()).toHaveLength(1);
    });

    it('revokes idempotently, keeping the first revocation time', async () => {
      const { store } = await fresh();
      const { key } = await store.create({ name: 'leaked' });
      const other = await store.create({ name: 'kept' });
      expect(await store.revoke(key.id)).toBe(true);
      const revoked = await store.get(key.id);
      expect(revoked?.revokedAt).toBeGreaterThanOrEqual(key.createdAt);
      expect(await store.revoke(key.id)).toBe(true);
      expect((await store.get(key.id))?.revokedAt).toBe(revoked?.revokedAt);
      expect(await store.revoke('key_0000000000000000')).toBe(false);
      expect((await store.get(other.key.id))?.revokedAt).toBeUndefined();
      expect(await store.get('key_0000000000000000')).toBeUndefined();
      expect(await store.findByHash('0'.repeat(64))).toBeUndefined();
    });

    it('shares keys between handles on the same database', async () => {
      const { location, store } = await fresh();
      const second = await location.open();
      stores.push(second);
      const { key } = await store.create({ name: 'shared', limits: { dailyBudgetUsd: 5 } });
      expect(await second.get(key.id)).toEqual(key);
      await second.revoke(key.id);
      expect((await store.get(key.id))?.revokedAt).toBeDefined();
    });

    it('refuses calls after close', async () => {
      const { store } = await fresh();
      await store.close();
      await store.close();
      await expect(store.list()).rejects.toThrow(/closed/);
    });
  });
}
