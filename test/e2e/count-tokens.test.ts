import Anthropic from '@anthropic-ai/sdk';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateUsage } from '../../src/usage/cost/estimate-usage.js';
import { decodeCountTokensRequest } from '../../src/dialects/anthropic/index.js';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  gateway = await startTestGateway();
  client = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-ant-test', maxRetries: 0 });
});
afterAll(() => gateway.close());

const tool: Anthropic.Tool = {
  name: 'read_file',
  description: 'Reads a file',
  input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

describe('POST /v1/messages/count_tokens', () => {
  it("returns the Anthropic upstream's own count for a model served by an Anthropic deployment, with no generation call", async () => {
    const generationsBefore = gateway.simulator!.stats().requests;
    const recorded = gateway.nextRecord();
    const { data, response } = await client.messages
      .countTokens({
        model: 'claude-sonnet-4-20250514',
        system: 'You review code.',
        messages: [
          { role: 'user', content: 'Is this loop correct? for (let i = 0; i <= n; i++) {}' },
        ],
        tools: [tool],
      })
      .withResponse();
    expect(data.input_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-token-count')).toBe('upstream');
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-anthropic');
    expect(response.headers.get('x-switchyard-cost-usd')).toBe('0');
    const upstream = gateway.simulator!.recentRequests().at(-1)!;
    expect(upstream.path).toBe('/v1/messages/count_tokens');
    expect(upstream.body).toMatchObject({
      model: 'claude-sonnet-4-20250514',
      system: 'You review code.',
      tools: [{ name: 'read_file' }],
    });
    expect(upstream.body).not.toHaveProperty('max_tokens');
    expect(gateway.simulator!.stats().requests).toBe(generationsBefore);
    const record = await recorded;
    expect(record).toMatchObject({
      status: 200,
      costUsd: 0,
      model: 'claude-sonnet-4-20250514',
      provider: 'sim-anthropic',
    });
    expect(record.usage).toBeUndefined();
  });

  it('answers the beta path (?beta=true, as Claude Code calls it) the same way', async () => {
    const response = await fetch(`${gateway.url}/v1/messages/count_tokens?beta=true`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'token-counting-2024-11-01',
      },
      body: JSON.stringify({
        model: 'claude-3-5-haiku-20241022',
        messages: [{ role: 'user', content: 'hello there' }],
      }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-token-count')).toBe('upstream');
  });

  it('counts with the tokenizer (system, messages, tools) for a model on an OpenAI-compatible upstream', async () => {
    const body = {
      model: 'deepseek-chat',
      system: 'You write Go.',
      messages: [
        { role: 'user' as const, content: 'Write a function that reverses a slice of ints.' },
      ],
      tools: [tool],
    };
    const before = gateway.simulator!.recentRequests().length;
    const { data, response } = await client.messages.countTokens(body).withResponse();
    expect(response.headers.get('x-switchyard-token-count')).toBe('tokenizer');
    expect(data.input_tokens).toBe(estimateUsage(decodeCountTokensRequest(body)).usage.inputTokens);
    const withoutTools = await client.messages.countTokens({ ...body, tools: [] });
    expect(withoutTools.input_tokens).toBeLessThan(data.input_tokens);
    expect(gateway.simulator!.recentRequests().length).toBe(before);
  });

  it('routes auto like a Messages call and answers errors in the Anthropic shape', async () => {
    const routed = await client.messages
      .countTokens({ model: 'auto', messages: [{ role: 'user', content: 'rename this variable' }] })
      .withResponse();
    expect(routed.data.input_tokens).toBeGreaterThan(0);
    expect(routed.response.headers.get('x-switchyard-model')).toBeTruthy();

    const unknown = await fetch(`${gateway.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });

    const bad = await fetch(`${gateway.url}/v1/messages/count_tokens?beta=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-3-5-haiku-20241022' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });

    const streamed = await fetch(`${gateway.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'deepseek-chat',
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      }),
    });
    expect(streamed.status).toBe(400);
    expect(((await streamed.json()) as { error: { message: string } }).error.message).toContain(
      'stream',
    );

    const get = await fetch(`${gateway.url}/v1/messages/count_tokens`);
    expect(get.status).toBe(405);
  });

  it('leaves one ledger row per count, costing nothing', async () => {
    const { response } = await client.messages
      .countTokens({
        model: 'claude-3-5-haiku-20241022',
        messages: [{ role: 'user', content: 'count me' }],
      })
      .withResponse();
    const id = response.headers.get('x-request-id')!;
    await gateway.ledger!.flush();
    const database = new Database(join(gateway.config.dataDir, 'switchyard.db'), {
      readonly: true,
    });
    try {
      const rows = database
        .prepare('SELECT * FROM ledger_requests WHERE request_id = ?')
        .all(id) as Array<Record<string, unknown>>;
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        model: 'claude-3-5-haiku-20241022',
        provider: 'sim-anthropic',
        status: 200,
        cost_nano_usd: 0,
        input_tokens: 0,
        output_tokens: 0,
      });
      expect(String(rows[0]!.route_reason)).toContain('count_tokens: upstream');
    } finally {
      database.close();
    }
  });
});
