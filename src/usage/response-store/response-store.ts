/**
 * Stored Responses API responses (`store: true`), so a follow-up can name one with
 * `previous_response_id` and `GET` / `DELETE /v1/responses/{id}` can read or remove it. They live
 * in the ledger's database (SQLite file or PostgreSQL, table `stored_responses`), each with an
 * expiry time; reads never return an expired one.
 */
export interface StoredResponse {
  /** `resp_…` */
  id: string;
  /** The client key that created it; only that key may read or delete it (null: anonymous clients). */
  ownerKeyId: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds after which it is gone. */
  expiresAt: number;
  /** The response object as the client received it. */
  response: Record<string, unknown>;
  /** The conversation's input items up to this response (a previous response's items included). */
  inputItems: unknown[];
}

/** The database side: rows in and out, nothing more. Shared contract suite: test/contracts/response-store-contract.ts. */
export interface ResponseStoreBackend {
  readonly kind: 'sqlite' | 'postgres';
  insert(entry: StoredResponse, bytes: number): Promise<void>;
  /** The entry if it exists, belongs to `ownerKeyId` and has not expired at `now`. */
  find(id: string, ownerKeyId: string | null, now: number): Promise<StoredResponse | undefined>;
  /** True when a live entry of that owner was deleted. */
  remove(id: string, ownerKeyId: string | null, now: number): Promise<boolean>;
  /** Deletes expired entries, then the oldest beyond `maxEntries`. Returns how many went. */
  prune(now: number, maxEntries: number): Promise<number>;
  close(): Promise<void>;
}

export interface ResponseStore {
  /**
   * Stores a response unless it is larger than the size bound; false when it was not stored. The
   * entry is readable at once (before the database write completes) on this replica.
   */
  save(entry: Omit<StoredResponse, 'createdAt' | 'expiresAt'>): boolean;
  get(id: string, ownerKeyId: string | null): Promise<StoredResponse | undefined>;
  delete(id: string, ownerKeyId: string | null): Promise<boolean>;
  /** Waits for the writes in flight. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
