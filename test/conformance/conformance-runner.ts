import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { createAdapter, createProviderDispatcher } from '../../src/providers/create-adapter.js';
import { PROVIDER_PRESETS, resolveQuirks } from '../../src/providers/presets.js';
import { GatewayError } from '../../src/core/errors.js';
import type {
  CallContext,
  ProviderAdapter,
  ProviderQuirks,
  ProviderSettings,
} from '../../src/core/provider.js';
import type { CanonicalRequest } from '../../src/core/request.js';
import type { ModelResponse, StreamPart } from '../../src/core/response.js';
import type { FixtureResponse, FixtureServer } from './fixture-server.js';

export type Wire = ProviderSettings['wire'];

/** The key every conformance provider is configured with; it must never appear in an error message. */
export const CONFORMANCE_API_KEY = 'sk-test-CONFORMANCE-5f2a9c71d4e8b3a6-secret';
export const CONFORMANCE_REQUEST_ID = 'req_conformance_0001';

const FIXTURES_ROOT = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Optional per-case settings (`case.json`). */
interface CaseConfig {
  description?: string;
  /** Start from this built-in preset (its base URL path is kept, its origin replaced by the test server). */
  preset?: string;
  settings?: {
    id?: string;
    headers?: Record<string, string>;
    anthropicVersion?: string;
    quirks?: Partial<ProviderQuirks>;
  };
  upstreamModel?: string;
  /** Extra headers on the fixture answer (e.g. retry-after). */
  upstreamHeaders?: Record<string, string>;
  /** `destroy`: drop the connection after the body instead of ending the answer. */
  ending?: 'end' | 'destroy';
}

interface ExpectedUpstream {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body: unknown;
}

interface ExpectedError {
  code: string;
  status?: number;
  retryable?: boolean;
  upstreamStatus?: number;
  retryAfterMs?: number;
  provider?: string;
  messageIncludes?: string[];
}

/** `expected.json`: a response, a list of parts, or an error (after some parts, for streams). */
interface Expected {
  response?: unknown;
  parts?: unknown[];
  error?: ExpectedError;
  /** Where the error surfaces: rejecting the call (`call`) or thrown while iterating (`stream`). */
  phase?: 'call' | 'stream';
}

type Outcome =
  | { kind: 'response'; response: ModelResponse }
  | { kind: 'parts'; parts: StreamPart[] }
  | { kind: 'error'; error: unknown; phase: 'call' | 'stream'; parts: StreamPart[] };

