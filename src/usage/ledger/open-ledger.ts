import type { Ledger, LedgerWriteOptions } from './ledger.js';
import { openPostgresLedger } from './postgres-ledger.js';
import { openSqliteLedger } from './sqlite-ledger.js';

export interface OpenLedgerOptions extends LedgerWriteOptions {
  /** A `postgres://` URL selects the shared PostgreSQL ledger; absent or empty, the SQLite file. */
  databaseUrl?: string | undefined;
  /** Where the SQLite file lives (`<dataDir>/switchyard.db`). */
  dataDir: string;
}

/** Opens the configured ledger and brings its schema up to date. */
export function openLedger(options: OpenLedgerOptions): Promise<Ledger> {
  const { databaseUrl, dataDir, ...writeOptions } = options;
  if (databaseUrl !== undefined && databaseUrl !== '') {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
      return Promise.reject(
        new Error('ledger: databaseUrl must be a postgres:// or postgresql:// URL'),
      );
    }
    return openPostgresLedger({ ...writeOptions, url: databaseUrl });
  }
  return openSqliteLedger({ ...writeOptions, dataDir });
}
