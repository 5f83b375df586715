import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { embeddedConfigFile } from '../../src/config/load-config.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import type { KeyStore } from '../../src/keys/key-types.js';
import { createAdminApi } from '../../src/server/admin-api.js';
import { failModelCall } from '../../src/server/model-call.js';
import { startGateway, type RunningGateway } from '../../src/app/start-gateway.js';
import type { Ledger } from '../../src/usage/ledger/ledger.js';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

/** A ledger whose database is down for reads while `down` is set (writes are queued, as the real one does). */
function outageLedger(state: { down: boolean }): Ledger {
  return {
    kind: 'postgres',
    record: () => {},
    flush: async () => {},
    close: async () => {},
    report: async () => {
      if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      return {
        rows: [],
        totals: {
          requests: 0,
          inputTokens: 0,
          cachedInputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
          savedUsd: 0,
        },
      } as never;
    },
    stats: () => ({
      queued: 0,
      written: 0,
      dropped: 0,
      failedWrites: 0,
      flushes: 0,
      flushMsTotal: 0,
      lastFlushMs: null,
      lastError: null,
    }),
    recentRequests: async () => [],
    attemptRows: async () => [],
    trafficMix: async () => [],
    timeSeries: async () => [],
    recordOutcome: async () => {},
    outcomeEvidence: async () => [],
    outcomeReport: async () => [],
    recordEscalation: async () => {},
    escalationReport: async () => [],
    recentOutcomes: async () => [],
    findRequest: async () => undefined,
  };
}

describe('a storage outage is a retryable 503, never a 500 with a stack trace', () => {
  it("a key's first use while the ledger database is down → 503 storage_unavailable with Retry-After; served once it is back", async () => {
    const state = { down: true };
    const file = {
      ...embeddedConfigFile(),
      data_dir: mkdtempSync(join(tmpdir(), 'switchyard-outage-')),
      server: { port: 0 },
      simulator: { enabled: true, time_scale: 0 },
      auth: { require_keys: true },
      admin: { token_env: 'ADMIN' },
    };
    // The key is made by an earlier process on the same data directory: this one has never seen its spend.
    const earlier = await startGateway(resolveConfig(file, 'test', { ADMIN: ADMIN_TOKEN }), {
      ledger: outageLedger({ down: false }),
    });
    const created = await fetch(`${earlier.url}/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'outage', limits: { daily_budget_usd: 5 } }),
    });
    expect(created.status).toBe(201);
    const secret = ((await created.json()) as { key: string }).key;
    await earlier.close(100);
    const gateway: RunningGateway = await startGateway(
      resolveConfig(file, 'test', { ADMIN: ADMIN_TOKEN }),
      { ledger: outageLedger(state) },
    );
    closers.push(() => gateway.close(100));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const ask = (): Promise<Response> =>
      fetch(`${gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': secret, 'content-type': 'application/json' },
        body: '{"model":"auto","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}',
      });
    try {
      const refused = await ask();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toMatchObject({
        type: 'error',
        error: { type: 'overloaded_error', message: expect.stringContaining('unreachable') },
      });
      const logged = stderr.mock.calls.map((call) => String(call[0])).join('');
      expect(logged).toContain('unreachable');
      expect(logged).not.toMatch(/\n\s+at /);
    } finally {
      stderr.mockRestore();
    }
    state.down = false;
    expect((await ask()).status).toBe(200);
  });

  it('POST /admin/keys while the key store is down → 503 storage_unavailable (was 500 internal_error)', async () => {
    const failing = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const store: KeyStore = {
      create: () => Promise.reject(failing),
      list: () => Promise.reject(failing),
      get: () => Promise.reject(failing),
      findByHash: () => Promise.reject(failing),
      revoke: () => Promise.reject(failing),
      close: async () => {},
    };
    const api = createAdminApi({ token: ADMIN_TOKEN, store });
    const server: Server = createServer((request, response) => {
      const record = {
        requestId: 'r',
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        startedAt: 0,
        startedAtWall: 0,
        status: 0,
        stream: false,
      };
      api(request, response, request.url ?? '/').catch((error: unknown) =>
        failModelCall(error, response, 'openai', record),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const [method, body] of [
        ['POST', JSON.stringify({ name: 'k' })],
        ['GET', undefined],
      ] as const) {
        const response = await fetch(`${base}/admin/keys`, {
          method,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          ...(body ? { body } : {}),
        });
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('1');
        expect(await response.json()).toMatchObject({
          error: { code: 'storage_unavailable', type: 'api_error' },
        });
      }
      expect(stderr.mock.calls.map((call) => String(call[0])).join('')).not.toMatch(/\n\s+at /);
    } finally {
      stderr.mockRestore();
    }
  });
});
