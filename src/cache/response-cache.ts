import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../core/errors.js';
import type { CanonicalRequest } from '../core/request.js';
import type { ModelResponse } from '../core/response.js';
import type { CachePolicy, CacheSettings } from './cache-config.js';
import { cacheKey } from './cache-key.js';
import type { CachedAnswer, CacheStore } from './cache-store.js';
import { createMemoryCacheStore } from './memory-cache-store.js';
import { createRedisCacheStore } from './redis-cache-store.js';
import type { RemoteClaim, RemoteFlights } from './remote-flights.js';
import { Flight, FlightAbandoned, FlightRegistry } from './single-flight.js';

export const CACHE_TTL_HEADER = 'x-switchyard-cache-ttl';

/** What the cache may do for one request, from config and the client's headers. */
export interface CacheTicket {
  key: string;
  /** Look the key up (false under `Cache-Control: no-cache`). */
  lookup: boolean;
  /** Store the answer (false under `no-store`). */
  store: boolean;
  /** Join an identical call in flight, and let others join this one. */
  share: boolean;
  ttlMs: number;
  /**
   * The flight `find` registered for this request before its store lookup (sharing tickets): a
   * request arriving during the lookup joins it instead of calling upstream too.
   */
  claimed?: Flight;
  /** This replica leads the key across replicas (shared state): attach the flight, release when stored. */
  remoteLead?: Extract<RemoteClaim, { kind: 'lead' }>;
}

/**
 * The exact response cache in front of routing: decides per request (config for the model and
 * the key, `Cache-Control`, `x-switchyard-cache-ttl`), looks entries up, keeps the calls in
 * flight for single-flight, and stores complete, valid answers.
 */
export class ResponseCache {
  readonly flights = new FlightRegistry();

  constructor(
    private readonly settings: CacheSettings,
    readonly store: CacheStore,
    /** Single-flight across replicas (shared state on Redis); absent: per replica. */
    private readonly remote?: RemoteFlights,
  ) {}

  /** A ticket, or undefined when this request is not cacheable (cache status `none`). */
  ticket(
    request: CanonicalRequest,
    headers: IncomingHttpHeaders,
    keyId: string | null,
  ): CacheTicket | undefined {
    const policy = this.policyFor(request.model, keyId);
    if (!policy.enabled) return undefined;
    if (policy.when === 'temperature_zero' && request.temperature !== 0) return undefined;
    const control = cacheControl(headers['cache-control']);
    const ttlMs = this.ttlFrom(headers[CACHE_TTL_HEADER], policy.ttlMs);
    return {
      key: cacheKey(request, this.settings.scope === 'key' ? (keyId ?? 'anonymous') : undefined),
      lookup: !control.noCache,
      store: !control.noStore,
      share: this.settings.singleFlight && !control.noCache && !control.noStore,
      ttlMs,
    };
  }

  /**
   * A flight to serve this request from without a new upstream call: a completed one for a
   * cache hit, or the identical call in flight. Undefined: the caller makes the call (`lead`).
   *
   * The in-flight check and the claim of the key happen synchronously, before the store lookup
   * is awaited: with a store that answers over the network (Redis), identical requests arriving
   * during the lookup find the claimed flight and join it, so one replica makes one upstream call.
   */
  async find(
    ticket: CacheTicket,
  ): Promise<{ flight: Flight; status: 'hit' | 'shared'; entry?: CachedAnswer } | undefined> {
    if (ticket.share) {
      const flight = this.flights.find(ticket.key);
      if (flight) return { flight, status: 'shared' };
      ticket.claimed = this.flights.open(ticket.key);
    }
    if (ticket.lookup) {
      const entry = await this.store.get(ticket.key);
      if (entry) {
        const flight = ticket.claimed ?? new Flight(ticket.key);
        // Requests that joined the claim during the lookup are served the stored answer too.
        flight.complete(
          { model: entry.model, provider: entry.provider },
          entry.response,
          entry.usage,
        );
        this.flights.close(flight);
        delete ticket.claimed;
        return { flight, status: 'hit', entry };
      }
    }
    if (this.remote && ticket.claimed) {
      const flight = ticket.claimed;
      const claim = await this.remote.claim(ticket.key, flight);
      if (claim.kind === 'join') {
        // Fed from the leading replica's stream; local identical requests keep joining it.
        delete ticket.claimed;
        void flight.done.catch(() => undefined).finally(() => this.flights.close(flight));
        return { flight, status: 'shared' };
      }
      if (claim.kind === 'lead') ticket.remoteLead = claim;
    }
    return undefined;
  }

  /** A flight for a new upstream call; registered for joiners when the ticket allows sharing. */
  lead(ticket: CacheTicket): Flight {
    const claimed = ticket.claimed;
    delete ticket.claimed;
    // Every joiner of the claim may have left before the call started: its signal is then spent.
    if (claimed && !claimed.signal.aborted) {
      ticket.remoteLead?.attach(claimed);
      return claimed;
    }
    if (claimed) this.abandonFlight(claimed);
    const flight = ticket.share ? this.flights.open(ticket.key) : new Flight(ticket.key);
    ticket.remoteLead?.attach(flight);
    return flight;
  }

