import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Cancel, NEVER_CANCELLED, type CancelSignal } from '../core/cancel.js';
import type { EncodeContext, StreamEncoder } from '../dialects/types.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import { redactText } from '../core/redact.js';
import {
  executeCall,
  executeStream,
  type AttemptRecord,
  type ExecutionContext,
} from '../execution/execute-plan.js';
import { readTimeoutHeaders, type ExecutionPolicy } from '../execution/execution-policy.js';
import type { AttemptObserver, RoutePlan, RouteTarget, Router } from '../core/route.js';
import type { CanonicalRequest } from '../core/request.js';
import { clampedMaxTokens, MAX_TOKENS_CLAMPED_HEADER } from '../execution/clamp-output.js';
import type { StreamPart, Usage } from '../core/response.js';
import type { ModelEndpoint } from './endpoints.js';
import type { SpendGuard } from '../keys/key-types.js';
import { admit, admitFirst, admitRequest, type RequestAdmission } from './admission.js';
import type { ClientIdentity } from './authenticate.js';
import type { RequestRecord } from './request-record.js';
import { formatCost, settleCost } from './request-cost.js';
import { sendError, sendJson, SSE_HEADERS, writeText } from './respond.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { produceFlight, serveFromFlight, settleSaved } from './serve-from-flight.js';
import { FlightAbandoned } from '../cache/single-flight.js';
import { answerCharacters } from '../cache/response-parts.js';

/** Stream responses announce the cost as an HTTP trailer: it is known only at the end. */
const STREAM_HEADERS = { ...SSE_HEADERS, trailer: 'x-switchyard-cost-usd' };

/**
 * The request pipeline shared by every model endpoint:
 * decode → route plan → admission → executor (attempts, failover) → encode → client.
 * Fills `record` as it goes; the caller reports it when the response is done.
 */
export interface ModelCallServices {
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
}

const LATENCY_BUDGET_HEADER = 'x-switchyard-latency-budget-ms';

