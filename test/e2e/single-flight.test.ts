import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/** Concurrent identical requests share one upstream call (simulator at real speed). */
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway({
    simulator: { time_scale: 1 },
    routing: { default_model: 'qwen2.5-coder-7b-instruct' },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => gateway.close());

const fresh = (text: string): string => `${text} #${randomUUID()} [[sim:tokens=60]]`;
const upstreamCalls = (): number => gateway.simulator!.stats().requests;

async function readStream(
  stream: AsyncIterable<OpenAI.ChatCompletionChunk>,
  onFirst?: () => void,
): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta.content ?? '';
    if (delta !== '' && text === '') onFirst?.();
    text += delta;
  }
  return text;
}

describe('single-flight', () => {
  it('gives a late stream joiner the chunks already sent, then the rest, from one upstream call; a JSON joiner gets the whole answer', async () => {
    const request = {
      model: 'auto',
      messages: [{ role: 'user' as const, content: fresh('Write a long docstring') }],
    };
    const before = upstreamCalls();
    let joined: Promise<[string, string, string, string]> | undefined;
    const leader = await client.chat.completions
      .create({ ...request, stream: true })
      .withResponse();
    const leaderText = readStream(leader.data, () => {
      joined = (async () => {
        const streamJoiner = await client.chat.completions
          .create({ ...request, stream: true })
          .withResponse();
        const jsonJoiner = client.chat.completions.create(request).withResponse();
        const [text, json] = await Promise.all([readStream(streamJoiner.data), jsonJoiner]);
        return [
          text,
          json.data.choices[0]!.message.content ?? '',
          streamJoiner.response.headers.get('x-switchyard-cache')!,
          json.response.headers.get('x-switchyard-cache')!,
        ];
      })();
    });
    const text = await leaderText;
    const [joinerText, jsonText, streamStatus, jsonStatus] = await joined!;
    expect(leader.response.headers.get('x-switchyard-cache')).toBe('miss');
    expect(streamStatus).toBe('shared');
    expect(jsonStatus).toBe('shared');
    expect(joinerText).toBe(text);
    expect(jsonText).toBe(text);
    expect(upstreamCalls()).toBe(before + 1);
    const shared = gateway.records.filter((record) => record.cacheStatus === 'shared').at(-1)!;
    expect(shared.costUsd).toBe(0);
    expect(shared.savedUsd).toBeGreaterThan(0);
    expect(shared.attempts).toBeUndefined();
  });

  it('delivers an upstream failure to every request sharing the call', async () => {
    const request = {
      model: 'auto',
      messages: [
        { role: 'user' as const, content: fresh('Break [[sim:fault=midstream]] [[sim:tps=10]]') },
      ],
    };
    const before = upstreamCalls();
    const leader = await client.chat.completions.create({ ...request, stream: true });
    let joiners: Promise<PromiseSettledResult<unknown>[]> | undefined;
    const leaderResult = readStream(leader, () => {
      joiners = Promise.allSettled([
        client.chat.completions.create(request),
        readStream(
          client.chat.completions.create({
            ...request,
            stream: true,
          }) as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>,
        ),
      ]);
    }).catch((error: unknown) => error);
    expect(await leaderResult).toBeInstanceOf(OpenAI.APIError);
    const [json, stream] = await joiners!;
    expect(json).toMatchObject({ status: 'rejected' });
    expect((json as PromiseRejectedResult).reason).toMatchObject({ status: 502 });
    expect(stream).toMatchObject({ status: 'rejected' });
    expect(upstreamCalls()).toBe(before + 1);
    expect(
      gateway.records
        .filter((record) => record.cacheStatus === 'shared')
        .slice(-2)
        .every((record) => record.errorCode !== undefined),
    ).toBe(true);
  });

  it('keeps the call going when one of two clients disconnects (the leader included)', async () => {
    const request = {
      model: 'auto',
      stream: true as const,
      messages: [{ role: 'user' as const, content: fresh('Explain generators') }],
    };
    const leaving = new AbortController();
    const leader = await client.chat.completions.create(request, { signal: leaving.signal });
    const staying = await client.chat.completions.create(request);
    const left = readStream(leader, () => leaving.abort()).catch(() => '');
    const text = await readStream(staying);
    await left;
    expect(text.length).toBeGreaterThan(50);
    expect(
      gateway.records.some((record) => record.cacheStatus === 'shared' && record.status === 200),
    ).toBe(true);
    // The answer was complete: the next identical request is a hit.
    const { response } = await client.chat.completions
      .create({ ...request, stream: false })
      .withResponse();
    expect(response.headers.get('x-switchyard-cache')).toBe('hit');
  });

  it('aborts the upstream call when every client sharing it has left', async () => {
    const request = {
      model: 'auto',
      stream: true as const,
      messages: [{ role: 'user' as const, content: fresh('Hang here [[sim:fault=hang]]') }],
    };
    const first = new AbortController();
    const second = new AbortController();
    const a = client.chat.completions
      .create(request, { signal: first.signal })
      .catch((error: unknown) => error);
    while (gateway.simulator!.stats().inFlight === 0)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const b = client.chat.completions
      .create(request, { signal: second.signal })
      .catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    first.abort();
    await a;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gateway.simulator!.stats().inFlight).toBe(1);
    second.abort();
    await b;
    const deadline = Date.now() + 2000;
    while (gateway.simulator!.stats().inFlight > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(gateway.simulator!.stats().inFlight).toBe(0);
  });
});
