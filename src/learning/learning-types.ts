import type { ConversationRungs } from '../router/learning/conversation-rungs.js';
import type { QualityModel } from '../router/learning/quality-model.js';
import type { SharedState } from '../state/shared-state.js';
import type { Ledger } from '../usage/ledger/ledger.js';

/** What routing needs from the learning loop before it plans a request. */
export interface Arrival {
  conversation: string;
  promptHash: string;
  /** The request retries an earlier answer (which is marked failed). */
  retried?: boolean;
  /** An earlier request of the same prompt from the same key within the window (a retry if routed). */
  repeatOf?: string;
}

/** A routed request, as planned. */
export interface PlannedRequest {
  requestId: string;
  keyId: string | null;
  arrival: Arrival;
  provider: string;
  model: string;
  bucket: string;
  policy?: string;
  rung?: { index: number; count: number };
}

/** A finished request as the learning loop reads it (filled from the request record). */
export interface SettledRequest {
  requestId: string;
  status: number;
  provider?: string;
  model?: string;
  errorCode?: string;
  attempts: ReadonlyArray<{
    provider: string;
    model: string;
    errorCode?: string;
    endReason?: string;
  }>;
  arrival: Arrival;
}

export interface FeedbackInput {
  requestId: string;
  score: number;
  reason?: string;
  source?: string;
}

export interface FeedbackResult {
  request_id: string;
  model: string;
  provider: string;
  bucket: string;
  score: number;
  posterior: { mean: number; evidence: number };
  escalated_to_rung?: number;
}

export interface LearningLoopOptions {
  quality: QualityModel;
  rungs: ConversationRungs;
  ledger?: Ledger;
  shared?: SharedState;
  /** Whether any cascade policy is configured (only then a replica reads unknown conversations' rungs). */
  cascadeConfigured?: () => boolean;
  log?: (message: string) => void;
  now?: () => number;
}