  /**
   * The request that claimed the key gives up before its upstream call (refused by admission,
   * no route): requests that joined it make their own call (`FlightAbandoned`). Never throws.
   */
  abandon(ticket: CacheTicket): void {
    const claimed = ticket.claimed;
    delete ticket.claimed;
    if (claimed) this.abandonFlight(claimed);
    ticket.remoteLead?.release();
    delete ticket.remoteLead;
  }

  private abandonFlight(flight: Flight): void {
    flight.fail(new FlightAbandoned());
    this.flights.close(flight);
  }

  /** Stores the flight's answer when it is storable, then forgets the flight. Never throws. */
  async finish(
    ticket: CacheTicket,
    flight: Flight,
    request: CanonicalRequest,
    answer: Omit<CachedAnswer, 'response' | 'storedAt'> | undefined,
  ): Promise<void> {
    try {
      if (!answer || !ticket.store) return;
      const response = await flight.done.catch(() => undefined);
      if (!response || !flight.completeAnswer || !isStorable(request, response)) return;
      await this.store.set(ticket.key, { ...answer, response, storedAt: Date.now() }, ticket.ttlMs);
    } catch {
      // A cache that cannot store only costs a future miss.
    } finally {
      this.flights.close(flight);
      // After the store: a replica that asks once the lock is gone finds the stored answer.
      ticket.remoteLead?.release();
      delete ticket.remoteLead;
    }
  }

  close(): Promise<void> {
    this.remote?.close();
    return this.store.close();
  }

  private policyFor(model: string, keyId: string | null): CachePolicy {
    const forModel = this.settings.models.get(model);
    const forKey = keyId === null ? undefined : this.settings.keys.get(keyId);
    if (!forModel && !forKey) return this.settings.policy;
    return { ...this.settings.policy, ...forModel, ...forKey };
  }

  private ttlFrom(header: string | string[] | undefined, fallbackMs: number): number {
    if (typeof header !== 'string') return fallbackMs;
    const seconds = Number(header);
    const maxSeconds = this.settings.maxTtlMs / 1000;
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > maxSeconds) {
      throw new GatewayError(
        'invalid_request',
        `${CACHE_TTL_HEADER} must be a whole number of seconds from 1 to ${maxSeconds}.`,
        { param: CACHE_TTL_HEADER },
      );
    }
    return seconds * 1000;
  }
}

/** `no-cache` and `no-store` from a Cache-Control request header (other directives ignored). */
export function cacheControl(header: string | string[] | undefined): {
  noCache: boolean;
  noStore: boolean;
} {
  if (header === undefined) return { noCache: false, noStore: false };
  const directives = (Array.isArray(header) ? header.join(',') : header)
    .toLowerCase()
    .split(',')
    .map((directive) => directive.trim());
  return { noCache: directives.includes('no-cache'), noStore: directives.includes('no-store') };
}

/**
 * Only complete, successful, valid answers are stored: every choice ended by stop, length or
 * tool calls (not a content filter or a pause), tool-call arguments are JSON, and the text is
 * JSON when the request asked for JSON output.
 */
export function isStorable(request: CanonicalRequest, response: ModelResponse): boolean {
  if (response.choices.length === 0) return false;
  const wantsJson =
    request.kind === 'chat' &&
    request.responseFormat !== undefined &&
    request.responseFormat.type !== 'text';
  for (const choice of response.choices) {
    if (
      choice.finishReason !== 'stop' &&
      choice.finishReason !== 'length' &&
      choice.finishReason !== 'tool_calls'
    )
      return false;
    for (const call of choice.toolCalls) if (!isJson(call.arguments || '{}')) return false;
    if (
      wantsJson &&
      choice.finishReason === 'stop' &&
      choice.toolCalls.length === 0 &&
      !isJson(choice.text)
    )
      return false;
  }
  return true;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export async function openResponseCache(
  settings: CacheSettings,
  remote?: RemoteFlights,
): Promise<ResponseCache | undefined> {
  const everyPolicyOff =
    !settings.policy.enabled &&
    ![...settings.models.values(), ...settings.keys.values()].some(
      (policy) => policy.enabled === true,
    );
  if (everyPolicyOff) return undefined;
  const store =
    settings.store.type === 'redis'
      ? createRedisCacheStore({
          url: settings.store.url,
          keyPrefix: settings.store.keyPrefix,
          timeoutMs: settings.store.timeoutMs,
          onStateChange: (up, error) =>
            console.warn(
              up
                ? 'cache: Redis is reachable again'
                : `cache: Redis unreachable, serving without the cache (${error?.message ?? 'error'})`,
            ),
        })
      : createMemoryCacheStore({
          maxEntries: settings.store.maxEntries,
          maxBytes: settings.store.maxBytes,
        });
  if ('ready' in store) await store.ready(2000);
  return new ResponseCache(settings, store, remote);
}