export async function serveModelCall<R extends CanonicalRequest>(
  endpoint: ModelEndpoint<R>,
  body: unknown,
  headers: IncomingHttpHeaders,
  services: ModelCallServices,
  identity: ClientIdentity,
  response: ServerResponse,
  record: RequestRecord,
): Promise<void> {
  const request = await endpoint.decode(body, { keyId: identity.keyId });
  record.modelAsked = request.model;
  record.stream = request.stream;
  const cache = services.cache;
  const ticket = cache?.ticket(request, headers, identity.keyId);
  if (cache && ticket) {
    record.cacheStatus = ticket.lookup && ticket.store ? 'miss' : 'bypass';
    // A hit, or an identical call in flight: no routing, no upstream call; admission still applies.
    const found = await cache.find(ticket);
    if (found) {
      let rejoin = false;
      record.cacheStatus = found.status;
      record.route = `cache ${found.status}`;
      const reservation = await admit(
        identity,
        request,
        found.entry?.model ?? request.model,
        undefined,
        services.guard,
      );
      // A stored answer sent as JSON has nothing to abort: no client signal needed.
      const client =
        request.stream || found.status === 'shared' ? clientSignal(response) : NO_CLIENT_SIGNAL;
      try {
        await serveFromFlight(found.flight, {
          endpoint,
          request,
          response,
          record,
          signal: client.signal,
          relay: relayStream,
          settle: settleSaved(record, request, found.flight, found.entry),
        });
      } catch (error) {
        // The call this request joined never started: make it afresh (nothing was sent yet).
        if (error instanceof FlightAbandoned && !response.headersSent) {
          rejoin = true;
          return;
        }
        throw error;
      } finally {
        client.release();
        reservation?.settle(0, 0);
        if (rejoin)
          await serveModelCall(endpoint, body, headers, services, identity, response, record);
      }
      return;
    }
  }
  let plan: RoutePlan;
  let admission: RequestAdmission | undefined;
  let policy: ExecutionPolicy | undefined;
  let timeouts: ReturnType<typeof readTimeoutHeaders> | undefined;
  try {
    const latencyBudgetMs = readLatencyBudget(headers[LATENCY_BUDGET_HEADER]);
    policy = services.executionPolicy;
    timeouts = policy ? readTimeoutHeaders(headers, policy.settings) : undefined;
    plan = services.router.plan(
      request,
      latencyBudgetMs === undefined
        ? { requestId: record.requestId }
        : { latencyBudgetMs, requestId: record.requestId },
    );
    record.route = plan.summary;
    const first = plan.attempts[0]!;
    record.model = first.model.name;
    record.provider = first.deployment.provider;
    // Every attempt is admitted against the key's scope and budget (the executor asks before each
    // target); the first admissible one is reserved now, before a cache flight is led.
    admission = admitRequest(identity, request, {
      guard: services.guard,
      ...(services.reserveOutputTokens === undefined
        ? {}
        : { reserveOutputTokens: services.reserveOutputTokens }),
    });
    if (admission) await admitFirst(admission, plan.attempts);
  } catch (error) {
    // Requests that joined this one's claim on the cache key make their own call.
    if (cache && ticket) cache.abandon(ticket);
    throw error;
  }

  const client = clientSignal(response);
  const attempts: AttemptRecord[] = [];
  record.attempts = attempts;
  const execution: ExecutionContext = {
    requestId: record.requestId,
    ...(record.trace ? { trace: record.trace } : {}),
    signal: client.signal,
    attempts,
    ...(services.attemptObserver ? { observer: services.attemptObserver } : {}),
    ...(timeouts ? { timeouts } : {}),
    ...(admission ? { admitAttempt: admission.admitAttempt } : {}),
  };
  try {
    if (cache && ticket) {
      // A new upstream call that identical requests may join; its answer is stored when valid.
      const flight = cache.lead(ticket);
      const produced = produceFlight(flight, plan, request, endpoint, execution, policy);
      const settle = (usage: Usage | undefined, characters: number): void => {
        settleCost(record, request, usage, flight.originPrice, characters);
        // The served attempt answered (200) without an error code: failed and invalid attempts carry
        // one, a hedge loser ends as 499.
        const served =
          attempts.findLast(
            (attempt) => attempt.status === 200 && attempt.errorCode === undefined,
          ) ?? attempts.findLast((attempt) => attempt.errorCode === undefined);
        if (served) {
          served.usage = record.usage;
          if (record.costUsd !== undefined) served.costUsd = record.costUsd;
        }
        addOtherAttemptsCost(record, attempts, served);
      };
      try {
        await serveFromFlight(flight, {
          endpoint,
          request,
          response,
          record,
          signal: client.signal,
          relay: relayStream,
          routeHeader: () => routeHeader(plan, attempts),
          settle,
        });
      } finally {
        const executed = await produced;
        const answer = executed ? await flight.done.catch(() => undefined) : undefined;
        if (executed) {
          // This client may have left early while others listened: account for the whole answer.
          if (answer && record.errorCode === 'client_closed')
            settle(answer.usage, answerCharacters(answer));
          if (attempts.length > 1) record.route = `${record.route}; ${attemptsSummary(attempts)}`;
        }
        await cache.finish(
          ticket,
          flight,
          request,
          executed && answer
            ? definedAnswer(
                executed.target.model.name,
                executed.target.deployment.provider,
                executed.attempt,
              )
            : undefined,
        );
      }
    } else if (request.stream) {
      const executed = await executeStream(plan, request, endpoint.stream, execution, policy);
      const served = executed.target;
      announce(response, record, served, attempts, request);
      response.setHeader('x-switchyard-route', routeHeader(plan, attempts));
      const encodeContext: EncodeContext = {
        model: served.model.name,
        requestId: record.requestId,
      };
      const settle = (usage: Usage | undefined, answerCharacters: number): void => {
        settleCost(record, request, usage, served.deployment.price, answerCharacters);
        executed.attempt.usage = record.usage;
        if (record.costUsd !== undefined) executed.attempt.costUsd = record.costUsd;
        addOtherAttemptsCost(record, attempts, executed.attempt);
        response.addTrailers({ 'x-switchyard-cost-usd': formatCost(record) });
      };
      await relayStream(
        executed.batches,
        endpoint.createStreamEncoder(encodeContext, request),
        response,
        record,
        client.signal,
        settle,
      );
    } else {
      const executed = await executeCall(plan, request, endpoint.call, execution, policy);
      const served = executed.target;
      announce(response, record, served, attempts, request);
      settleCost(
        record,
        request,
        executed.answer.usage,
        served.deployment.price,
        answerCharacters(executed.answer),
      );
      executed.attempt.usage = record.usage;
      if (record.costUsd !== undefined) executed.attempt.costUsd = record.costUsd;
      addOtherAttemptsCost(record, attempts, executed.attempt);
      response.setHeader('x-switchyard-cost-usd', formatCost(record));
      response.setHeader('x-switchyard-route', routeHeader(plan, attempts));
      sendJson(
        response,
        200,
        endpoint.encodeResponse(
          executed.answer,
          { model: served.model.name, requestId: record.requestId },
          request,
        ),
      );
      record.status = 200;
    }
  } catch (error) {
    const last = attempts[attempts.length - 1];
    if (last) {
      record.model = last.model;
      record.provider = last.provider;
      if (attempts.length > 1) record.route = `${record.route}; ${attemptsSummary(attempts)}`;
      addOtherAttemptsCost(record, attempts, undefined);
      if (!response.headersSent) {
        response.setHeader('x-switchyard-model', last.model);
        response.setHeader('x-switchyard-provider', last.provider);
        response.setHeader('x-switchyard-route', routeHeader(plan, attempts));
      }
    }
    throw error;
  } finally {
    client.release();
    if (admission && admission.skipped.length > 0)
      record.route = `${record.route ?? ''}; skipped: ${admission.skipped.join(', ')}`;
    admission?.settle(
      record.costUsd ?? 0,
      record.usage ? record.usage.inputTokens + record.usage.outputTokens : 0,
    );
  }
}

