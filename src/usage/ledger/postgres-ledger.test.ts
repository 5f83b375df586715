import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { GroupDimension } from './ledger.js';
import {
  describeLedgerContract,
  type LedgerStoreHandle,
} from '../../../test/contracts/ledger-contract.js';
import { DAY, FIXTURE_EPOCH, randomEntries } from './ledger-fixtures.js';
import { MIGRATIONS } from './migrations.js';
import { openLedger } from './open-ledger.js';
import { openPostgresLedger } from './postgres-ledger.js';
import { openSqliteLedger } from './sqlite-ledger.js';
import {
  createTestSchema,
  DATABASE_URL,
  describeWithPostgres,
} from '../../../test/helpers/postgres-test-schema.js';

/** Each store is its own schema, dropped afterwards: parallel runs and reruns never see each other's rows. */
async function createPostgresStore(): Promise<LedgerStoreHandle> {
  const { schema, query, dispose } = createTestSchema('switchyard_ledger_test');
  return {
    open: (options) => openPostgresLedger({ ...options, url: DATABASE_URL, schema }),
    query,
    dispose,
  };
}

describeWithPostgres('PostgreSQL ledger', () => {
  describeLedgerContract('PostgreSQL', createPostgresStore);

  describe('PostgreSQL and SQLite', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'switchyard-ledger-'));
    afterAll(() => rmSync(directory, { recursive: true, force: true }));

    it('give identical reports on the same entries', async () => {
      const store = await createPostgresStore();
      const postgres = await store.open({ batchSize: 128 });
      const sqlite = await openSqliteLedger({ dataDir: directory, batchSize: 200 });
      try {
        for (const entry of randomEntries(42, 2000, FIXTURE_EPOCH, 20)) {
          postgres.record(entry);
          sqlite.record(entry);
        }
        await Promise.all([postgres.flush(), sqlite.flush()]);
        const groupings: GroupDimension[][] = [
          [],
          ['model'],
          ['provider'],
          ['key'],
          ['day'],
          ['model', 'day'],
          ['key', 'provider', 'model', 'day'],
        ];
        const ranges: [number, number][] = [
          [FIXTURE_EPOCH, FIXTURE_EPOCH + 20 * DAY],
          [FIXTURE_EPOCH + 3.3 * DAY, FIXTURE_EPOCH + 11.8 * DAY],
          [FIXTURE_EPOCH + 5 * DAY + 1, FIXTURE_EPOCH + 5.5 * DAY],
        ];
        for (const groupBy of groupings) {
          for (const [from, to] of ranges) {
            expect(await postgres.report({ from, to, groupBy })).toEqual(
              await sqlite.report({ from, to, groupBy }),
            );
          }
        }
      } finally {
        await Promise.allSettled([postgres.close(), sqlite.close()]);
        await store.dispose();
      }
    });
  });

  describe('openPostgresLedger', () => {
    it('openLedger picks PostgreSQL for a postgres:// URL (search_path from the URL)', async () => {
      const schema = `switchyard_ledger_test_${process.pid}_${Date.now().toString(36)}_url`;
      const admin = new pg.Client({ connectionString: DATABASE_URL });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA ${schema}`);
        const url = new URL(DATABASE_URL);
        url.searchParams.set('options', `-c search_path=${schema}`);
        const ledger = await openLedger({
          databaseUrl: url.toString(),
          dataDir: '/nonexistent/unused',
        });
        expect(ledger.kind).toBe('postgres');
        await ledger.close();
        const tables = await admin.query(
          'SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename',
          [schema],
        );
        expect(tables.rows.map((row: { tablename: string }) => row.tablename)).toEqual([
          'api_keys',
          'ledger_attempts',
          'ledger_daily',
          'ledger_escalations',
          'ledger_outcomes',
          'ledger_requests',
          'schema_migrations',
          'stored_responses',
        ]);
      } finally {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      }
    });

    it('migrates once when several replicas open the same schema together', async () => {
      const store = await createPostgresStore();
      try {
        const ledgers = await Promise.all([store.open(), store.open(), store.open()]);
        await Promise.all(ledgers.map((ledger) => ledger.close()));
        const rows = await store.query('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((row) => row.version)).toEqual(
          MIGRATIONS.map((migration) => migration.version),
        );
      } finally {
        await store.dispose();
      }
    });

    it('rejects an invalid schema name', async () => {
      await expect(
        openPostgresLedger({ url: DATABASE_URL, schema: 'x; DROP TABLE y' }),
      ).rejects.toThrow(/invalid PostgreSQL schema/);
    });
  });
});
