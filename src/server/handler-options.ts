import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SpendGuard } from '../keys/key-types.js';
import type { AttemptObserver, Router } from '../core/route.js';
import type { CacheAffinity } from '../router/cache-affinity.js';
import type { ExecutionPolicy } from '../execution/execution-policy.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { LearningLoop } from '../learning/learning-loop.js';
import type { RequestObserver, RequestRecord } from '../pipeline/request-record.js';
import type { ResponseStore } from '../usage/response-store/response-store.js';
import type { Authenticator } from './authenticate.js';
import type { ConnectionTracker } from './connection-tracker.js';
import type { EmbeddingTargets } from './embedding-targets.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { ModelDirectory } from './model-directory.js';
import type { BufferedBodyBudget } from './read-body.js';

/** What the HTTP entry point (handle-request.ts) and the endpoint routing (route-request.ts) are built from. */
export interface RequestHandlerOptions {
  directory: ModelDirectory;
  router: Router;
  /** Agent-session memory for cache affinity; absent = off. */
  affinity?: CacheAffinity;
  /** The embedding models (`/v1/embeddings`); absent = none configured. */
  embeddings?: EmbeddingTargets;
  attemptObserver?: AttemptObserver;
  /** Retries, breakers, timeouts, hedging, output checks (src/execution). */
  executionPolicy?: ExecutionPolicy;
  guard?: SpendGuard;
  /** The exact response cache (src/cache); absent = off. */
  cache?: ResponseCache;
  /** Stored Responses API responses (`store`, `previous_response_id`); absent = storing off. */
  responseStore?: ResponseStore;
  /** The admin API handler (`/admin/…`). */
  admin?: (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void>;
  /** The dashboard (`/dashboard`, its files and login form). */
  dashboard?: (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void>;
  authenticator: Authenticator;
  bodyLimitBytes: number;
  /** Output tokens a keyed request without max_tokens reserves, at most (`auth.reserve_output_tokens`). */
  reserveOutputTokens?: number;
  /** Deepest accepted JSON nesting (`server.max_json_depth`). */
  maxJsonDepth: number;
  /** A whole request must have arrived this long after it began (`server.request_timeout_ms`); absent = no own deadline. */
  requestTimeoutMs?: number;
  /** Request body bytes held at once across requests (`server.max_buffered_body`). */
  bodyBudget?: BufferedBodyBudget;
  /** Open connections: the connection cap, the drain, the dialect of errors outside a request. */
  connections?: ConnectionTracker;
  observer?: RequestObserver;
  /**
   * Runs when a response is about to end; the end waits for the promise it returns (the ledger's
   * journal: the answered request is on disk before its client sees the end). Undefined: no wait.
   */
  beforeEnd?: (record: RequestRecord, response: ServerResponse) => Promise<void> | undefined;
  metrics?: GatewayMetrics;
  newRequestId: () => string;
  /** Start a trace for every request (spans are exported); without it only a client's `traceparent` is continued. */
  traceRequests?: boolean;
  /** Keep each model request's decoded body on its record (for body logging). */
  captureBodies?: boolean;
  /** The learning loop: outcome signals, `POST /v1/feedback`, cascade rungs; absent = off. */
  learning?: LearningLoop;
  /** The admin token, which may send feedback for any request. */
  adminToken?: string;
}
