import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * A request with a field only some upstream wires take (the field policy): `auto` plans the
 * deployments that take it first, so no attempt is spent on one that refuses it.
 */
let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ cache: { enabled: false } });
});
afterAll(() => gateway.close());

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

interface ExplainedCandidate {
  deployment: string;
  provider: string;
  rank: number | null;
  reason: string;
  refused_fields?: string[];
}

/**
 * The ledger's rows for one request: its attempt count, its attempts' providers (attempts refused
 * before any upstream call have no row) and whether its route reason lists a failover.
 */
async function ledgerAttempts(
  requestId: string,
): Promise<{ attempts: number; providers: string[]; failover: boolean }> {
  await gateway.ledger!.flush();
  const database = new Database(join(gateway.config.dataDir, 'switchyard.db'), { readonly: true });
  try {
    const row = database
      .prepare('SELECT attempts, route_reason FROM ledger_requests WHERE request_id = ?')
      .get(requestId) as { attempts: number; route_reason: string };
    const providers = (
      database
        .prepare('SELECT provider FROM ledger_attempts WHERE request_id = ? ORDER BY attempt')
        .all(requestId) as Array<{ provider: string }>
    ).map((attempt) => attempt.provider);
    return { attempts: row.attempts, providers, failover: row.route_reason.includes('failover') };
  } finally {
    database.close();
  }
}

const PROMPT = 'Write a Python function that parses ISO dates and explain the edge cases';

describe('routing around fields an upstream wire refuses', () => {
  it('explain shows, for each deployment whose wire refuses a field, which field, and ranks it after those that take it', async () => {
    const response = await post('/v1/route/explain', {
      model: 'auto',
      verbosity: 'low',
      messages: [{ role: 'user', content: PROMPT }],
    });
    expect(response.status).toBe(200);
    const { candidates, attempts } = (await response.json()) as {
      candidates: ExplainedCandidate[];
      attempts: string[];
    };
    // Only the simulated OpenAI takes `verbosity` on chat.
    const taking = candidates.filter((candidate) => candidate.provider === 'sim-openai');
    const refusing = candidates.filter((candidate) => candidate.provider !== 'sim-openai');
    expect(taking.length).toBeGreaterThan(0);
    expect(refusing.length).toBeGreaterThan(0);
    for (const candidate of taking) expect(candidate.refused_fields).toBeUndefined();
    for (const candidate of refusing) {
      expect(candidate.refused_fields).toEqual(['verbosity']);
      expect(candidate.reason).toContain('its wire refuses `verbosity`');
    }
    expect(attempts.slice(0, taking.length).sort()).toEqual(
      taking.map((candidate) => candidate.deployment).sort(),
    );
  });

  it('serves a chat request with a refused field from a deployment that takes it, with one attempt in the ledger', async () => {
    const recorded = gateway.nextRecord();
    const response = await post('/v1/chat/completions', {
      model: 'auto',
      verbosity: 'low',
      messages: [{ role: 'user', content: PROMPT }],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-openai');
    expect(gateway.simulator!.recentRequests().at(-1)!.body).toMatchObject({ verbosity: 'low' });
    const record = await recorded;
    expect(record.attempts).toHaveLength(1);
    expect(await ledgerAttempts(record.requestId)).toEqual({
      attempts: 1,
      providers: ['sim-openai'],
      failover: false,
    });
  });

  it('serves a Messages request with top_k from the Anthropic upstream first (the other simulated wires refuse it)', async () => {
    const recorded = gateway.nextRecord();
    const response = await post('/v1/messages', {
      model: 'auto',
      max_tokens: 256,
      top_k: 5,
      messages: [{ role: 'user', content: PROMPT }],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-anthropic');
    expect(gateway.simulator!.recentRequests().at(-1)!.body).toMatchObject({ top_k: 5 });
    const record = await recorded;
    expect(record.attempts).toHaveLength(1);
    expect(await ledgerAttempts(record.requestId)).toEqual({
      attempts: 1,
      providers: ['sim-anthropic'],
      failover: false,
    });
  });

  it('serves a Responses request with text.verbosity from a deployment that takes it, with one attempt', async () => {
    const recorded = gateway.nextRecord();
    const response = await post('/v1/responses', {
      model: 'auto',
      text: { verbosity: 'low' },
      input: PROMPT,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-openai');
    const record = await recorded;
    expect(record.attempts).toHaveLength(1);
    expect(record.route).not.toContain('failover');
  });

  it('still answers 400 naming the field when no deployment takes it', async () => {
    const response = await post('/v1/chat/completions', {
      model: 'claude-sonnet-4-20250514',
      presence_penalty: 0.5,
      messages: [{ role: 'user', content: PROMPT }],
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { param: string; message: string } };
    expect(body.error.param).toBe('presence_penalty');
    expect(body.error.message).toContain('`presence_penalty`');
  });
});
