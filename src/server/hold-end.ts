import type { ServerResponse } from 'node:http';

/**
 * Holds a response's `end` until the promise `before` returns settles (fulfilled or not), then
 * ends it, unless the connection is gone by then. `before` returning undefined ends at once. Only
 * the first `end` is held. This is how a ledger entry reaches durable storage before the client
 * sees the end of its answer (`ledger.durability: journal`).
 */
export function holdEnd(response: ServerResponse, before: () => Promise<void> | undefined): void {
  const end = response.end;
  let held = false;
  const endNow = (args: unknown[]): void => {
    if (response.destroyed || response.writableEnded) return;
    (end as (...values: unknown[]) => ServerResponse).apply(response, args);
  };
  response.end = function holdingEnd(this: ServerResponse, ...args: unknown[]): ServerResponse {
    if (held) {
      (end as (...values: unknown[]) => ServerResponse).apply(response, args);
      return response;
    }
    held = true;
    let waiting: Promise<void> | undefined;
    try {
      waiting = before();
    } catch {
      waiting = undefined;
    }
    if (waiting === undefined) {
      (end as (...values: unknown[]) => ServerResponse).apply(response, args);
      return response;
    }
    waiting.then(
      () => endNow(args),
      () => endNow(args),
    );
    return response;
  } as ServerResponse['end'];
}
