import Anthropic from '@anthropic-ai/sdk';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/** Exact response cache, end to end with the official clients. */
let gateway: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  gateway = await startTestGateway({
    cache: {
      models: {
        'qwen3-coder-plus': { when: 'temperature_zero' },
        'codestral-latest': { enabled: false },
      },
    },
    // `auto` pinned to one model; the executor's own output checks off, so that an invalid answer
    // reaches the cache and the test can see it is not stored.
    routing: { default_model: 'deepseek-chat' },
    resilience: { structured_output: { mode: 'off' } },
  });
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => gateway.close());

/** A prompt no other test (or earlier run against a shared store) has sent. */
const fresh = (text: string): string => `${text} #${randomUUID()}`;
const upstreamCalls = (): number => gateway.simulator!.stats().requests;

async function post(
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('exact response cache', () => {
  it('serves the second identical request from the cache, at no cost, even with other key order and trailing whitespace', async () => {
    const prompt = fresh('Write a docstring for add(a, b)');
    const first = await post(
      '/v1/chat/completions',
      JSON.stringify({
        model: 'auto',
        temperature: 0.2,
        messages: [{ role: 'user', content: prompt }],
      }),
    );
    const before = upstreamCalls();
    const second = await post(
      '/v1/chat/completions',
      JSON.stringify({
        messages: [{ content: `${prompt}  \r\n`, role: 'user' }],
        temperature: 0.2,
        model: 'auto',
        user: 'someone-else',
      }),
    );
    expect(first.headers.get('x-switchyard-cache')).toBe('miss');
    expect(second.headers.get('x-switchyard-cache')).toBe('hit');
    expect(second.headers.get('x-switchyard-cost-usd')).toBe('0');
    expect(second.headers.get('x-switchyard-model')).toBe('deepseek-chat');
    expect(upstreamCalls()).toBe(before);
    const a = JSON.parse(first.text) as OpenAI.ChatCompletion;
    const b = JSON.parse(second.text) as OpenAI.ChatCompletion;
    expect(b.choices[0]!.message.content).toBe(a.choices[0]!.message.content);
    expect(b.usage).toEqual(a.usage);
  });

  it('misses when a parameter that changes the answer differs', async () => {
    const prompt = fresh('Name this variable');
    const base = { model: 'auto', messages: [{ role: 'user' as const, content: prompt }] };
    await openai.chat.completions.create(base);
    for (const change of [
      { temperature: 0.9 },
      { max_tokens: 7 },
      { seed: 3 },
      { stop: ['\n'] },
      { top_p: 0.5 },
      { model: 'deepseek-chat' },
    ]) {
      const { response } = await openai.chat.completions
        .create({ ...base, ...change })
        .withResponse();
      expect(response.headers.get('x-switchyard-cache'), JSON.stringify(change)).toBe('miss');
    }
  });

  it('serves a stream from an answer first produced as JSON, with usage when asked (OpenAI)', async () => {
    const prompt = fresh('Write a pytest stub for parse_date');
    const json = await openai.chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: prompt }],
    });
    const { data: stream, response } = await openai.chat.completions
      .create({
        model: 'auto',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: prompt }],
      })
      .withResponse();
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(response.headers.get('x-switchyard-cache')).toBe('hit');
    expect(text).toBe(json.choices[0]!.message.content);
    expect(finish).toBe('stop');
    expect(usage).toEqual(json.usage);
    expect(gateway.records.at(-1)).toMatchObject({ cacheStatus: 'hit', costUsd: 0 });
  });

  it('serves JSON from an answer first produced as a stream, and an Anthropic stream from it', async () => {
    const prompt = fresh('Explain this regex');
    const streamed = anthropic.messages.stream({
      model: 'claude-3-5-haiku-20241022',
      max_tokens: 200,
      messages: [{ role: 'user', content: prompt }],
    });
    const original = await streamed.finalMessage();
    const { data: json, response } = await anthropic.messages
      .create({
        model: 'claude-3-5-haiku-20241022',
        max_tokens: 200,
        messages: [{ role: 'user', content: prompt }],
      })
      .withResponse();
    expect(response.headers.get('x-switchyard-cache')).toBe('hit');
    expect(json.content).toEqual(original.content);
    expect(json.stop_reason).toBe(original.stop_reason);

    const events: string[] = [];
    const again = anthropic.messages.stream({
      model: 'claude-3-5-haiku-20241022',
      max_tokens: 200,
      messages: [{ role: 'user', content: prompt }],
    });
    again.on('streamEvent', (event) => events.push(event.type));
    const replayed = await again.finalMessage();
    expect(replayed.content).toEqual(original.content);
    expect(replayed.usage.output_tokens).toBe(original.usage.output_tokens);
    expect(events[0]).toBe('message_start');
    expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(gateway.records.at(-1)).toMatchObject({ cacheStatus: 'hit', stream: true });
  });

  it('serves a cached completion (legacy /v1/completions) as a stream', async () => {
    const prompt = fresh('def fibonacci(n):');
    const first = await openai.completions.create({
      model: 'qwen2.5-coder-7b-instruct',
      prompt,
      max_tokens: 30,
    });
    const { data: stream, response } = await openai.completions
      .create({ model: 'qwen2.5-coder-7b-instruct', prompt, max_tokens: 30, stream: true })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(response.headers.get('x-switchyard-cache')).toBe('hit');
    expect(text).toBe(first.choices[0]!.text);
  });

  it('Cache-Control: no-cache skips the lookup and refreshes the entry; no-store does not store', async () => {
    const prompt = fresh('Refactor this loop');
    const body = JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: prompt }] });
    await post('/v1/chat/completions', body);
    const before = upstreamCalls();
    const refreshed = await post('/v1/chat/completions', body, { 'cache-control': 'no-cache' });
    expect(refreshed.headers.get('x-switchyard-cache')).toBe('bypass');
    expect(upstreamCalls()).toBe(before + 1);
    expect((await post('/v1/chat/completions', body)).headers.get('x-switchyard-cache')).toBe(
      'hit',
    );

    const private_ = JSON.stringify({
      model: 'auto',
      messages: [{ role: 'user', content: fresh('Secret code') }],
    });
    expect(
      (await post('/v1/chat/completions', private_, { 'cache-control': 'no-store' })).headers.get(
        'x-switchyard-cache',
      ),
    ).toBe('bypass');
    expect((await post('/v1/chat/completions', private_)).headers.get('x-switchyard-cache')).toBe(
      'miss',
    );
  });

  it('honours x-switchyard-cache-ttl and rejects a TTL out of bounds', async () => {
    const body = JSON.stringify({
      model: 'auto',
      messages: [{ role: 'user', content: fresh('Short-lived') }],
    });
    await post('/v1/chat/completions', body, { 'x-switchyard-cache-ttl': '1' });
    expect((await post('/v1/chat/completions', body)).headers.get('x-switchyard-cache')).toBe(
      'hit',
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await post('/v1/chat/completions', body)).headers.get('x-switchyard-cache')).toBe(
      'miss',
    );
    const bad = await post('/v1/chat/completions', body, { 'x-switchyard-cache-ttl': '999999999' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('x-switchyard-cache-ttl');
  });

  it('follows per-model config: off, and only at temperature 0', async () => {
    const off = await openai.chat.completions
      .create({ model: 'codestral-latest', messages: [{ role: 'user', content: fresh('x') }] })
      .withResponse();
    expect(off.response.headers.get('x-switchyard-cache')).toBe('none');
    const prompt = fresh('Sort a list');
    const warm = await openai.chat.completions
      .create({
        model: 'qwen3-coder-plus',
        temperature: 0.7,
        messages: [{ role: 'user', content: prompt }],
      })
      .withResponse();
    expect(warm.response.headers.get('x-switchyard-cache')).toBe('none');
    await openai.chat.completions.create({
      model: 'qwen3-coder-plus',
      temperature: 0,
      messages: [{ role: 'user', content: prompt }],
    });
    const cold = await openai.chat.completions
      .create({
        model: 'qwen3-coder-plus',
        temperature: 0,
        messages: [{ role: 'user', content: prompt }],
      })
      .withResponse();
    expect(cold.response.headers.get('x-switchyard-cache')).toBe('hit');
  });

  it('never stores a failed, interrupted or invalid answer', async () => {
    const cut = fresh('Stream then break [[sim:fault=midstream*1]]');
    const broken = await openai.chat.completions.create({
      model: 'auto',
      stream: true,
      messages: [{ role: 'user', content: cut }],
    });
    await expect(
      (async () => {
        for await (const chunk of broken) void chunk;
      })(),
    ).rejects.toThrow();
    const after = await openai.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: cut }] })
      .withResponse();
    expect(after.response.headers.get('x-switchyard-cache')).toBe('miss');

    const malformed = {
      model: 'auto',
      messages: [
        { role: 'user' as const, content: fresh('Call the tool [[sim:fault=malformed]]') },
      ],
      tools: [
        {
          type: 'function' as const,
          function: {
            name: 'run',
            parameters: { type: 'object', properties: { a: { type: 'string' } } },
          },
        },
      ],
      tool_choice: 'required' as const,
    };
    await openai.chat.completions.create(malformed);
    const again = await openai.chat.completions.create(malformed).withResponse();
    expect(again.response.headers.get('x-switchyard-cache')).toBe('miss');
  });

  it('records a hit in the ledger with the tokens and cost it saved, and no upstream attempt', async () => {
    const body = JSON.stringify({
      model: 'auto',
      messages: [{ role: 'user', content: fresh('Write a test stub [[sim:tokens=20]]') }],
    });
    await post('/v1/chat/completions', body);
    const first = gateway.records.at(-1)!;
    const hit = await post('/v1/chat/completions', body);
    const requestId = hit.headers.get('x-request-id')!;
    await gateway.ledger!.flush();
    const database = new Database(join(gateway.config.dataDir, 'switchyard.db'), {
      readonly: true,
    });
    try {
      const row = database
        .prepare(
          'SELECT cache_status, cost_nano_usd, saved_nano_usd, output_tokens, attempts, model FROM ledger_requests WHERE request_id = ?',
        )
        .get(requestId) as Record<string, number | string>;
      expect(row).toMatchObject({
        cache_status: 'hit',
        cost_nano_usd: 0,
        output_tokens: 20,
        attempts: 0,
        model: 'deepseek-chat',
      });
      expect(row.saved_nano_usd).toBe(Math.round(first.costUsd! * 1e9));
      expect(row.saved_nano_usd).toBeGreaterThan(0);
    } finally {
      database.close();
    }
  });
});
