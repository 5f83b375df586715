import type { Price } from '../registry/catalog-types.js';
import { Cancel, type CancelSignal } from '../core/cancel.js';
import { GatewayError } from '../core/errors.js';
import type { ModelResponse, StreamPart, Usage } from '../core/response.js';
import { ResponseCollector, responseToParts } from './response-parts.js';

/**
 * The failure of a flight whose leader gave up before calling upstream (admission refused it,
 * say): it says nothing about the answer, so the requests that joined make their own call.
 */
export class FlightAbandoned extends Error {
  override readonly name = 'FlightAbandoned';
  constructor() {
    super('the request leading this call gave up before calling upstream');
  }
}

/** Which deployment is answering a flight (known once the executor found one that answers). */
export interface FlightOrigin {
  model: string;
  provider: string;
  /** The deployment's price, to value what a joiner saved. */
  price?: Price;
  /** The max_tokens sent, when it was clamped to the deployment's max output. */
  maxTokensClamped?: number;
}

/** Receives a flight's events as they happen (a replica mirroring it for the others). */
export interface FlightSink {
  begin(origin: FlightOrigin): void;
  push(batch: readonly StreamPart[]): void;
  finish(): void;
  complete(origin: FlightOrigin, response: ModelResponse, usage?: Usage): void;
  fail(error: unknown): void;
}

/** One client's view of a flight. Leave it when done; the last one to leave early aborts the call. */
export interface FlightListener {
  /** Every batch of the answer from the first, then the rest as it arrives; throws the flight's failure. */
  batches(): AsyncIterable<readonly StreamPart[]>;
  /** The whole answer once complete. */
  response(): Promise<ModelResponse>;
  leave(): void;
}

/**
 * One upstream call shared by every identical request that arrives while it runs. The producer
 * (the request that started it) feeds it batches of parts, or one whole response; listeners read
 * from the first batch, so a late joiner gets what was already produced, then the rest. A failure
 * reaches every listener. The call's abort signal fires only when every listener has left before
 * the end: one client disconnecting never cuts the answer off for the others.
 */
export class Flight {
  private readonly controller = new Cancel();
  private readonly produced: (readonly StreamPart[])[] = [];
  private readonly collector = new ResponseCollector();
  private wakers: Array<() => void> = [];
  private listeners = 0;
  private state: 'running' | 'done' | 'failed' = 'running';
  private failure: unknown;
  private whole: ModelResponse | undefined;
  private wholeUsage: Usage | undefined;
  private wholeGiven = false;
  private originValue: FlightOrigin | undefined;
  private sinks: FlightSink[] = [];
  private resolveOrigin!: (origin: FlightOrigin) => void;
  private rejectOrigin!: (error: unknown) => void;
  private resolveDone!: (response: ModelResponse) => void;
  private rejectDone!: (error: unknown) => void;
  /** Resolves when the producer knows which deployment answers; rejects if it fails first. */
  readonly origin: Promise<FlightOrigin>;
  /** Resolves with the whole answer at the end; rejects with the failure. */
  readonly done: Promise<ModelResponse>;

  constructor(readonly key: string) {
    this.origin = new Promise((resolve, reject) => {
      this.resolveOrigin = resolve;
      this.rejectOrigin = reject;
    });
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.origin.catch(() => {});
    this.done.catch(() => {});
  }

  /** Aborted when every listener left before the end: pass it to the upstream call. */
  get signal(): CancelSignal {
    return this.controller.signal;
  }

  get listenerCount(): number {
    return this.listeners;
  }

  get settled(): boolean {
    return this.state !== 'running';
  }

  /** The whole answer, when the flight already completed without error (a cache hit, say). */
  get result(): ModelResponse | undefined {
    return this.state === 'done' ? this.whole : undefined;
  }

  /** The answering deployment, once known. */
  get knownOrigin(): FlightOrigin | undefined {
    return this.originValue;
  }

  /** The answering deployment's price, once known. */
  get originPrice(): Price | undefined {
    return this.originValue?.price;
  }

  /**
   * Mirrors the flight into `sink`: what happened so far at once (origin, batches, the end), then
   * every event as it happens.
   */
  tap(sink: FlightSink): void {
    if (this.wholeGiven && this.originValue) {
      sink.complete(this.originValue, this.whole!, this.wholeUsage);
      return;
    }
    if (this.originValue) sink.begin(this.originValue);
    for (const batch of this.produced) sink.push(batch);
    if (this.state === 'done') sink.finish();
    else if (this.state === 'failed') sink.fail(this.failure);
    else this.sinks.push(sink);
  }

