import { describeResponseStoreContract } from '../../../test/contracts/response-store-contract.js';
import { openPostgresResponseStore } from './postgres-response-store.js';
import {
  createTestSchema,
  DATABASE_URL,
  describeWithPostgres,
} from '../../../test/helpers/postgres-test-schema.js';

describeWithPostgres('PostgreSQL response store', () => {
  describeResponseStoreContract('PostgreSQL', async () => {
    const { schema, query, dispose } = createTestSchema('switchyard_responses_test');
    return {
      open: () => openPostgresResponseStore({ url: DATABASE_URL, schema }),
      async count() {
        return Number((await query('SELECT count(*) AS n FROM stored_responses'))[0]?.n);
      },
      dispose,
    };
  });
});
