import type { KeyStore } from './key-types.js';
import { openPostgresKeyStore } from './postgres-key-store.js';
import { openSqliteKeyStore } from './sqlite-key-store.js';

export interface OpenKeyStoreOptions {
  /** Where the SQLite file lives (`<dataDir>/switchyard.db`, shared with the ledger). */
  dataDir: string;
  /** A `postgres://` URL selects PostgreSQL (the ledger's database); absent or empty, the SQLite file. */
  databaseUrl?: string | undefined;
  /** PostgreSQL schema (default: the server's search_path); tests use one per run. */
  schema?: string;
  log?: (message: string) => void;
}

/** Opens the key store next to the ledger and brings the shared schema up to date. */
export async function openKeyStore(options: OpenKeyStoreOptions): Promise<KeyStore> {
  const { databaseUrl } = options;
  if (databaseUrl !== undefined && databaseUrl !== '') {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl))
      throw new Error('keys: databaseUrl must be a postgres:// or postgresql:// URL');
    return openPostgresKeyStore({
      url: databaseUrl,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
  }
  return openSqliteKeyStore({ dataDir: options.dataDir });
}
