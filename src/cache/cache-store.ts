import type { ModelResponse, Usage } from '../core/response.js';

/** One stored answer: the canonical response and what producing it cost upstream. */
export interface CachedAnswer {
  response: ModelResponse;
  /** The gateway's name of the model that produced it. */
  model: string;
  provider: string;
  /** Tokens billed for it (reported, or estimated when the provider reported none). */
  usage?: Usage;
  /** USD it cost upstream; what a hit saves. Absent when the price was unknown. */
  costUsd?: number;
  /** Epoch ms when it was stored. */
  storedAt: number;
}

/**
 * Where exact-cache entries live: in process (memory) or shared by replicas (Redis). A store
 * never throws to its caller: a failing or slow backend answers `get` with undefined (a miss)
 * and drops `set`, so the cache can only make a request cheaper, never fail it.
 */
export interface CacheStore {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<CachedAnswer | undefined>;
  /** Stores the entry for `ttlMs` milliseconds (replacing any entry under the key). */
  set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}
