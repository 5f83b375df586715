import type { ErrorCode } from '../core/errors.js';
import type { Usage } from '../core/response.js';
import type { TraceContext } from '../core/trace-context.js';

/**
 * What logs and traces read from a finished request: the fields of the gateway's per-request
 * record they use (the record is passed as is; these types only name what is read).
 */
export interface ObservedAttempt {
  provider: string;
  model: string;
  upstreamModel: string;
  startedAtWall: number;
  startedAt: number;
  firstTokenAt?: number;
  endedAt?: number;
  status?: number;
  errorCode?: ErrorCode;
  endReason?: string;
  usage?: Usage;
  costUsd?: number;
  spanId?: string;
}

export interface ObservedRequest {
  requestId: string;
  method: string;
  path: string;
  startedAt: number;
  startedAtWall: number;
  status: number;
  stream: boolean;
  apiKeyId?: string | null;
  modelAsked?: string;
  model?: string;
  provider?: string;
  usage?: Usage;
  costUsd?: number;
  costEstimated?: boolean;
  savedUsd?: number;
  cacheStatus?: 'hit' | 'miss' | 'bypass' | 'shared';
  errorCode?: ErrorCode;
  firstTokenMs?: number;
  durationMs?: number;
  route?: string;
  attempts?: readonly ObservedAttempt[];
  trace?: TraceContext;
  requestBody?: unknown;
}