/** Case folder names for a wire, sorted. */
export function listCases(wire: Wire): string[] {
  return readdirSync(join(FIXTURES_ROOT, wire), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function readJsonFile<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function optionalJson<T>(path: string): T | undefined {
  return existsSync(path) ? readJsonFile<T>(path) : undefined;
}

/** The recorded upstream answer of a case: upstream.json, upstream.sse, or upstream-status + body. */
function loadUpstream(directory: string, config: CaseConfig): FixtureResponse {
  const statusPath = join(directory, 'upstream-status');
  const status = existsSync(statusPath) ? Number(readFileSync(statusPath, 'utf8').trim()) : 200;
  const candidates: Array<[string, string, boolean]> = [
    ['upstream.sse', 'text/event-stream; charset=utf-8', true],
    ['upstream.json', 'application/json', false],
    ['upstream-error.json', 'application/json', false],
    ['upstream.txt', 'text/plain', false],
  ];
  for (const [file, contentType, pieces] of candidates) {
    const path = join(directory, file);
    if (!existsSync(path)) continue;
    return {
      status,
      headers: { 'content-type': contentType, ...config.upstreamHeaders },
      body: readFileSync(path),
      pieces,
      ending: config.ending ?? 'end',
    };
  }
  return {
    status,
    headers: { ...config.upstreamHeaders },
    body: Buffer.alloc(0),
    pieces: false,
    ending: config.ending ?? 'end',
  };
}

function settingsFor(wire: Wire, config: CaseConfig, origin: string): ProviderSettings {
  const preset = config.preset === undefined ? undefined : PROVIDER_PRESETS[config.preset];
  if (config.preset !== undefined && preset === undefined)
    throw new Error(`Unknown preset ${config.preset}`);
  const basePath = preset === undefined ? '/v1' : new URL(preset.baseUrl).pathname;
  const baseQuirks =
    preset?.quirks ??
    (wire === 'anthropic'
      ? PROVIDER_PRESETS['anthropic']?.quirks
      : resolveQuirks({ completions: true }));
  const settings: ProviderSettings = {
    id: config.settings?.id ?? config.preset ?? `test-${wire}`,
    wire,
    baseUrl: `${origin}${basePath}`,
    apiKey: CONFORMANCE_API_KEY,
    headers: { ...preset?.headers, ...config.settings?.headers },
    quirks: { ...resolveQuirks(baseQuirks), ...config.settings?.quirks },
  };
  if (config.settings?.anthropicVersion !== undefined)
    settings.anthropicVersion = config.settings.anthropicVersion;
  return settings;
}

async function invoke(
  adapter: ProviderAdapter,
  request: CanonicalRequest,
  context: CallContext,
): Promise<Outcome> {
  const parts: StreamPart[] = [];
  let stream: AsyncIterable<StreamPart>;
  try {
    if (request.kind === 'chat') {
      if (!request.stream)
        return { kind: 'response', response: await adapter.chat(request, context) };
      stream = await adapter.streamChat(request, context);
    } else {
      if (adapter.complete === undefined || adapter.streamComplete === undefined)
        throw new Error('adapter has no completions');
      if (!request.stream)
        return { kind: 'response', response: await adapter.complete(request, context) };
      stream = await adapter.streamComplete(request, context);
    }
  } catch (error) {
    return { kind: 'error', error, phase: 'call', parts };
  }
  try {
    for await (const part of stream) parts.push(part);
  } catch (error) {
    return { kind: 'error', error, phase: 'stream', parts };
  }
  return { kind: 'parts', parts };
}

/** Runs one fixture case through a real adapter, a real undici Pool and the fixture server. */
export async function runConformanceCase(
  server: FixtureServer,
  origin: string,
  wire: Wire,
  caseName: string,
): Promise<void> {
  const directory = join(FIXTURES_ROOT, wire, caseName);
  const config = optionalJson<CaseConfig>(join(directory, 'case.json')) ?? {};
  const request = readJsonFile<CanonicalRequest>(join(directory, 'request.json'));
  const expectedUpstream = optionalJson<ExpectedUpstream>(
    join(directory, 'expected-upstream.json'),
  );
  const expected = readJsonFile<Expected>(join(directory, 'expected.json'));

  server.respondWith(loadUpstream(directory, config));
  const settings = settingsFor(wire, config, origin);
  const adapter = createAdapter(settings, createProviderDispatcher(settings.baseUrl));
  const context: CallContext = {
    upstreamModel: config.upstreamModel ?? 'test-model',
    signal: new AbortController().signal,
    requestId: CONFORMANCE_REQUEST_ID,
  };
  let outcome: Outcome;
  try {
    outcome = await invoke(adapter, request, context);
  } finally {
    await adapter.close();
  }

  checkUpstreamRequest(server, wire, expectedUpstream);
  checkOutcome(outcome, expected);
}

function checkUpstreamRequest(
  server: FixtureServer,
  wire: Wire,
  expected: ExpectedUpstream | undefined,
): void {
  if (expected === undefined) {
    expect(server.requests, 'no upstream request expected').toHaveLength(0);
    return;
  }
  expect(server.requests, 'exactly one upstream request').toHaveLength(1);
  const recorded = server.requests[0];
  if (recorded === undefined) return;
  expect(recorded.method).toBe(expected.method);
  expect(recorded.url).toBe(expected.path);
  expect(recorded.headers['content-type']).toBe('application/json');
  expect(recorded.headers['x-request-id']).toBe(CONFORMANCE_REQUEST_ID);
  if (wire === 'anthropic') expect(recorded.headers['x-api-key']).toBe(CONFORMANCE_API_KEY);
  else expect(recorded.headers['authorization']).toBe(`Bearer ${CONFORMANCE_API_KEY}`);
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    expect(recorded.headers[name.toLowerCase()], `header ${name}`).toBe(value);
  }
  expect(JSON.parse(recorded.body)).toEqual(expected.body);
}

function checkOutcome(outcome: Outcome, expected: Expected): void {
  if (expected.error !== undefined) {
    if (outcome.kind !== 'error')
      throw new Error(`expected error ${expected.error.code}, got ${JSON.stringify(outcome)}`);
    expect(outcome.phase).toBe(expected.phase ?? 'call');
    expect(outcome.parts).toEqual(withPlaceholders(expected.parts ?? [], outcome.parts));
    checkError(outcome.error, expected.error);
    return;
  }
  if (outcome.kind === 'error') throw outcome.error;
  if (expected.parts !== undefined) {
    expect(outcome.kind).toBe('parts');
    const parts = outcome.kind === 'parts' ? outcome.parts : [];
    expect(parts).toEqual(withPlaceholders(expected.parts, parts));
    return;
  }
  expect(outcome.kind).toBe('response');
  const response = outcome.kind === 'response' ? outcome.response : undefined;
  expect(response).toEqual(withPlaceholders(expected.response, response));
}

function checkError(error: unknown, expected: ExpectedError): void {
  expect(error).toBeInstanceOf(GatewayError);
  const gatewayError = error as GatewayError;
  expect(gatewayError.message).not.toContain(CONFORMANCE_API_KEY);
  expect(JSON.stringify({ ...gatewayError, message: gatewayError.message })).not.toContain(
    CONFORMANCE_API_KEY,
  );
  expect({ code: gatewayError.code, message: gatewayError.message }).toMatchObject({
    code: expected.code,
  });
  if (expected.status !== undefined) expect(gatewayError.status).toBe(expected.status);
  if (expected.retryable !== undefined) expect(gatewayError.retryable).toBe(expected.retryable);
  if (expected.upstreamStatus !== undefined)
    expect(gatewayError.upstreamStatus).toBe(expected.upstreamStatus);
  if (expected.retryAfterMs !== undefined)
    expect(gatewayError.retryAfterMs).toBe(expected.retryAfterMs);
  if (expected.provider !== undefined) expect(gatewayError.provider).toBe(expected.provider);
  for (const fragment of expected.messageIncludes ?? [])
    expect(gatewayError.message).toContain(fragment);
}

/**
 * Volatile values: `"<now>"` in an expected file matches a Unix-seconds timestamp within five
 * minutes of now (Anthropic answers carry no `created`; the adapter stamps the time).
 */
function withPlaceholders(expected: unknown, actual: unknown): unknown {
  if (expected === '<now>') {
    const now = Date.now() / 1000;
    return typeof actual === 'number' && Math.abs(actual - now) < 300 ? actual : expected;
  }
  if (Array.isArray(expected)) {
    return expected.map((item, index) =>
      withPlaceholders(item, Array.isArray(actual) ? actual[index] : undefined),
    );
  }
  if (typeof expected === 'object' && expected !== null) {
    const source =
      typeof actual === 'object' && actual !== null ? (actual as Record<string, unknown>) : {};
    return Object.fromEntries(
      Object.entries(expected).map(([key, value]) => [key, withPlaceholders(value, source[key])]),
    );
  }
  return expected;
}
