/**
 * Virtual API keys: what clients send as their bearer token. Stored hashed (SHA-256 of the
 * secret); the secret is shown once, at creation.
 */
export interface KeyLimits {
  /** Requests per minute. */
  requestsPerMinute?: number;
  /** Tokens (input + output) per minute. */
  tokensPerMinute?: number;
  /** USD per UTC day. */
  dailyBudgetUsd?: number;
  /** USD per UTC calendar month. */
  monthlyBudgetUsd?: number;
  /** USD over the key's whole life. */
  totalBudgetUsd?: number;
}

/** Who sent a request: a virtual key, a static config key, or nobody (open mode). */
export interface ClientIdentity {
  /** Ledger key id: the virtual key's id, `static-<hash prefix>` for config keys, null when anonymous. */
  keyId: string | null;
  /** The virtual key, with its allowed models and limits. */
  key?: VirtualKey;
}

export interface VirtualKey {
  /** Stable public id, e.g. `key_3f9a…`; what the ledger and reports show. */
  id: string;
  name: string;
  /** The first characters of the secret, for recognising a key in lists (`sy-AbCd…`). */
  prefix: string;
  /** SHA-256 hex of the secret. Never the secret itself. */
  hash: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms; a revoked key is refused. */
  revokedAt?: number;
  /** Models (or aliases) this key may ask for; absent = all. */
  allowedModels?: string[];
  limits: KeyLimits;
}

export interface CreateKeyInput {
  name: string;
  allowedModels?: string[];
  limits?: KeyLimits;
}

/** Persistent storage of keys (SQLite file or PostgreSQL, the same database as the ledger). */
export interface KeyStore {
  create(input: CreateKeyInput): Promise<{ key: VirtualKey; secret: string }>;
  list(): Promise<VirtualKey[]>;
  get(id: string): Promise<VirtualKey | undefined>;
  findByHash(hash: string): Promise<VirtualKey | undefined>;
  /** Returns false when no such key. Idempotent. */
  revoke(id: string): Promise<boolean>;
  close(): Promise<void>;
}

/** What a request reserves before its upstream call. */
export interface ReservationRequest {
  keyId: string;
  limits: KeyLimits;
  /** Estimated cost of the call (input + expected output at the deployment's price). */
  estimatedCostUsd: number;
  /** Estimated tokens (input + expected output). */
  estimatedTokens: number;
  /** Epoch ms (for the minute, day and month windows). */
  now: number;
  /**
   * An extension of a request already admitted (a failover to a pricier target, a hedge): it
   * reserves money and tokens but counts no request against `requestsPerMinute`.
   */
  extension?: boolean;
}

export type ReservationResult =
  | { ok: true; reservation: Reservation }
  | {
      ok: false;
      reason: 'rate_limited' | 'budget_exceeded' | 'unavailable';
      message: string;
      retryAfterMs?: number;
    };

export interface Reservation {
  /** Replace the estimate with what was actually spent (0 when the call failed unbilled). */
  settle(actualCostUsd: number, actualTokens: number): void;
}

/**
 * Atomic admission control per key: request and token rate limits per minute and USD budgets per
 * day / month / total. `reserve` checks spent + reserved + estimate against every limit and, if
 * all pass, reserves the estimate in the same step, so concurrent requests near a limit overshoot
 * it by at most what is reserved for requests in flight.
 */
export interface SpendGuard {
  reserve(request: ReservationRequest): Promise<ReservationResult>;
  /** Spent so far per window, for the admin API. */
  usage(
    keyId: string,
    now: number,
  ): Promise<{
    dailyUsd: number;
    monthlyUsd: number;
    totalUsd: number;
    requestsThisMinute: number;
    tokensThisMinute: number;
  }>;
}
