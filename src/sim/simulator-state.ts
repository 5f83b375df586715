import { createSeededRandom } from './hash-text.js';
import { LruCache } from './lru-cache.js';
import type { PreparedRequest } from './prepared-request.js';
import type { IncomingHttpHeaders } from 'node:http';
import type { SimFleet, SimProviderSpec, SimRecordedRequest } from './sim-types.js';
import { StatsRecorder } from './stats-recorder.js';

const PREPARED_CAPACITY = 1_000;
/** Bodies above this size are not cached (bounded memory: at most capacity × this). */
export const MAX_CACHED_BODY_CHARS = 16_384;
/** Answers longer than this (all choices) are not cached either. */
export const MAX_CACHED_ANSWER_TOKENS = 20_000;
/** Cached prompt prefixes kept (one entry per breakpoint or message boundary; small entries). */
const PROMPT_CACHE_CAPACITY = 50_000;
const FAULT_COUNTER_CAPACITY = 2_000;
const RECENT_REQUESTS = 50;
const REDACTED_HEADERS = new Set(['authorization', 'x-api-key']);

/** A recorded request as stored: conversion (header copy, JSON parse) happens only when read. */
interface StoredRequest {
  providerId: string;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

function toRecorded(entry: StoredRequest): SimRecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(entry.headers)) {
    if (value === undefined) continue;
    headers[name] = REDACTED_HEADERS.has(name)
      ? '[redacted]'
      : Array.isArray(value)
        ? value.join(', ')
        : value;
  }
  let body: unknown = entry.rawBody;
  try {
    body = JSON.parse(entry.rawBody);
  } catch {
    // Not JSON: keep the text.
  }
  return { providerId: entry.providerId, method: entry.method, path: entry.path, headers, body };
}

/** Shared, bounded state of one running simulator. */
export class SimulatorState {
  readonly providers = new Map<string, SimProviderSpec>();
  readonly stats = new StatsRecorder();
  /** Validated + planned requests per (provider, path, raw body). */
  readonly prepared = new LruCache<string, PreparedRequest>(PREPARED_CAPACITY);
  /** Cached prompt prefixes per (provider, model) → expiry: the simulated provider prompt cache. */
  readonly promptCache = new LruCache<string, number>(PROMPT_CACHE_CAPACITY);
  /** How many times a counted fault directive (`*N`) already fired per request. */
  readonly faultCounters = new LruCache<string, number>(FAULT_COUNTER_CAPACITY);
  readonly random: () => number;
  private recent: StoredRequest[] = [];
  private counter = 0;
  private readonly idBase = Date.now().toString(36);

  constructor(
    fleet: SimFleet,
    readonly timeScale: number,
    seed: number | undefined,
  ) {
    for (const provider of fleet.providers) {
      if (this.providers.has(provider.id))
        throw new Error(`Duplicate simulated provider id: ${provider.id}`);
      if (!/^[A-Za-z0-9._-]+$/.test(provider.id))
        throw new Error(`Invalid simulated provider id: ${provider.id}`);
      this.providers.set(provider.id, provider);
    }
    this.random = seed === undefined ? Math.random : createSeededRandom(seed).next;
  }

  /** A unique id: prefix + simulator instance + counter. */
  nextId(prefix: string): string {
    this.counter++;
    return `${prefix}sim${this.idBase}${this.counter.toString(36)}`;
  }

  record(entry: StoredRequest): void {
    if (this.recent.length >= RECENT_REQUESTS) this.recent.shift();
    this.recent.push(entry);
  }

  recentRequests(): SimRecordedRequest[] {
    return this.recent.map(toRecorded);
  }

  /** Clears stats, recorded requests, fault counters and the simulated prompt cache. */
  reset(): void {
    this.stats.reset();
    this.recent = [];
    this.faultCounters.clear();
    this.promptCache.clear();
  }
}
