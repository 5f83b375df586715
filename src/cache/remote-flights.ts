import { randomUUID } from 'node:crypto';
import type { ModelResponse, StreamPart, Usage } from '../core/response.js';
import type { RedisSharedState } from '../state/redis-shared-state.js';
import {
  type Flight,
  FlightAbandoned,
  type FlightOrigin,
  type FlightSink,
} from './single-flight.js';

/** Replicas announce on this channel that they wait for a flight (its token). */
const JOIN_CHANNEL = 'flight-join';
/** How long a lock holds without its leader releasing it (a leader that died). */
const LOCK_TTL_MS = 120_000;
/** How long a flight's mirrored stream stays readable after its last entry. */
const STREAM_TTL_MS = 120_000;
/** How often a joiner reads the stream while it waits. */
const POLL_MS = 20;
/** How often a leader that is mirrored says it is alive (a non-streamed answer has no entries until its end). */
const BEAT_MS = 1000;

/** What `claim` decided for a request on a key no local flight serves. */
export type RemoteClaim =
  /** This replica leads: attach the flight that makes the call, release it once stored. */
  | { kind: 'lead'; attach(flight: Flight): void; release(): void }
  /** Another replica leads: `flight` is fed from its mirrored stream. */
  | { kind: 'join' }
  /** No sharing across replicas (Redis down, or this key's last wait gave up): lead locally. */
  | { kind: 'none' };

export interface RemoteFlights {
  claim(key: string, flight: Flight): Promise<RemoteClaim>;
  close(): void;
}

export interface RemoteFlightsOptions {
  state: RedisSharedState;
  /** Longest wait for the leading replica's next entry before going upstream (default 5000 ms). */
  waitMs?: number;
}

/**
 * Single-flight across replicas. A request on a key that no local flight serves takes the key's
 * lock in Redis (`SET NX`, answered with the holder's token when taken). The holder leads: it
 * makes the upstream call as usual. Another replica that finds the lock taken announces that it
 * waits (pub/sub), and the leader then mirrors its flight into a Redis stream — what was produced
 * so far, then every batch, then the end — which the waiting replica reads into a local flight
 * its identical requests join. Nothing is mirrored when nobody waits: a lone request costs the
 * lock and its release. A waiter that hears nothing for `waitMs`, or sees the lock go without an
 * end, gives up: its requests go upstream themselves (`FlightAbandoned`), and the key is not
 * waited on again for a while.
 */