const NO_CLIENT_SIGNAL = { signal: NEVER_CANCELLED, release: (): void => {} };

/** Aborted when the client closes the connection before the response is complete. */
function clientSignal(response: ServerResponse): { signal: CancelSignal; release: () => void } {
  const controller = new Cancel();
  const onClose = (): void => {
    if (!response.writableFinished)
      controller.abort(new GatewayError('client_closed', 'The client closed the connection.'));
  };
  response.once('close', onClose);
  return { signal: controller, release: () => response.removeListener('close', onClose) };
}

/** What a cache hit on this answer saves: the served attempt's tokens and cost (not those of failed or invalid attempts). */
function definedAnswer(
  model: string,
  provider: string,
  served: AttemptRecord,
): { model: string; provider: string; usage?: Usage; costUsd?: number } {
  return {
    model,
    provider,
    ...(served.usage ? { usage: served.usage } : {}),
    ...(served.costUsd === undefined ? {} : { costUsd: served.costUsd }),
  };
}

function announce(
  response: ServerResponse,
  record: RequestRecord,
  served: RouteTarget,
  attempts: AttemptRecord[],
  request: CanonicalRequest,
): void {
  record.model = served.model.name;
  const clamped = clampedMaxTokens(request, served);
  if (clamped !== undefined) response.setHeader(MAX_TOKENS_CLAMPED_HEADER, String(clamped));
  record.provider = served.deployment.provider;
  response.setHeader('x-switchyard-model', served.model.name);
  response.setHeader('x-switchyard-provider', served.deployment.provider);
  response.setHeader('x-switchyard-cache', 'none');
  if (attempts.length > 1) record.route = `${record.route}; ${attemptsSummary(attempts)}`;
}

