import pg from 'pg';
import { describe, it } from 'vitest';

/** The test database: `DATABASE_URL`, else the loopback server `.ci/run` starts. */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresProblem(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why PostgreSQL cannot be used, or undefined when it answers (checked once per test file). */
export const postgresUnavailable = await postgresProblem();

/**
 * `describe(name, suite)` when PostgreSQL answers. When it does not: under `CI=true` a failing
 * test that says so (a store suite must never pass by not running), elsewhere a skipped suite
 * and a line on stderr.
 */
export function describeWithPostgres(name: string, suite: () => void): void {
  if (postgresUnavailable === undefined) {
    describe(name, suite);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs PostgreSQL under CI', () => {
        throw new Error(
          `PostgreSQL is required when CI=true but ${DATABASE_URL} is unreachable: ${postgresUnavailable}`,
        );
      });
    });
    return;
  }
  process.stderr.write(
    `${name} tests SKIPPED: ${DATABASE_URL} unreachable (${postgresUnavailable}); under CI=true this fails.\n`,
  );
  describe.skip(`${name} (unreachable)`, () => {
    it('needs PostgreSQL', () => undefined);
  });
}

export interface TestSchema {
  /** A schema name no other run or test uses. */
  schema: string;
  /** Rows of a query run inside that schema. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Drops the schema and closes the connection. */
  dispose(): Promise<void>;
}

const RUN_ID = `${process.pid}_${Date.now().toString(36)}`;
let schemaCounter = 0;

/**
 * A fresh schema name (`<prefix>_<pid>_<time>_<n>`) with one connection whose search_path is
 * that schema, so parallel runs and reruns never see each other's rows. The schema itself is
 * created by whatever store opens on it (the migrations do that).
 */
export function createTestSchema(prefix: string): TestSchema {
  schemaCounter += 1;
  const schema = `${prefix}_${RUN_ID}_${schemaCounter}`;
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: 1,
    options: `-c search_path=${schema}`,
  });
  return {
    schema,
    async query(sql) {
      return (await pool.query(sql)).rows as Record<string, unknown>[];
    },
    async dispose() {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    },
  };
}
