import type { CachedAnswer } from '../../cache/cache-store.js';
import type { CacheTicket, ResponseCache } from '../../cache/response-cache.js';
import { answerCharacters } from '../../cache/response-parts.js';
import type { Flight, FlightListener } from '../../cache/single-flight.js';
import type { Usage } from '../../core/response.js';
import type { AttemptRecord } from '../../execution/execution-types.js';
import type {
  Answer,
  AnswerOrigin,
  CallHandler,
  CallResult,
  ModelCall,
  Outcome,
  Stage,
} from '../model-call.js';
import { settleOutcome } from '../settle/settle-outcome.js';

/**
 * The exact response cache and single-flight, in front of routing. A hit, or an identical call
 * in flight, is answered from that flight: no routing, no upstream call, admitted by the key's
 * scope. Otherwise the call goes on (route, execute) as a flight identical requests may join: it
 * begins when execute begins the upstream call, its answer is fed to every client waiting for it,
 * and a complete, valid answer is stored. A call that gives up before the upstream call (refused,
 * no route) lets the requests that joined it make their own (they rerun the pipeline).
 */
export const cacheStage =
  (cache: ResponseCache): Stage =>
  (next) =>
  async (call) => {
    const { request, record } = call;
    const ticket = call.skipCache
      ? undefined
      : cache.ticket(request, call.headers, call.identity.keyId);
    if (!ticket) return next(call);
    record.cacheStatus = ticket.lookup && ticket.store ? 'miss' : 'bypass';
    const found = await cache.find(ticket);
    if (!found) return lead(cache, ticket, call, next);
    record.cacheStatus = found.status;
    record.route = `cache ${found.status}`;
    await call.admission?.admitServed(found.entry?.model ?? request.model);
    return fromFlight(call, found.flight, found.status, found.entry);
  };

/** A hit or a joiner: served from the flight once its origin is known. */
async function fromFlight(
  call: ModelCall,
  flight: Flight,
  source: 'hit' | 'shared',
  entry: CachedAnswer | undefined,
): Promise<CallResult> {
  // A complete answer served as JSON needs no listener: nothing to wait for, nothing to abort.
  const listener =
    call.request.stream || flight.result === undefined
      ? flight.attach(call.client.signal)
      : undefined;
  let origin: AnswerOrigin;
  try {
    origin = flight.knownOrigin ?? (await flight.origin);
  } catch (error) {
    listener?.leave();
    throw error;
  }
  const outcome: Outcome = { source, origin };
  if (entry)
    outcome.stored = {
      ...(entry.usage ? { usage: entry.usage } : {}),
      ...(entry.costUsd === undefined ? {} : { costUsd: entry.costUsd }),
    };
  return {
    outcome,
    answer: answerFrom(call, flight, listener),
    finish: async () => listener?.leave(),
  };
}

/** The answer as this client reads it from a flight: its parts for a stream, else the whole response. */
function answerFrom(call: ModelCall, flight: Flight, listener: FlightListener | undefined): Answer {
  return call.request.stream
    ? { parts: listener!.batches() }
    : { response: flight.result ?? listener!.response() };
}

/** A new upstream call that identical requests may join. */
async function lead(
  cache: ResponseCache,
  ticket: CacheTicket,
  call: ModelCall,
  next: CallHandler,
): Promise<CallResult> {
  const { request, record } = call;
  let flight: Flight | undefined;
  let listener: FlightListener | undefined;
  call.beginUpstream = () => {
    flight = cache.lead(ticket);
    listener = flight.attach(call.client.signal);
    return flight.signal;
  };
  let result: CallResult;
  try {
    result = await next(call);
  } catch (error) {
    if (!flight) {
      // Requests that joined this one's claim on the cache key make their own call.
      cache.abandon(ticket);
      throw error;
    }
    result = { outcome: { source: 'upstream' }, answer: { error }, finish: async () => {} };
  }
  if (!flight || !listener) {
    cache.abandon(ticket);
    return result;
  }
  const led = flight;
  const leader = listener;
  const inner = result;
  const { outcome, answer } = inner;
  if ('error' in answer || !outcome.origin) {
    led.fail('error' in answer ? answer.error : new Error('no answer'));
    return {
      outcome,
      answer,
      finish: async () => {
        leader.leave();
        try {
          await inner.finish();
        } finally {
          await cache.finish(ticket, led, request, undefined);
        }
      },
    };
  }
  const origin = outcome.origin;
  const produced = produce(led, answer, origin);
  return {
    outcome,
    answer: answerFrom(call, led, leader),
    finish: async () => {
      leader.leave();
      // The answer is produced to its end (others may be listening), then stored.
      const ok = await produced;
      const whole = ok ? await led.done.catch(() => undefined) : undefined;
      try {
        await inner.finish();
        // This client may have left early while others listened: account for the whole answer.
        if (whole && record.errorCode === 'client_closed')
          settleOutcome(record, request, outcome, whole.usage, answerCharacters(whole));
      } finally {
        await cache.finish(
          ticket,
          led,
          request,
          whole ? definedAnswer(origin, outcome.served) : undefined,
        );
      }
    },
  };
}

/** Feeds the executed answer to the flight; false when it failed midway (the flight carries the failure). */
async function produce(flight: Flight, answer: Answer, origin: AnswerOrigin): Promise<boolean> {
  try {
    if ('parts' in answer) {
      flight.begin(origin);
      for await (const batch of answer.parts) flight.push(batch);
      flight.finish();
    } else if ('response' in answer) {
      const response = answer.response;
      flight.complete(origin, response instanceof Promise ? await response : response);
    }
    return true;
  } catch (error) {
    flight.fail(error);
    return false;
  }
}

/** What a cache hit on this answer saves: the served attempt's tokens and cost (not those of failed or invalid attempts). */
function definedAnswer(
  origin: AnswerOrigin,
  served: AttemptRecord | undefined,
): { model: string; provider: string; usage?: Usage; costUsd?: number } {
  return {
    model: origin.model,
    provider: origin.provider,
    ...(served?.usage ? { usage: served.usage } : {}),
    ...(served?.costUsd === undefined ? {} : { costUsd: served.costUsd }),
  };
}
