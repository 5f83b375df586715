import type { Dispatcher } from 'undici';

/**
 * Headers for one upstream call: the wire's auth headers, then the operator's extra headers
 * (names lower-cased, so they replace rather than duplicate), then the protocol headers the
 * adapter depends on (content-type, accept, x-request-id, traceparent), which extras cannot override.
 */
export function providerHeaders(
  auth: Record<string, string>,
  extra: Record<string, string>,
  requestId: string,
  stream: boolean,
  traceparent?: string,
): Record<string, string> {
  const headers: Record<string, string> = { ...auth };
  for (const name in extra) {
    const value = extra[name];
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  headers['content-type'] = 'application/json';
  headers['accept'] = stream ? 'text/event-stream' : 'application/json';
  headers['x-request-id'] = requestId;
  if (traceparent !== undefined) headers['traceparent'] = traceparent;
  return headers;
}

/** Closes an adapter's dispatcher; closing twice (or a dispatcher already destroyed) is fine. */
export async function closeDispatcher(dispatcher: Dispatcher): Promise<void> {
  const state = dispatcher as Dispatcher & { closed?: boolean; destroyed?: boolean };
  if (state.closed === true || state.destroyed === true) return;
  try {
    await dispatcher.close();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'UND_ERR_CLOSED' && code !== 'UND_ERR_DESTROYED') throw error;
  }
}
