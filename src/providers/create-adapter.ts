import { Pool, type Dispatcher } from 'undici';
import type { ProviderAdapter, ProviderSettings } from '../core/provider.js';
import { createAnthropicAdapter } from './anthropic/anthropic-adapter.js';
import { createOpenAICompatibleAdapter } from './openai-compatible/openai-compatible-adapter.js';
import { createOpenAIResponsesAdapter } from './openai-responses/openai-responses-adapter.js';

/** Builds the adapter for a provider's wire format; the adapter owns (and closes) the dispatcher. */
export function createAdapter(settings: ProviderSettings, dispatcher: Dispatcher): ProviderAdapter {
  switch (settings.wire) {
    case 'openai-compatible':
      return createOpenAICompatibleAdapter(settings, dispatcher);
    case 'openai-responses':
      return createOpenAIResponsesAdapter(settings, dispatcher);
    case 'anthropic':
      return createAnthropicAdapter(settings, dispatcher);
  }
}

export interface ProviderDispatcherOptions {
  /** Most sockets open to the provider at once (default 128). */
  connections?: number;
  /** How long an idle keep-alive socket is kept (default 30 s; the server's keep-alive hint may shorten it). */
  keepAliveTimeoutMs?: number;
  /** Time allowed to establish a connection, TLS included (default 10 s). */
  connectTimeoutMs?: number;
  /** Time allowed until response headers arrive (default 10 min: non-streaming reasoning answers are slow). */
  headersTimeoutMs?: number;
  /** Longest silence allowed between two body chunks (default 5 min). */
  bodyTimeoutMs?: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: Readonly<Required<ProviderDispatcherOptions>> =
  Object.freeze({
    connections: 128,
    keepAliveTimeoutMs: 30_000,
    connectTimeoutMs: 10_000,
    headersTimeoutMs: 600_000,
    bodyTimeoutMs: 300_000,
  });

/**
 * A keep-alive connection pool for one provider: an undici Pool bound to the base URL's origin,
 * HTTP/1.1 without pipelining (a slow generation must not hold up the next request). Per-call
 * deadlines are the gateway's job (via the call's AbortSignal); these timeouts are backstops.
 */
export function createProviderDispatcher(
  baseUrl: string,
  options: ProviderDispatcherOptions = {},
): Pool {
  const resolved = { ...DEFAULT_DISPATCHER_OPTIONS, ...definedOnly(options) };
  return new Pool(new URL(baseUrl).origin, {
    connections: resolved.connections,
    pipelining: 1,
    keepAliveTimeout: resolved.keepAliveTimeoutMs,
    connectTimeout: resolved.connectTimeoutMs,
    headersTimeout: resolved.headersTimeoutMs,
    bodyTimeout: resolved.bodyTimeoutMs,
  });
}

function definedOnly(options: ProviderDispatcherOptions): ProviderDispatcherOptions {
  const result: ProviderDispatcherOptions = {};
  for (const [key, value] of Object.entries(options) as Array<
    [keyof ProviderDispatcherOptions, number | undefined]
  >) {
    if (value !== undefined) result[key] = value;
  }
  return result;
}
