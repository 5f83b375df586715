import { DAILY_SUM_COLUMNS_V2, dailyUpsertSql } from './daily-rollup.js';

export type LedgerDialect = 'sqlite' | 'postgres';

/**
 * A schema change. Migrations are applied in `version` order, each in the same transaction as
 * its `schema_migrations` row, so a version is either fully applied or not at all. Never edit a
 * released migration: add the next number.
 */
export interface Migration {
  version: number;
  name: string;
  statements(dialect: LedgerDialect): string[];
}

export const MIGRATIONS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

/** The same column types in both stores: times in epoch ms, money in nano-USD, flags as 0/1. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'requests and attempts',
    statements: () => [
      `CREATE TABLE ledger_requests (
        entry_id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        api_key_id TEXT,
        model_asked TEXT,
        model TEXT,
        provider TEXT,
        attempts INTEGER NOT NULL,
        input_tokens BIGINT NOT NULL,
        cached_input_tokens BIGINT NOT NULL,
        output_tokens BIGINT NOT NULL,
        reasoning_tokens BIGINT NOT NULL,
        cost_nano_usd BIGINT NOT NULL,
        cost_estimated SMALLINT NOT NULL,
        saved_nano_usd BIGINT NOT NULL,
        reference_cost_nano_usd BIGINT,
        latency_ms INTEGER NOT NULL,
        first_token_ms INTEGER,
        status SMALLINT NOT NULL,
        error_code TEXT,
        cache_status TEXT NOT NULL,
        route_reason TEXT,
        stream SMALLINT NOT NULL
      )`,
      'CREATE INDEX ledger_requests_started_at ON ledger_requests (started_at)',
      'CREATE INDEX ledger_requests_request_id ON ledger_requests (request_id)',
      `CREATE TABLE ledger_attempts (
        entry_id TEXT NOT NULL,
        attempt SMALLINT NOT NULL,
        request_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        upstream_model TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        latency_ms INTEGER NOT NULL,
        first_token_ms INTEGER,
        input_tokens BIGINT NOT NULL,
        cached_input_tokens BIGINT NOT NULL,
        output_tokens BIGINT NOT NULL,
        reasoning_tokens BIGINT NOT NULL,
        cost_nano_usd BIGINT NOT NULL,
        status SMALLINT NOT NULL,
        error_code TEXT,
        PRIMARY KEY (entry_id, attempt)
      )`,
    ],
  },
  {
    version: 2,
    name: 'daily rollup',
    statements: (dialect) => [
      `CREATE TABLE ledger_daily (
        day INTEGER NOT NULL,
        api_key_id TEXT NOT NULL,
        model TEXT NOT NULL,
        provider TEXT NOT NULL,
        requests BIGINT NOT NULL,
        errors BIGINT NOT NULL,
        cache_hits BIGINT NOT NULL,
        estimated BIGINT NOT NULL,
        input_tokens BIGINT NOT NULL,
        cached_input_tokens BIGINT NOT NULL,
        output_tokens BIGINT NOT NULL,
        reasoning_tokens BIGINT NOT NULL,
        cost_nano_usd BIGINT NOT NULL,
        saved_nano_usd BIGINT NOT NULL,
        routing_saved_nano_usd BIGINT NOT NULL,
        PRIMARY KEY (day, api_key_id, model, provider)
      )${dialect === 'sqlite' ? ' WITHOUT ROWID' : ''}`,
      dailyBackfillSqlV2(),
    ],
  },
  {
    version: 3,
    name: 'virtual api keys',
    // Owned by src/keys/: secrets are stored only as their SHA-256 hex; budgets in nano-USD; allowed_models a JSON array or NULL (all).
    statements: () => [
      `CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        secret_hash TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT,
        allowed_models TEXT,
        requests_per_minute BIGINT,
        tokens_per_minute BIGINT,
        daily_budget_nano_usd BIGINT,
        monthly_budget_nano_usd BIGINT,
        total_budget_nano_usd BIGINT
      )`,
    ],
  },
  {
    version: 4,
    name: 'drop the request id index',
    // Request ids are random (UUIDv4 or the client's): each insert dirtied a random page of this
    // index, which made a 500-entry SQLite batch 7x slower at 3M rows (43.6 ms against 5.9 ms;
    // docs/ledger.md). Looking a request up by id is a rare operator task and can scan.
    statements: () => ['DROP INDEX IF EXISTS ledger_requests_request_id'],
  },
  {
    version: 5,
    name: 'stored responses',
    // Owned by src/usage/response-store/: Responses API responses kept for previous_response_id and
    // GET /v1/responses/{id}. owner_key_id is '' for anonymous clients; body is the JSON of
    // {response, inputItems}; bytes its UTF-8 length (the size bound is checked before insert).
    statements: () => [
      `CREATE TABLE stored_responses (
        id TEXT PRIMARY KEY,
        owner_key_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        bytes INTEGER NOT NULL,
        body TEXT NOT NULL
      )`,
      'CREATE INDEX stored_responses_expires_at ON stored_responses (expires_at)',
      'CREATE INDEX stored_responses_created_at ON stored_responses (created_at)',
    ],
  },
  {
    version: 6,
    name: 'request endpoint',
    // Which client endpoint a request came in on (`/v1/responses`, `/v1/messages`…); NULL for older rows.
    statements: () => ['ALTER TABLE ledger_requests ADD COLUMN endpoint TEXT'],
  },
  {
    version: 7,
    name: 'replica and unknown prices',
    // replica_id: the replica that served the request (SWITCHYARD_REPLICA_ID, default host:pid).
    // cost_nano_usd becomes nullable in both tables: NULL is an unknown price (a deployment with no
    // price), never $0. Older rows keep their 0. ledger_daily counts the unpriced requests.
    // SQLite cannot drop a NOT NULL constraint: the two tables are rebuilt, rowids kept (the
    // daily upsert follows rowids).
    statements: (dialect) =>
      dialect === 'postgres'
        ? [
            'ALTER TABLE ledger_requests ADD COLUMN replica_id TEXT',
            'ALTER TABLE ledger_requests ALTER COLUMN cost_nano_usd DROP NOT NULL',
            'ALTER TABLE ledger_attempts ALTER COLUMN cost_nano_usd DROP NOT NULL',
            'ALTER TABLE ledger_daily ADD COLUMN unpriced BIGINT NOT NULL DEFAULT 0',
          ]
        : [
            ...rebuildSqlite('ledger_requests', REQUESTS_V7, ['entry_id'], REQUESTS_V6_COLUMNS),
            'CREATE INDEX ledger_requests_started_at ON ledger_requests (started_at)',
            ...rebuildSqlite(
              'ledger_attempts',
              ATTEMPTS_V7,
              ['entry_id', 'attempt'],
              ATTEMPTS_V7.map(([name]) => name),
            ),
            'ALTER TABLE ledger_daily ADD COLUMN unpriced BIGINT NOT NULL DEFAULT 0',
          ],
  },
  {
    version: 8,
    name: 'answer outcomes',
    // Owned by src/learning/: one outcome per request, signal and deployment (client feedback,
    // structured-output, upstream-error, retry, tool-result); score in thousandths (0 failed … 1000
    // passed). ledger_requests.bucket is the quality model's request bucket, for feedback lookups.
    statements: () => [
      `CREATE TABLE ledger_outcomes (
        request_id TEXT NOT NULL,
        signal TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        recorded_at BIGINT NOT NULL,
        api_key_id TEXT,
        bucket TEXT NOT NULL,
        score_milli INTEGER NOT NULL,
        reason TEXT,
        source TEXT,
        PRIMARY KEY (request_id, signal, provider, model)
      )`,
      'CREATE INDEX ledger_outcomes_recorded_at ON ledger_outcomes (recorded_at)',
      'ALTER TABLE ledger_requests ADD COLUMN bucket TEXT',
    ],
  },
  {
    version: 9,
    name: 'escalations',
    // Owned by src/learning/: one row per request, kind and deployment escalated away from.
    // kind `cascade` (a failure raised the conversation's rung: to_rung, 1-based) or
    // `structured-output` (the executor moved on after invalid JSON: to_provider/to_model).
    statements: () => [
      `CREATE TABLE ledger_escalations (
        request_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        recorded_at BIGINT NOT NULL,
        api_key_id TEXT,
        bucket TEXT NOT NULL,
        to_provider TEXT,
        to_model TEXT,
        to_rung INTEGER,
        reason TEXT,
        PRIMARY KEY (request_id, kind, provider, model)
      )`,
      'CREATE INDEX ledger_escalations_recorded_at ON ledger_escalations (recorded_at)',
    ],
  },
];

type ColumnDefinition = readonly [name: string, type: string];

/** ledger_requests as of migration 7 (SQLite rebuild), in column order. */
const REQUESTS_V7: readonly ColumnDefinition[] = [
  ['entry_id', 'TEXT NOT NULL'],
  ['request_id', 'TEXT NOT NULL'],
  ['started_at', 'BIGINT NOT NULL'],
  ['api_key_id', 'TEXT'],
  ['model_asked', 'TEXT'],
  ['model', 'TEXT'],
  ['provider', 'TEXT'],
  ['attempts', 'INTEGER NOT NULL'],
  ['input_tokens', 'BIGINT NOT NULL'],
  ['cached_input_tokens', 'BIGINT NOT NULL'],
  ['output_tokens', 'BIGINT NOT NULL'],
  ['reasoning_tokens', 'BIGINT NOT NULL'],
  ['cost_nano_usd', 'BIGINT'],
  ['cost_estimated', 'SMALLINT NOT NULL'],
  ['saved_nano_usd', 'BIGINT NOT NULL'],
  ['reference_cost_nano_usd', 'BIGINT'],
  ['latency_ms', 'INTEGER NOT NULL'],
  ['first_token_ms', 'INTEGER'],
  ['status', 'SMALLINT NOT NULL'],
  ['error_code', 'TEXT'],
  ['cache_status', 'TEXT NOT NULL'],
  ['route_reason', 'TEXT'],
  ['stream', 'SMALLINT NOT NULL'],
  ['endpoint', 'TEXT'],
  ['replica_id', 'TEXT'],
];
const REQUESTS_V6_COLUMNS = REQUESTS_V7.map(([name]) => name).filter(
  (name) => name !== 'replica_id',
);

