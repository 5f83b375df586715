import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { DialectName } from './endpoints.js';
import { RequestHead } from './request-head.js';

/** What the gateway knows about one client connection. */
export interface ConnectionState {
  socket: Socket;
  /** Requests on it whose response has not closed yet (more than one only when pipelined). */
  active: number;
  /** The response being written, until it closes. */
  response: ServerResponse | undefined;
  /** The dialect of the last request routed on it: errors outside a request use it. */
  dialect: DialectName | undefined;
  /** The head bytes of the request it is receiving, before that request begins (undefined: Node hides them). */
  head: RequestHead | undefined;

  /** Accepted over `server.max_connections`: its requests are answered 503 and it is closed. */
  overCap: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

export interface ConnectionTrackerOptions {
  /** Connections served normally at once; more are answered 503 `overloaded` (`server.max_connections`). */
  maxConnections: number;
  /** During a drain, an idle keep-alive connection is closed after this long without a new request. */
  drainIdleCloseMs: number;
}

/** Over the cap, connections are still read (so they get a 503 in their dialect) up to this many more; beyond, dropped at once. */
const OVER_CAP_ALLOWANCE = (max: number): number => Math.max(64, Math.ceil(max / 10));

/**
 * Every open client connection of the server: the connection cap, the dialect for errors that
 * happen outside a request, and the drain (Connection: close on every response, idle
 * connections closed, the last response on a connection ends it).
 */
export class ConnectionTracker {
  private readonly states = new Map<Socket, ConnectionState>();
  private drainingSince: number | undefined;
  /** Requests begun whose record has not been reported yet (the ledger row comes after the response closes). */
  private unsettled = 0;
  private onSettled: (() => void) | undefined;

  constructor(private readonly options: ConnectionTrackerOptions) {}

  /** A reloaded `server.max_connections`: applies to connections opened from now on. */
  setMaxConnections(maxConnections: number): void {
    this.options.maxConnections = maxConnections;
  }

  attach(server: Server): void {
    server.on('connection', (socket: Socket) => {
      const open = this.states.size;
      if (open >= this.options.maxConnections + OVER_CAP_ALLOWANCE(this.options.maxConnections)) {
        socket.destroy();
        return;
      }
      const state: ConnectionState = {
        socket,
        active: 0,
        response: undefined,
        dialect: undefined,
        head: RequestHead.watch(socket),
        overCap: open >= this.options.maxConnections,
        idleTimer: undefined,
      };
      this.states.set(socket, state);
      socket.once('close', () => {
        if (state.idleTimer !== undefined) clearTimeout(state.idleTimer);
        this.states.delete(socket);
      });
      if (this.drainingSince !== undefined) this.closeWhenIdle(state);
    });
  }

  /** Marks a request as started on its connection; returns the connection's state. */
  begin(
    request: IncomingMessage,
    response: ServerResponse,
    dialect: DialectName,
  ): ConnectionState | undefined {
    const state = this.states.get(request.socket);
    if (!state) return undefined;
    state.active += 1;
    state.response = response;
    state.dialect = dialect;
    state.head?.requestBegan();
    if (state.idleTimer !== undefined) {
      clearTimeout(state.idleTimer);
      state.idleTimer = undefined;
    }
    if (this.drainingSince !== undefined || state.overCap)
      response.setHeader('connection', 'close');
    response.once('close', () => {
      state.active -= 1;
      if (state.response === response) state.response = undefined;
      if (state.active === 0) state.head?.idle();
      // A response that began before the drain (its headers already said keep-alive): the client may
      // reuse the connection at once, so it gets the same short wait as any idle connection.
      if (this.drainingSince !== undefined && state.active === 0 && !state.socket.destroyed)
        this.closeWhenIdle(state);
    });
    return state;
  }

  /** A request began; `requestSettled` when its record was reported. */
  requestStarted(): void {
    this.unsettled += 1;
  }

  requestSettled(): void {
    this.unsettled -= 1;
    if (this.unsettled === 0) this.onSettled?.();
  }

  /** Resolves when every begun request has been reported, or after `timeoutMs`. */
  settled(timeoutMs: number): Promise<void> {
    if (this.unsettled === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.onSettled = done;
    });
  }

  stateOf(socket: Socket): ConnectionState | undefined {
    return this.states.get(socket);
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  get size(): number {
    return this.states.size;
  }

  /** Starts the drain: responses not yet begun say Connection: close, idle connections close shortly. */
  drain(): void {
    if (this.drainingSince !== undefined) return;
    this.drainingSince = Date.now();
    for (const state of this.states.values()) {
      if (state.response && !state.response.headersSent)
        state.response.setHeader('connection', 'close');
      if (state.active === 0) this.closeWhenIdle(state);
    }
  }

  /**
   * An idle keep-alive connection is closed after a short wait rather than at once: a client that
   * is about to send its next request on it gets that request answered (with Connection: close)
   * instead of a reset.
   */
  private closeWhenIdle(state: ConnectionState): void {
    if (state.idleTimer !== undefined) return;
    state.idleTimer = setTimeout(() => {
      state.idleTimer = undefined;
      if (state.active === 0) state.socket.destroy();
    }, this.options.drainIdleCloseMs);
    state.idleTimer.unref();
  }
}