  begin(origin: FlightOrigin): void {
    this.originValue = origin;
    this.resolveOrigin(origin);
    if (!this.wholeGiven) for (const sink of this.sinks) sink.begin(origin);
  }

  push(batch: readonly StreamPart[]): void {
    if (this.state !== 'running') return;
    this.produced.push(batch);
    this.collector.pushAll(batch);
    this.wake();
    for (const sink of this.sinks) sink.push(batch);
  }

  /** The stream ended normally. */
  finish(): void {
    if (this.state !== 'running') return;
    this.state = 'done';
    this.whole ??= this.collector.response();
    this.resolveDone(this.whole);
    this.wake();
    for (const sink of this.sinks.splice(0)) sink.finish();
  }

  /**
   * A non-streamed (or cached) answer: the whole response at once. Its stream parts are made only
   * if a stream listener asks; `usage` stands in for a response that carries none.
   */
  complete(origin: FlightOrigin, response: ModelResponse, usage?: Usage): void {
    if (this.state !== 'running') {
      this.begin(origin);
      return;
    }
    this.whole = response;
    this.wholeUsage = usage;
    this.wholeGiven = true;
    this.begin(origin);
    this.state = 'done';
    this.resolveDone(response);
    this.wake();
    for (const sink of this.sinks.splice(0)) sink.complete(origin, response, usage);
  }

  fail(error: unknown): void {
    if (this.state !== 'running') return;
    this.state = 'failed';
    this.failure = error;
    this.rejectOrigin(error);
    this.rejectDone(error);
    this.wake();
    for (const sink of this.sinks.splice(0)) sink.fail(error);
  }

  /** True when the stream carried a finish for every choice it started. */
  get completeAnswer(): boolean {
    return this.wholeGiven || this.collector.complete;
  }

  attach(signal: CancelSignal): FlightListener {
    this.listeners++;
    let left = false;
    const leave = (): void => {
      if (left) return;
      left = true;
      signal.removeEventListener('abort', leave);
      this.listeners--;
      this.wake();
      if (this.listeners === 0 && this.state === 'running')
        this.controller.abort(
          new GatewayError(
            'client_closed',
            'Every client waiting for this answer closed the connection.',
          ),
        );
    };
    signal.addEventListener('abort', leave, { once: true });
    if (signal.aborted) leave();
    const flight = this;
    return {
      leave,
      response: async () => {
        try {
          return await Promise.race([flight.done, abortion(signal)]);
        } finally {
          leave();
        }
      },
      async *batches() {
        let next = 0;
        try {
          for (;;) {
            if (flight.wholeGiven && flight.produced.length === 0)
              flight.produced.push(
                responseToParts(flight.whole!, flight.whole!.usage ?? flight.wholeUsage),
              );
            while (next < flight.produced.length) yield flight.produced[next++]!;
            if (flight.state === 'done') return;
            if (flight.state === 'failed') throw flight.failure;
            if (left)
              throw (
                signal.reason ??
                new GatewayError('client_closed', 'The client closed the connection.')
              );
            await new Promise<void>((resolve) => flight.wakers.push(resolve));
          }
        } finally {
          leave();
        }
      },
    };
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }
}

function abortion(signal: CancelSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (): void =>
      reject(
        signal.reason ?? new GatewayError('client_closed', 'The client closed the connection.'),
      );
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/** The flights in progress, by cache key. */
export class FlightRegistry {
  private readonly flights = new Map<string, Flight>();

  get size(): number {
    return this.flights.size;
  }

  /** A running flight for the key that a new listener may still join. */
  find(key: string): Flight | undefined {
    const flight = this.flights.get(key);
    return flight && !flight.settled && !flight.signal.aborted ? flight : undefined;
  }

  open(key: string): Flight {
    const flight = new Flight(key);
    this.flights.set(key, flight);
    return flight;
  }

  /** Forget the flight (after its answer is stored, so no request falls between the two). */
  close(flight: Flight): void {
    if (this.flights.get(flight.key) === flight) this.flights.delete(flight.key);
  }
}
