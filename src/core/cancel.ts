/**
 * What the request pipeline needs of an abort signal. A DOM `AbortSignal` satisfies it, and so
 * does the cheaper `Cancel` below, which is what the gateway creates on its hot path. undici
 * accepts either as a request's `signal` (it only uses `aborted`, `reason` and the two listener
 * methods).
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Anything that can be told to abort (a `Cancel`, an `AbortController`). */
export interface Abortable {
  abort(reason?: unknown): void;
}

/**
 * A cancellation source and its signal in one small object: the gateway makes one per request
 * and one per upstream attempt. Node 20's `AbortController` costs several microseconds each (its
 * signal is a full `EventTarget`, created with a registry of listener maps), which the overhead
 * benchmark showed as the largest single cost the gateway added per request (docs/decisions/0008).
 *
 * Semantics follow `AbortSignal` where the pipeline relies on them: `abort` fires each listener
 * once, in the order added, and only the first `abort` counts; a listener added after the abort
 * is never called (check `aborted` first, as with `AbortSignal`); adding the same listener twice
 * registers it once. A listener that throws does not stop the others: its error is rethrown on
 * a later tick, as an `EventTarget` reports it.
 */
export class Cancel implements CancelSignal, Abortable {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] | undefined = undefined;

  /** This object, as a signal (for code written against `AbortController`). */
  get signal(): CancelSignal {
    return this;
  }

  addEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort' || this.aborted) return;
    const listeners = this.listeners;
    if (listeners === undefined) this.listeners = [listener];
    else if (!listeners.includes(listener)) listeners.push(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    const listeners = this.listeners;
    if (type !== 'abort' || listeners === undefined) return;
    const at = listeners.indexOf(listener);
    if (at !== -1) listeners.splice(at, 1);
  }

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason =
      reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners === undefined) return;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        process.nextTick(() => {
          throw error;
        });
      }
    }
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }
}

/** A signal that never aborts (for work nobody can cancel). */
export const NEVER_CANCELLED: CancelSignal = new Cancel();
