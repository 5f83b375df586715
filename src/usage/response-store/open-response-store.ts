import { createResponseStore, type ResponseStoreLimits } from './create-response-store.js';
import { openPostgresResponseStore } from './postgres-response-store.js';
import type { ResponseStore } from './response-store.js';
import { openSqliteResponseStore } from './sqlite-response-store.js';

export interface OpenResponseStoreOptions extends ResponseStoreLimits {
  /** Where the SQLite file lives (`<dataDir>/switchyard.db`, shared with the ledger). */
  dataDir: string;
  /** A `postgres://` URL selects PostgreSQL (the ledger's database); absent or empty, the SQLite file. */
  databaseUrl?: string | undefined;
  /** PostgreSQL schema (default: the server's search_path); tests use one per run. */
  schema?: string;
}

/** Opens the response store next to the ledger, with its TTL and size bounds. */
export async function openResponseStore(options: OpenResponseStoreOptions): Promise<ResponseStore> {
  const { databaseUrl, dataDir, schema, ...limits } = options;
  if (databaseUrl !== undefined && databaseUrl !== '') {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl))
      throw new Error('responses: databaseUrl must be a postgres:// or postgresql:// URL');
    return createResponseStore(
      await openPostgresResponseStore({
        url: databaseUrl,
        ...(schema === undefined ? {} : { schema }),
        ...(limits.log ? { log: limits.log } : {}),
      }),
      limits,
    );
  }
  return createResponseStore(openSqliteResponseStore({ dataDir }), limits);
}
