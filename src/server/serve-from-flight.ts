import { clampedMaxTokens, MAX_TOKENS_CLAMPED_HEADER } from '../execution/clamp-output.js';
import type { ServerResponse } from 'node:http';
import type { CancelSignal } from '../core/cancel.js';
import {
  executeCall,
  executeStream,
  type ExecutedCall,
  type ExecutedStream,
  type ExecutionContext,
} from '../execution/execute-plan.js';
import type { ExecutionPolicy } from '../execution/execution-policy.js';
import type { RoutePlan } from '../core/route.js';
import type { ModelEndpoint } from './endpoints.js';
import type { RequestRecord } from './request-record.js';
import { formatCost, settleCost } from './request-cost.js';
import { sendJson } from './respond.js';
import type { CanonicalRequest } from '../core/request.js';
import type { Usage } from '../core/response.js';
import type { CachedAnswer } from '../cache/cache-store.js';
import { answerCharacters } from '../cache/response-parts.js';
import type { Flight, FlightOrigin } from '../cache/single-flight.js';

/** The pipeline's SSE relay (src/server/model-call.ts), injected: a type-only reference keeps the runtime dependency one-way. */
export type RelayFunction = typeof import('./model-call.js').relayStream;

export interface FlightServing<R extends CanonicalRequest> {
  endpoint: ModelEndpoint<R>;
  request: R;
  response: ServerResponse;
  record: RequestRecord;
  /** The client's signal: aborting it makes this client leave the flight. */
  signal: CancelSignal;
  relay: RelayFunction;
  /** The `x-switchyard-route` value, once the answering deployment is known. */
  routeHeader?: () => string;
  /** Accounts for the answer (usage, cost, savings) before its last byte goes out. */
  settle: (usage: Usage | undefined, answerCharacters: number) => void;
}

/**
 * Serves one client from a flight — the leader of a new upstream call, a joiner of an identical
 * call in flight, or a cache hit (a flight completed with the stored answer) — as SSE when the
 * client asked for a stream, else as JSON. Either kind of client can be served from either kind
 * of answer: parts are collected into a response, a response is turned into parts.
 */
export async function serveFromFlight<R extends CanonicalRequest>(
  flight: Flight,
  serving: FlightServing<R>,
): Promise<void> {
  const { endpoint, request, response, record } = serving;
  // A complete answer served as JSON needs no listener: nothing to wait for, nothing to abort.
  const listener =
    request.stream || flight.result === undefined ? flight.attach(serving.signal) : undefined;
  try {
    const origin = flight.knownOrigin ?? (await flight.origin);
    record.model = origin.model;
    record.provider = origin.provider;
    response.setHeader('x-switchyard-model', origin.model);
    response.setHeader('x-switchyard-provider', origin.provider);
    if (origin.maxTokensClamped !== undefined)
      response.setHeader(MAX_TOKENS_CLAMPED_HEADER, String(origin.maxTokensClamped));
    response.setHeader('x-switchyard-cache', record.cacheStatus ?? 'none');
    const route = serving.routeHeader?.();
    if (route !== undefined) response.setHeader('x-switchyard-route', route);
    const encodeContext = { model: origin.model, requestId: record.requestId };
    if (request.stream) {
      const settle = (usage: Usage | undefined, characters: number): void => {
        serving.settle(usage, characters);
        response.addTrailers({ 'x-switchyard-cost-usd': formatCost(record) });
      };
      await serving.relay(
        listener!.batches(),
        endpoint.createStreamEncoder(encodeContext, request),
        response,
        record,
        serving.signal,
        settle,
      );
    } else {
      const answer = flight.result ?? (await listener!.response());
      serving.settle(answer.usage, answerCharacters(answer));
      response.setHeader('x-switchyard-cost-usd', formatCost(record));
      sendJson(response, 200, endpoint.encodeResponse(answer, encodeContext, request));
      record.status = 200;
    }
  } finally {
    listener?.leave();
  }
}

/** Settles a hit or a joiner: nothing spent upstream, the answer's tokens and cost saved. */
export function settleSaved(
  record: RequestRecord,
  request: CanonicalRequest,
  flight: Flight,
  entry: CachedAnswer | undefined,
): (usage: Usage | undefined, characters: number) => void {
  return (usage, characters) => {
    if (entry) {
      if (entry.usage) record.usage = entry.usage;
      record.savedUsd = entry.costUsd ?? 0;
    } else {
      const scratch: RequestRecord = { ...record };
      settleCost(scratch, request, usage, flight.originPrice, characters);
      if (scratch.usage) record.usage = scratch.usage;
      record.costEstimated = scratch.costEstimated ?? false;
      record.savedUsd = scratch.costUsd ?? 0;
    }
    record.costUsd = 0;
  };
}

/**
 * Runs the route plan for a flight: the executor's attempts, failover included, feeding the
 * answer to the flight (batch by batch for streams). The call's signal is the flight's: it is
 * aborted only when every client waiting for it has left. Resolves with the executed attempt
 * (undefined when every attempt failed; the flight then carries the failure).
 */
export async function produceFlight<R extends CanonicalRequest>(
  flight: Flight,
  plan: RoutePlan,
  request: R,
  endpoint: ModelEndpoint<R>,
  execution: ExecutionContext,
  policy?: ExecutionPolicy,
): Promise<ExecutedCall | ExecutedStream | undefined> {
  const context: ExecutionContext = { ...execution, signal: flight.signal };
  try {
    if (request.stream) {
      const executed = await executeStream(plan, request, endpoint.stream, context, policy);
      flight.begin(originOf(executed, request));
      for await (const batch of executed.batches) flight.push(batch);
      flight.finish();
      return executed;
    }
    const executed = await executeCall(plan, request, endpoint.call, context, policy);
    flight.complete(originOf(executed, request), executed.answer);
    return executed;
  } catch (error) {
    flight.fail(error);
    return undefined;
  }
}

function originOf(
  executed: ExecutedCall | ExecutedStream,
  request: CanonicalRequest,
): FlightOrigin {
  const { model, deployment } = executed.target;
  const origin: FlightOrigin = { model: model.name, provider: deployment.provider };
  if (deployment.price !== undefined) origin.price = deployment.price;
  const clamped = clampedMaxTokens(request, executed.target);
  if (clamped !== undefined) origin.maxTokensClamped = clamped;
  return origin;
}
