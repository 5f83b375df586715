export type {
  CreateKeyInput,
  KeyLimits,
  KeyStore,
  Reservation,
  ReservationRequest,
  ReservationResult,
  SpendGuard,
  VirtualKey,
} from './key-types.js';
export { KeyInputError, hashSecret, validateLimits } from './key-input.js';
export { openKeyStore, type OpenKeyStoreOptions } from './open-key-store.js';
export { openSqliteKeyStore, type SqliteKeyStoreOptions } from './sqlite-key-store.js';
export { openPostgresKeyStore, type PostgresKeyStoreOptions } from './postgres-key-store.js';
export {
  createKeyDirectory,
  type KeyDirectory,
  type KeyDirectoryOptions,
} from './key-directory.js';
export { createMemorySpendGuard, type MemorySpendGuardOptions } from './memory-spend-guard.js';
export { createLedgerSpendSeed, type SpendSeed, type SpentBaseline } from './ledger-spend-seed.js';
