import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../core/request.js';
import type { ModelResponse } from '../core/response.js';
import { resolveCacheSettings, type CacheConfigFile } from './cache-config.js';
import { createMemoryCacheStore } from './memory-cache-store.js';
import type { CachedAnswer, CacheStore } from './cache-store.js';
import { cacheControl, isStorable, ResponseCache } from './response-cache.js';
import { FlightAbandoned } from './single-flight.js';

const request: ChatRequest = {
  kind: 'chat',
  model: 'auto',
  stream: false,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
};

function cacheWith(file: CacheConfigFile = {}): ResponseCache {
  const problems: string[] = [];
  const settings = resolveCacheSettings(file, {}, problems, Number);
  expect(problems).toEqual([]);
  return new ResponseCache(settings, createMemoryCacheStore({ maxEntries: 10, maxBytes: 1 << 20 }));
}

const answer = (text: string, finishReason: 'stop' | 'content_filter' = 'stop'): ModelResponse => ({
  id: '',
  model: 'm',
  created: 0,
  choices: [{ index: 0, text, toolCalls: [], finishReason }],
});

describe('ResponseCache.ticket', () => {
  it('is on by default for any temperature, with a 5-minute TTL and sharing', () => {
    expect(cacheWith().ticket({ ...request, temperature: 1 }, {}, null)).toMatchObject({
      lookup: true,
      store: true,
      share: true,
      ttlMs: 300_000,
    });
  });

  it('applies per-model then per-key overrides: off, TTL, temperature 0 only', () => {
    const cache = cacheWith({
      models: { auto: { when: 'temperature_zero', ttl_seconds: 60 } },
      keys: { key_off: { enabled: false }, key_long: { ttl_seconds: 3600 } },
    });
    expect(cache.ticket({ ...request, temperature: 0.3 }, {}, null)).toBeUndefined();
    expect(cache.ticket(request, {}, null)).toBeUndefined();
    expect(cache.ticket({ ...request, temperature: 0 }, {}, null)?.ttlMs).toBe(60_000);
    expect(cache.ticket({ ...request, temperature: 0 }, {}, 'key_off')).toBeUndefined();
    expect(cache.ticket({ ...request, temperature: 0 }, {}, 'key_long')?.ttlMs).toBe(3_600_000);
    expect(cacheWith({ enabled: false }).ticket(request, {}, null)).toBeUndefined();
  });

  it('reads Cache-Control and x-switchyard-cache-ttl, and refuses a TTL out of bounds', () => {
    const cache = cacheWith({ max_ttl_seconds: 600 });
    expect(cache.ticket(request, { 'cache-control': 'No-Cache' }, null)).toMatchObject({
      lookup: false,
      store: true,
      share: false,
    });
    expect(cache.ticket(request, { 'cache-control': 'max-age=0, no-store' }, null)).toMatchObject({
      lookup: true,
      store: false,
      share: false,
    });
    expect(cache.ticket(request, { 'x-switchyard-cache-ttl': '30' }, null)?.ttlMs).toBe(30_000);
    for (const bad of ['0', '601', '1.5', 'soon'])
      expect(() => cache.ticket(request, { 'x-switchyard-cache-ttl': bad }, null)).toThrow(
        /x-switchyard-cache-ttl/,
      );
  });

  it('keeps entries private to each key with scope: key', () => {
    const shared = cacheWith();
    expect(shared.ticket(request, {}, 'a')?.key).toBe(shared.ticket(request, {}, 'b')?.key);
    const private_ = cacheWith({ scope: 'key' });
    expect(private_.ticket(request, {}, 'a')?.key).not.toBe(private_.ticket(request, {}, 'b')?.key);
  });
});

describe('cacheControl', () => {
  it('ignores other directives', () => {
    expect(cacheControl('max-age=60')).toEqual({ noCache: false, noStore: false });
    expect(cacheControl(['no-cache', 'no-store'])).toEqual({ noCache: true, noStore: true });
  });
});

