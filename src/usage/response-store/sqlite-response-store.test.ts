import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeResponseStoreContract } from '../../../test/contracts/response-store-contract.js';
import { openSqliteResponseStore } from './sqlite-response-store.js';

describeResponseStoreContract('SQLite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-responses-'));
  return {
    open: async () => openSqliteResponseStore({ dataDir }),
    async count() {
      const database = new Database(join(dataDir, 'switchyard.db'), { readonly: true });
      try {
        return (
          database.prepare('SELECT count(*) AS n FROM stored_responses').get() as { n: number }
        ).n;
      } finally {
        database.close();
      }
    },
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
