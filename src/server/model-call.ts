import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { FlightAbandoned } from '../cache/single-flight.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { Cancel, type CancelSignal } from '../core/cancel.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import { redactText } from '../core/redact.js';
import type { CanonicalRequest } from '../core/request.js';
import type { AttemptObserver, Router } from '../core/route.js';
import type { CacheAffinity } from '../router/cache-affinity.js';
import type { ModelEndpoint } from '../dialects/model-endpoint.js';
import type { ExecutionPolicy } from '../execution/execution-policy.js';
import type { ClientIdentity, SpendGuard } from '../keys/key-types.js';
import { admissionStage } from '../pipeline/admission/admission-stage.js';
import { cacheStage } from '../pipeline/cache/cache-stage.js';
import { executeStage } from '../pipeline/execute/execute-stage.js';
import {
  composeStages,
  type CallHandler,
  type CallResult,
  type ClientSignal,
  type ModelCall,
  type Stage,
} from '../pipeline/model-call.js';
import type { RequestRecord } from '../pipeline/request-record.js';
import { routeStage } from '../pipeline/route/route-stage.js';
import {
  learnArrivalStage,
  learnPlannedStage,
  learnRouteStage,
} from '../pipeline/learn/learn-stage.js';
import type { LearningLoop } from '../learning/learning-loop.js';
import { sendError } from './respond.js';
import { writeAnswer, writeFailure } from './write-answer.js';

export interface ModelPipelineOptions {
  router: Router;
  guard?: SpendGuard;
  /** Live per-deployment stats, fed by every attempt. */
  attemptObserver?: AttemptObserver;
  /** Retries, breakers, timeouts, hedging, output checks; absent = the executor's defaults. */
  executionPolicy?: ExecutionPolicy;
  /** The exact response cache and single-flight; absent = off. */
  cache?: ResponseCache;
  /** Output tokens reserved for a keyed request without max_tokens, at most (`auth.reserve_output_tokens`). */
  reserveOutputTokens?: number;
  /** Agent-session memory for cache affinity (warm provider caches); absent = off. */
  affinity?: CacheAffinity;
  /** The learning loop (outcome signals, cascade rungs); absent = off. */
  learning?: LearningLoop;
}

/** The request pipeline shared by every model endpoint: admission → (learn) → cache → (learn) → route → (learn) → execute. */
export function createModelPipeline(options: ModelPipelineOptions): CallHandler {
  const stages: Stage[] = [
    admissionStage({
      guard: options.guard,
      ...(options.reserveOutputTokens === undefined
        ? {}
        : { reserveOutputTokens: options.reserveOutputTokens }),
    }),
    ...(options.learning ? [learnArrivalStage(options.learning)] : []),
    ...(options.cache ? [cacheStage(options.cache)] : []),
    ...(options.learning ? [learnRouteStage(options.learning)] : []),
    routeStage(options.router, options.affinity),
    ...(options.learning ? [learnPlannedStage(options.learning)] : []),
  ];
  return composeStages(
    stages,
    executeStage({
      ...(options.executionPolicy ? { policy: options.executionPolicy } : {}),
      ...(options.attemptObserver ? { observer: options.attemptObserver } : {}),
    }),
  );
}

/**
 * One model request: decode → the pipeline → one result → the writer. Fills `record` as it goes;
 * the caller reports it when the response is done. A request that joined an identical call which
 * gave up before calling upstream runs the pipeline again (nothing was sent yet).
 */
export async function serveModelCall(
  pipeline: CallHandler,
  endpoint: ModelEndpoint<CanonicalRequest>,
  body: unknown,
  headers: IncomingHttpHeaders,
  identity: ClientIdentity,
  response: ServerResponse,
  record: RequestRecord,
): Promise<void> {
  const request = await endpoint.decode(body, { keyId: identity.keyId, headers });
  record.modelAsked = request.model;
  record.stream = request.stream;
  const client = new ClientConnection(response);
  try {
    for (;;) {
      const call: ModelCall = { request, endpoint, headers, identity, record, client };
      let result: CallResult;
      try {
        result = await pipeline(call);
      } catch (error) {
        if (error instanceof FlightAbandoned && !response.headersSent) continue;
        writeFailure(call, response);
        throw error;
      }
      try {
        await writeAnswer(call, result, response);
      } catch (error) {
        writeFailure(call, response);
        throw error;
      } finally {
        await result.finish();
      }
      return;
    }
  } finally {
    client.release();
  }
}

/** The client's signal, made on first use: aborted when the client closes before the response is complete. */
class ClientConnection implements ClientSignal {
  private controller: Cancel | undefined;
  private onClose: (() => void) | undefined;

  constructor(private readonly response: ServerResponse) {}

  get signal(): CancelSignal {
    if (this.controller) return this.controller;
    const controller = new Cancel();
    const response = this.response;
    this.onClose = (): void => {
      if (!response.writableFinished)
        controller.abort(new GatewayError('client_closed', 'The client closed the connection.'));
    };
    response.once('close', this.onClose);
    this.controller = controller;
    return controller;
  }

  release(): void {
    if (this.onClose) this.response.removeListener('close', this.onClose);
  }
}

/** Sends a failure in the dialect's shape, unless the response already started. */
export function failModelCall(
  error: unknown,
  response: ServerResponse,
  dialect: 'openai' | 'anthropic',
  record: RequestRecord,
): void {
  const failure = toGatewayError(error);
  record.errorCode = failure.code;
  record.status = failure.status;
  if (failure.code === 'internal_error') {
    const cause = failure.cause ?? failure;
    process.stderr.write(
      `[${record.requestId}] internal error: ${redactText(cause instanceof Error ? (cause.stack ?? cause.message) : String(cause))}\n`,
    );
  } else if (failure.code === 'storage_unavailable') {
    // One line, no stack: an outage of the store is an operational event, not a bug.
    const cause =
      failure.cause instanceof Error ? failure.cause.message : String(failure.cause ?? '');
    process.stderr.write(`[${record.requestId}] ${failure.message} (${redactText(cause)})\n`);
  }
  if (response.headersSent || response.destroyed) {
    if (!response.writableEnded) response.destroy();
    return;
  }
  if (!response.hasHeader('x-switchyard-cost-usd'))
    response.setHeader('x-switchyard-cost-usd', '0');
  sendError(response, failure, dialect);
}
