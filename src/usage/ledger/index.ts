export type {
  CacheStatus,
  GroupDimension,
  Ledger,
  LedgerAttempt,
  LedgerEntry,
  LedgerRequest,
  LedgerStats,
  LedgerWriteOptions,
  ReportFigures,
  ReportQuery,
  ReportRow,
  UsageReport,
} from './ledger.js';
export { openLedger, type OpenLedgerOptions } from './open-ledger.js';
export { openSqliteLedger, SQLITE_FILE_NAME, type SqliteLedgerOptions } from './sqlite-ledger.js';
export { openPostgresLedger, type PostgresLedgerOptions } from './postgres-ledger.js';
export { MIGRATIONS, dailyBackfillSql, type Migration } from './migrations.js';
export { DEFAULT_WRITE_OPTIONS } from './write-queue.js';