export function createRemoteFlights(options: RemoteFlightsOptions): RemoteFlights {
  const { state } = options;
  const redis = state.redis;
  const waitMs = options.waitMs ?? 5000;
  /** Tokens this replica leads → what a join needs. */
  const leading = new Map<string, { flight?: Flight; joined: boolean; mirrored: boolean }>();
  /** Keys whose last wait gave up → until when they are led locally. */
  const gaveUp = new Map<string, number>();
  const lockKey = (key: string): string => state.key(`flight:${key}`);
  const streamKey = (token: string): string => state.key(`flight-stream:${token}`);

  const mirror = (token: string, flight: Flight): void => {
    const lead = leading.get(token);
    if (!lead || lead.mirrored) return;
    lead.mirrored = true;
    const stream = streamKey(token);
    const write = (type: string, data: unknown): void => {
      redis
        .pipeline()
        .xadd(stream, '*', 't', type, 'd', JSON.stringify(data ?? null))
        .pexpire(stream, STREAM_TTL_MS)
        .exec()
        .catch(() => {});
    };
    const sink: FlightSink = {
      begin: (origin) => write('origin', origin),
      push: (batch) => write('batch', batch),
      finish: () => write('end', null),
      complete: (origin, response, usage) => write('complete', { origin, response, usage }),
      fail: () => write('fail', null),
    };
    flight.tap(sink);
    if (!flight.settled) {
      const beat = setInterval(() => write('beat', null), BEAT_MS);
      beat.unref();
      void flight.done.catch(() => undefined).finally(() => clearInterval(beat));
    }
  };
  const unsubscribe = state.subscribe(JOIN_CHANNEL, (token) => {
    const lead = leading.get(token);
    if (!lead) return;
    lead.joined = true;
    if (lead.flight) mirror(token, lead.flight);
  });

  const follow = (key: string, token: string, flight: Flight): void => {
    const stream = streamKey(token);
    let lastId = '0';
    let lastProgress = Date.now();
    const giveUp = (): void => {
      gaveUp.set(key, Date.now() + 2 * waitMs);
      flight.fail(new FlightAbandoned());
    };
    const poll = async (): Promise<void> => {
      if (flight.settled) return;
      if (flight.signal.aborted) {
        flight.fail(new FlightAbandoned()); // every local listener left: nothing to feed
        return;
      }
      let entries: [string, string[]][] = [];
      let holder: string | null = null;
      try {
        const [read, lock] = (await redis
          .pipeline()
          .xread('COUNT', 500, 'STREAMS', stream, lastId)
          .get(lockKey(key))
          .exec()) as [[Error | null, unknown], [Error | null, unknown]];
        const streams = read[1] as [string, [string, string[]][]][] | null;
        entries = streams?.[0]?.[1] ?? [];
        holder = typeof lock[1] === 'string' ? lock[1] : null;
      } catch {
        // Redis unreachable: the wait below runs out and the requests go upstream.
      }
      for (const [id, fields] of entries) {
        lastId = id;
        lastProgress = Date.now();
        if (!apply(flight, fields)) {
          giveUp();
          return;
        }
      }
      if (flight.settled) return;
      if (entries.length === 0 && (holder !== token || Date.now() - lastProgress > waitMs)) {
        // The leader released without an end for us (it finished before we announced), or it
        // went quiet: go upstream (the rejoin finds the stored answer when there is one).
        giveUp();
        return;
      }
      setTimeout(() => void poll(), POLL_MS).unref();
    };
    void poll();
  };

  return {
    async claim(key, flight) {
      if (!state.up) return { kind: 'none' };
      const until = gaveUp.get(key);
      if (until !== undefined) {
        if (until > Date.now()) return { kind: 'none' };
        gaveUp.delete(key);
      }
      const token = `${state.replicaId}:${randomUUID()}`;
      let holder: unknown;
      try {
        holder = await redis.call('SET', lockKey(key), token, 'PX', LOCK_TTL_MS, 'NX', 'GET');
      } catch {
        return { kind: 'none' };
      }
      if (typeof holder === 'string' && holder !== '') {
        await state.publish(JOIN_CHANNEL, holder);
        follow(key, holder, flight);
        return { kind: 'join' };
      }
      const lead: { flight?: Flight; joined: boolean; mirrored: boolean } = {
        joined: false,
        mirrored: false,
      };
      leading.set(token, lead);
      return {
        kind: 'lead',
        attach(led) {
          lead.flight = led;
          if (lead.joined) mirror(token, led);
        },
        release() {
          leading.delete(token);
          redis.eval(RELEASE_SCRIPT, 1, lockKey(key), token).catch(() => {}); // it expires anyway
        },
      };
    },
    close() {
      unsubscribe();
    },
  };
}

/** Deletes the lock only when it is still this leader's. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Feeds one mirrored entry to the local flight; false for an entry that ends the wait. */
function apply(flight: Flight, fields: string[]): boolean {
  const type = fields[fields.indexOf('t') + 1];
  let data: unknown;
  try {
    data = JSON.parse(fields[fields.indexOf('d') + 1] ?? 'null');
  } catch {
    return false;
  }
  switch (type) {
    case 'origin':
      flight.begin(data as FlightOrigin);
      return true;
    case 'batch':
      flight.push(data as StreamPart[]);
      return true;
    case 'end':
      flight.finish();
      return true;
    case 'beat':
      return true;
    case 'complete': {
      const whole = data as { origin: FlightOrigin; response: ModelResponse; usage?: Usage };
      flight.complete(whole.origin, whole.response, whole.usage ?? undefined);
      return true;
    }
    default:
      return false; // 'fail' or unknown: the waiters make their own call
  }
}
