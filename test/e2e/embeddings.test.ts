import Database from 'better-sqlite3';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway({ routing: { aliases: { embed: 'text-embedding-3-small' } } });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
});
afterAll(() => gateway.close());

describe('POST /v1/embeddings', () => {
  it('embeds with the openai SDK (its default base64 encoding), routed to the simulated OpenAI deployment, costed', async () => {
    const { data, response } = await client.embeddings
      .create({ model: 'text-embedding-3-small', input: ['def add(a, b): return a + b', 'hello'] })
      .withResponse();
    expect(data.data).toHaveLength(2);
    expect(data.data[0]!.embedding).toHaveLength(1536);
    expect(Math.hypot(...data.data[0]!.embedding)).toBeCloseTo(1, 4);
    expect(data.model).toBe('text-embedding-3-small');
    expect(data.usage.prompt_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-provider')).toBe('sim-openai');
    expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeCloseTo(
      (data.usage.prompt_tokens * 0.02) / 1e6,
      12,
    );
    const upstream = gateway.simulator!.recentRequests().at(-1)!;
    expect(upstream.path).toBe('/v1/embeddings');
    expect(upstream.body).toEqual({
      model: 'text-embedding-3-small',
      input: ['def add(a, b): return a + b', 'hello'],
    });
  });

  it('answers floats when asked, shortens with dimensions, takes token arrays, and resolves aliases', async () => {
    const floats = await fetch(`${gateway.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'embed',
        input: 'hello',
        encoding_format: 'float',
        dimensions: 16,
      }),
    });
    expect(floats.status).toBe(200);
    const body = (await floats.json()) as { data: Array<{ embedding: number[] }>; model: string };
    expect(body.model).toBe('text-embedding-3-small');
    expect(body.data[0]!.embedding).toHaveLength(16);
    expect(typeof body.data[0]!.embedding[0]).toBe('number');
    const viaSdk = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'hello',
      dimensions: 16,
    });
    for (let index = 0; index < 16; index++)
      expect(viaSdk.data[0]!.embedding[index]).toBeCloseTo(body.data[0]!.embedding[index]!, 6);
    const tokens = await client.embeddings.create({
      model: 'mistral-embed',
      input: [
        [1, 2, 3],
        [4, 5],
      ],
      encoding_format: 'float',
    });
    expect(tokens.data.map((entry) => entry.embedding.length)).toEqual([1024, 1024]);
    expect(tokens.usage.prompt_tokens).toBe(5);
  });

  it('refuses auto, chat models, unknown names and unknown fields with clear OpenAI-shaped errors, changing nothing', async () => {
    const before = gateway.simulator!.recentRequests().length;
    const auto = await client.embeddings
      .create({ model: 'auto', input: 'x' })
      .catch((error: unknown) => error);
    expect(auto).toBeInstanceOf(OpenAI.BadRequestError);
    expect((auto as Error).message).toContain('not an embedding model');
    expect((auto as Error).message).toContain('text-embedding-3-small');
    const chat = await client.embeddings
      .create({ model: 'gpt-4o-mini', input: 'x' })
      .catch((error: unknown) => error);
    expect(chat).toBeInstanceOf(OpenAI.BadRequestError);
    expect((chat as Error).message).toContain('is a chat model');
    const unknown = await client.embeddings
      .create({ model: 'no-such-embedder', input: 'x' })
      .catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    const extra = await fetch(`${gateway.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'text-embedding-3-small', input: 'x', truncate: true }),
    });
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as { error: { param: string } }).error.param).toBe('truncate');
    const empty = await fetch(`${gateway.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'text-embedding-3-small', input: [] }),
    });
    expect(empty.status).toBe(400);
    expect(gateway.simulator!.recentRequests().length).toBe(before);
  });

  it('keeps embedding models out of chat: a chat request naming one is refused', async () => {
    const failure = await client.chat.completions
      .create({ model: 'text-embedding-3-small', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBeGreaterThanOrEqual(400);
  });

  it('lists what each name serves in GET /v1/models (both dialects)', async () => {
    const listed = (await (await fetch(`${gateway.url}/v1/models`)).json()) as {
      data: Array<{ id: string; endpoints: string[] }>;
    };
    const endpointsOf = (id: string): string[] | undefined =>
      listed.data.find((model) => model.id === id)?.endpoints;
    expect(endpointsOf('text-embedding-3-small')).toEqual(['embeddings']);
    expect(endpointsOf('embed')).toEqual(['embeddings']);
    expect(endpointsOf('gpt-4o-mini')).toEqual(['chat', 'responses', 'messages']);
    expect(endpointsOf('deepseek-chat')).toEqual(['chat', 'responses', 'messages', 'completions']);
    expect(endpointsOf('auto')).toEqual(['chat', 'responses', 'messages', 'completions']);
    const anthropic = (await (
      await fetch(`${gateway.url}/v1/models`, { headers: { 'anthropic-version': '2023-06-01' } })
    ).json()) as { data: Array<{ id: string; endpoints: string[] }> };
    expect(
      anthropic.data.find((model) => model.id === 'claude-sonnet-4-20250514')?.endpoints,
    ).toEqual(['chat', 'responses', 'messages']);
  });

  it('leaves one ledger row per embeddings request with its cost and input tokens', async () => {
    const { response } = await client.embeddings
      .create({ model: 'text-embedding-3-large', input: 'ledger me' })
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
        model: 'text-embedding-3-large',
        provider: 'sim-openai',
        status: 200,
        output_tokens: 0,
      });
      expect(rows[0]!.input_tokens).toBeGreaterThan(0);
      expect(rows[0]!.cost_nano_usd).toBeGreaterThan(0);
      const attempts = database
        .prepare('SELECT * FROM ledger_attempts WHERE request_id = ?')
        .all(id) as Array<Record<string, unknown>>;
      expect(attempts).toHaveLength(1);
    } finally {
      database.close();
    }
  });
});
