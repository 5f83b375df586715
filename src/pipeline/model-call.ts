import type { IncomingHttpHeaders } from 'node:http';
import type { CancelSignal } from '../core/cancel.js';
import type { CanonicalRequest } from '../core/request.js';
import type { ModelResponse, StreamPart, Usage } from '../core/response.js';
import type { GatewayError } from '../core/errors.js';
import type { RoutePlan, RouteTarget } from '../core/route.js';
import type { Price } from '../core/deployment.js';
import type { ModelEndpoint } from '../dialects/model-endpoint.js';
import type { AttemptRecord } from '../execution/execution-types.js';
import type { ClientIdentity } from '../keys/key-types.js';
import type { Arrival } from '../learning/learning-loop.js';
import { SESSION_HEADER, sessionOf } from '../router/cache-affinity.js';
import type { RequestRecord } from './request-record.js';

/**
 * One decoded model request on its way through the pipeline. Stages read it and fill in what
 * the stages after them need (the admission, the plan, the upstream hook); the record is what
 * happened, reported once when the response is done.
 */
export interface ModelCall {
  request: CanonicalRequest;
  endpoint: ModelEndpoint<CanonicalRequest>;
  headers: IncomingHttpHeaders;
  identity: ClientIdentity;
  record: RequestRecord;
  /** The client's connection: its signal aborts when the client leaves before the end. */
  client: ClientSignal;
  /** The key's admission (set by the admission stage for keyed requests). */
  admission?: RequestAdmission;
  /** The route plan (set by the route stage). */
  plan?: RoutePlan;
  /** The conversation and the signals of its arrival (set by the learn stage; the route stage plans a cascade by it). */
  arrival?: Arrival;
  /** Do not answer from the cache (an explicit retry of an answer that failed). */
  skipCache?: boolean;
  /** The agent session (cache affinity's, and the learning loop's conversation): see `sessionOfCall`. */
  session?: string;
  /**
   * Set by the cache stage for a call identical requests may share: execute calls it once, right
   * before the first upstream attempt, and runs the attempts under the signal it returns (a
   * shared call's, aborted only when every client waiting for it has left).
   */
  beginUpstream?: () => CancelSignal;
}

/**
 * The call's agent session (`sessionOf`: the session header, else a hash of the conversation's
 * prefix), derived once for the learn and route stages alike. Undefined for a completion.
 */
export function sessionOfCall(call: ModelCall): string | undefined {
  call.session ??= sessionOf(call.request, call.headers[SESSION_HEADER], call.identity.keyId);
  return call.session;
}

/** What a keyed request has reserved so far (the admission stage); settled once with what it spent. */
export interface RequestAdmission {
  /** The executor's seam (ExecutionContext.admitAttempt): scope and budget of each target before it is tried. */
  admitAttempt(target: RouteTarget, concurrent: boolean): Promise<GatewayError | undefined>;
  /** Admits the plan's first admissible target before anything runs; throws the refusal when there is none. */
  admitFirst(targets: readonly RouteTarget[]): Promise<void>;
  /** A request answered without an upstream call (a cache hit, a joiner): the scope, a reservation at no price. */
  admitServed(servedModel: string): Promise<void>;
  /** Targets skipped and why (`key: reason`), for the route header and the ledger's route reason. */
  readonly skipped: string[];
  settle(costUsd: number, tokens: number): void;
}

/** The client's abort signal, made only when a stage asks for it (a stored JSON answer never does). */
export interface ClientSignal {
  readonly signal: CancelSignal;
}

/** The deployment an answer comes from. */
export interface AnswerOrigin {
  model: string;
  provider: string;
  /** The deployment's price: what the answer's tokens cost (or, served from the cache, saved). */
  price?: Price;
  /** The max_tokens sent, when it was clamped to the deployment's max output. */
  maxTokensClamped?: number;
}

/** What happened: where the answer came from and, for an upstream answer, which attempt served. */
export interface Outcome {
  /** `upstream`: this request's own call; `hit`: the stored answer; `shared`: an identical call in flight. */
  source: 'upstream' | 'hit' | 'shared';
  /** The answering deployment; absent when every attempt failed. */
  origin?: AnswerOrigin;
  /** The attempt whose answer is served (recorded by execute); absent for cache answers and failures. */
  served?: AttemptRecord;
  /** A hit: what the stored answer cost when it was produced. */
  stored?: { usage?: Usage; costUsd?: number };
}

/** The answer to send: parts as they arrive (a stream), the whole response, or the failure. */
export type Answer =
  | { parts: AsyncIterable<readonly StreamPart[]> }
  | { response: ModelResponse | Promise<ModelResponse> }
  | { error: unknown };

/** What the chain produced: one result, served by one writer. */
export interface CallResult {
  outcome: Outcome;
  answer: Answer;
  /**
   * Called exactly once by the writer when the response is done (sent, failed or cut off): each
   * stage releases what it holds, the innermost first.
   */
  finish(): Promise<void>;
}

export type CallHandler = (call: ModelCall) => Promise<CallResult>;

/** A stage is a function of the next (as undici's interceptors or the AI SDK's wrapLanguageModel). */
export type Stage = (next: CallHandler) => CallHandler;

/** The chain: `stages[0]` sees the call first and the result last; `last` makes the answer. */
export function composeStages(stages: readonly Stage[], last: CallHandler): CallHandler {
  return stages.reduceRight<CallHandler>((next, stage) => stage(next), last);
}

/**
 * Runs `release` once the result was served (`finish`), or at once when the rest of the chain
 * threw (then there is no result to serve). `release` must not throw.
 */
export async function releaseAfter(
  pending: Promise<CallResult>,
  release: (result: CallResult | undefined) => void | Promise<void>,
): Promise<CallResult> {
  let result: CallResult;
  try {
    result = await pending;
  } catch (error) {
    await release(undefined);
    throw error;
  }
  const finish = result.finish;
  return {
    ...result,
    finish: async () => {
      try {
        await finish();
      } finally {
        await release(result);
      }
    },
  };
}

/** A result with nothing to release. */
export const NOTHING_TO_FINISH = (): Promise<void> => Promise.resolve();