/** ledger_attempts as of migration 7 (SQLite rebuild). */
const ATTEMPTS_V7: readonly ColumnDefinition[] = [
  ['entry_id', 'TEXT NOT NULL'],
  ['attempt', 'SMALLINT NOT NULL'],
  ['request_id', 'TEXT NOT NULL'],
  ['provider', 'TEXT NOT NULL'],
  ['model', 'TEXT NOT NULL'],
  ['upstream_model', 'TEXT NOT NULL'],
  ['started_at', 'BIGINT NOT NULL'],
  ['latency_ms', 'INTEGER NOT NULL'],
  ['first_token_ms', 'INTEGER'],
  ['input_tokens', 'BIGINT NOT NULL'],
  ['cached_input_tokens', 'BIGINT NOT NULL'],
  ['output_tokens', 'BIGINT NOT NULL'],
  ['reasoning_tokens', 'BIGINT NOT NULL'],
  ['cost_nano_usd', 'BIGINT'],
  ['status', 'SMALLINT NOT NULL'],
  ['error_code', 'TEXT'],
];

/** SQLite's table change: a new table, the rows copied with their rowids, the old one dropped. */
function rebuildSqlite(
  table: string,
  columns: readonly ColumnDefinition[],
  primaryKey: readonly string[],
  copied: readonly string[],
): string[] {
  const definitions = columns.map(([name, type]) => `${name} ${type}`).join(',\n        ');
  const list = copied.join(', ');
  return [
    `CREATE TABLE ${table}_rebuilt (
        ${definitions},
        PRIMARY KEY (${primaryKey.join(', ')})
      )`,
    `INSERT INTO ${table}_rebuilt (rowid, ${list}) SELECT rowid, ${list} FROM ${table}`,
    `DROP TABLE ${table}`,
    `ALTER TABLE ${table}_rebuilt RENAME TO ${table}`,
  ];
}

/** Adds every request row to `ledger_daily` (migration 2 on an existing ledger; the bench after a bulk load into an empty rollup). */
export function dailyBackfillSql(): string {
  return dailyUpsertSql('ledger_requests');
}

/** Migration 2's backfill, frozen to the rollup columns that migration creates. */
function dailyBackfillSqlV2(): string {
  return dailyUpsertSql('ledger_requests', 'true', DAILY_SUM_COLUMNS_V2);
}

/** The migrations still to apply, in order; throws when the store is newer than this code. */
export function pendingMigrations(appliedVersions: readonly number[]): Migration[] {
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  const newest = Math.max(0, ...appliedVersions);
  if (newest > latest) {
    throw new Error(
      `ledger schema version ${newest} is newer than this Switchyard understands (${latest}); upgrade Switchyard`,
    );
  }
  const applied = new Set(appliedVersions);
  return MIGRATIONS.filter((migration) => !applied.has(migration.version));
}