/** The route summary, plus the attempts when there was more than one (why each ended). */
function routeHeader(plan: RoutePlan, attempts: AttemptRecord[]): string {
  const text = attempts.length > 1 ? `${plan.summary}; ${attemptsSummary(attempts)}` : plan.summary;
  // Header values must be visible ASCII: anything else (a model name from config) becomes '?'.
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 1024);
}

/** Each attempt and why it ended: `key ok`, `key retry: upstream_rate_limited`, `key failover: …`, `key escalate: …`. */
function attemptsSummary(attempts: AttemptRecord[]): string {
  return `attempts: ${attempts.map((attempt) => `${attempt.key} ${attempt.endReason ?? attempt.errorCode ?? 'ok'}`).join(', ')}`;
}

/** Attempts other than the served one that cost something (invalid answers, hedge losers) are charged to the request too. */
function addOtherAttemptsCost(
  record: RequestRecord,
  attempts: AttemptRecord[],
  served: AttemptRecord | undefined,
): void {
  let extra = 0;
  for (const attempt of attempts)
    if (attempt !== served && attempt.costUsd !== undefined) extra += attempt.costUsd;
  if (extra > 0) record.costUsd = (record.costUsd ?? 0) + extra;
}

export function readLatencyBudget(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const budget = Number(value);
  if (!Number.isFinite(budget) || budget <= 0) {
    throw new GatewayError(
      'invalid_request',
      `${LATENCY_BUDGET_HEADER} must be a positive number of milliseconds.`,
      { param: LATENCY_BUDGET_HEADER },
    );
  }
  return budget;
}

/**
 * Relays a part stream as SSE, writing the encoded parts of each batch (what one upstream body
 * chunk carried) with one write as soon as it arrives (no buffering of the answer) and waiting
 * for the socket to drain under backpressure. An error after the headers went out becomes the
 * dialect's in-stream error event.
 */
export async function relayStream(
  batches: AsyncIterable<readonly StreamPart[]>,
  encoder: StreamEncoder,
  response: ServerResponse,
  record: RequestRecord,
  signal: CancelSignal,
  settle: (usage: Usage | undefined, answerCharacters: number) => void,
): Promise<void> {
  response.writeHead(200, STREAM_HEADERS);
  record.status = 200;
  let usage: Usage | undefined;
  let characters = 0;
  try {
    for await (const batch of batches) {
      let text = '';
      try {
        for (const part of batch) {
          if (part.type === 'usage') usage = part.usage;
          else if (part.type !== 'start') {
            if (record.firstTokenMs === undefined)
              record.firstTokenMs = performance.now() - record.startedAt;
            if (part.type === 'text-delta' || part.type === 'reasoning-delta')
              characters += part.text.length;
            else if (part.type === 'tool-call-delta') characters += part.argumentsDelta.length;
          }
          text += encoder.push(part);
        }
      } finally {
        // Also when encoding failed midway: what the earlier parts encoded goes out first.
        if (text !== '') {
          const drained = writeText(response, text, signal);
          if (drained !== undefined) await drained;
        }
      }
    }
    settle(usage, characters);
    if (!response.destroyed) response.end(encoder.end());
  } catch (thrown) {
    settle(usage, characters);
    const error = toGatewayError(thrown);
    if (error.code === 'client_closed' || signal.aborted) {
      record.errorCode = 'client_closed';
      response.destroy();
      return;
    }
    const interrupted =
      error.code.startsWith('upstream_') || error.code === 'context_length_exceeded'
        ? new GatewayError(
            'upstream_stream_interrupted',
            `The upstream stream failed after it began: ${error.message}`,
            { provider: error.provider, cause: error },
          )
        : error;
    record.errorCode = interrupted.code;
    if (!response.destroyed) response.end(encoder.error(interrupted));
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