describe('isStorable', () => {
  it('stores stop, length and tool calls; not content filters, pauses or invalid JSON', () => {
    expect(isStorable(request, answer('ok'))).toBe(true);
    expect(isStorable(request, answer('no', 'content_filter'))).toBe(false);
    expect(isStorable(request, { ...answer(''), choices: [] })).toBe(false);
    const json: ChatRequest = { ...request, responseFormat: { type: 'json_object' } };
    expect(isStorable(json, answer('{"a":1}'))).toBe(true);
    expect(isStorable(json, answer('{"a":'))).toBe(false);
    const badTool = {
      ...answer(''),
      choices: [
        {
          index: 0,
          text: '',
          toolCalls: [{ id: 'c', name: 'run', arguments: '{"x":' }],
          finishReason: 'tool_calls' as const,
        },
      ],
    };
    expect(isStorable(request, badTool)).toBe(false);
  });
});

describe('ResponseCache.find with a store that answers later (Redis)', () => {
  function slowCache(entry?: () => CachedAnswer | undefined): ResponseCache {
    const problems: string[] = [];
    const settings = resolveCacheSettings({}, {}, problems, Number);
    const store: CacheStore = {
      kind: 'redis',
      get: () => new Promise((resolve) => setTimeout(() => resolve(entry?.()), 20)),
      set: async () => {},
      delete: async () => {},
      close: async () => {},
    };
    return new ResponseCache(settings, store);
  }

  it('lets identical requests arriving during the lookup join the first one: one leader', async () => {
    const cache = slowCache();
    const tickets = Array.from({ length: 6 }, () => cache.ticket(request, {}, null)!);
    const found = await Promise.all(tickets.map((ticket) => cache.find(ticket)));
    expect(found.filter((result) => result === undefined)).toHaveLength(1);
    expect(found.filter((result) => result?.status === 'shared')).toHaveLength(5);
    const leader = cache.lead(tickets[found.indexOf(undefined)]!);
    expect(found.every((result) => result === undefined || result.flight === leader)).toBe(true);
    leader.complete({ model: 'm', provider: 'p' }, answer('one call'));
    await cache.finish(tickets[0]!, leader, request, undefined);
    expect(cache.flights.size).toBe(0);
  });

  it('serves requests that joined during the lookup the stored answer on a hit', async () => {
    const stored: CachedAnswer = {
      response: answer('stored'),
      model: 'm',
      provider: 'p',
      storedAt: 0,
    };
    const cache = slowCache(() => stored);
    const found = await Promise.all([
      cache.find(cache.ticket(request, {}, null)!),
      cache.find(cache.ticket(request, {}, null)!),
    ]);
    expect(found.map((result) => result?.status)).toEqual(['hit', 'shared']);
    // biome-ignore lint/suspicious/noNonNullAssertedOptionalChain: an absent result fails the assertion either way
    expect(found[1]!.flight.result?.choices[0]!.text).toBe('stored');
    expect(cache.flights.size).toBe(0);
  });

  it('tells joiners to make their own call when the leader gives up before calling upstream', async () => {
    const cache = slowCache();
    const leaderTicket = cache.ticket(request, {}, null)!;
    const joinerTicket = cache.ticket(request, {}, null)!;
    const [leader, joiner] = await Promise.all([
      cache.find(leaderTicket),
      cache.find(joinerTicket),
    ]);
    expect(leader).toBeUndefined();
    cache.abandon(leaderTicket);
    await expect(joiner!.flight.done).rejects.toBeInstanceOf(FlightAbandoned);
    expect(cache.flights.size).toBe(0);
    expect(await cache.find(cache.ticket(request, {}, null)!)).toBeUndefined(); // a new claim, not the abandoned flight
  });

  it('starts a fresh flight when every joiner of the claim left before the call began', async () => {
    const cache = slowCache();
    const leaderTicket = cache.ticket(request, {}, null)!;
    const [, joiner] = await Promise.all([
      cache.find(leaderTicket),
      cache.find(cache.ticket(request, {}, null)!),
    ]);
    const gone = new AbortController();
    joiner!.flight.attach(gone.signal);
    gone.abort();
    const flight = cache.lead(leaderTicket);
    expect(flight).not.toBe(joiner!.flight);
    expect(flight.signal.aborted).toBe(false);
    expect(cache.flights.find(leaderTicket.key)).toBe(flight);
  });
});
