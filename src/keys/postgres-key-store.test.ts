import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../usage/ledger/migrations.js';
import { openPostgresLedger } from '../usage/ledger/postgres-ledger.js';
import {
  describeKeyStoreContract,
  type KeyStoreLocation,
} from '../../test/contracts/key-store-contract.js';
import { openKeyStore } from './open-key-store.js';
import { openPostgresKeyStore } from './postgres-key-store.js';
import {
  createTestSchema,
  DATABASE_URL,
  describeWithPostgres,
} from '../../test/helpers/postgres-test-schema.js';

/** Each location is its own schema, dropped afterwards: parallel runs and reruns never see each other's keys. */
async function createPostgresLocation(): Promise<KeyStoreLocation & { schema: string }> {
  const { schema, query, dispose } = createTestSchema('switchyard_keys_test');
  return {
    schema,
    open: () => openKeyStore({ dataDir: '/nonexistent/unused', databaseUrl: DATABASE_URL, schema }),
    rows: () => query('SELECT * FROM api_keys'),
    dispose,
  };
}

describeWithPostgres('PostgreSQL key store', () => {
  describeKeyStoreContract('PostgreSQL', createPostgresLocation);

  describe('PostgreSQL key store and ledger', () => {
    it('shares the ledger schema and migrations, whichever opens first, replicas together', async () => {
      const location = await createPostgresLocation();
      try {
        const stores = await Promise.all([location.open(), location.open(), location.open()]);
        const ledger = await openPostgresLedger({ url: DATABASE_URL, schema: location.schema });
        await ledger.close();
        const { key } = await stores[0]!.create({ name: 'replica key' });
        expect((await stores[2]!.get(key.id))?.name).toBe('replica key');
        for (const store of stores) await store.close();
        const admin = new pg.Client({ connectionString: DATABASE_URL });
        await admin.connect();
        try {
          const versions = await admin.query(
            `SELECT version FROM ${location.schema}.schema_migrations ORDER BY version`,
          );
          expect(versions.rows.map((row: { version: number }) => row.version)).toEqual(
            MIGRATIONS.map((migration) => migration.version),
          );
        } finally {
          await admin.end();
        }
      } finally {
        await location.dispose();
      }
    });

    it('rejects an invalid schema name', async () => {
      await expect(
        openPostgresKeyStore({ url: DATABASE_URL, schema: 'x; DROP TABLE y' }),
      ).rejects.toThrow(/invalid PostgreSQL schema/);
    });
  });
});
