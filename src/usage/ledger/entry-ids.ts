import { randomBytes } from 'node:crypto';

/**
 * Ledger row keys. Request ids are not unique (clients may send their own `x-request-id`, and may
 * reuse it), so each recorded entry gets its own key: a random per-process prefix and a counter.
 * Keys are assigned at `record` time, which makes a retried batch idempotent (rows already
 * committed are skipped), and are increasing within a process, which keeps B-tree inserts local.
 */
export function createEntryIdGenerator(): () => string {
  const prefix = randomBytes(6).toString('base64url');
  let counter = 0;
  return () => {
    counter += 1;
    return `${prefix}${counter.toString(36).padStart(9, '0')}`;
  };
}
