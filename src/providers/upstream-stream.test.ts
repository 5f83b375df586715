import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isGatewayError } from '../core/errors.js';
import { partBatches } from '../core/provider.js';
import type { StreamPart } from '../core/response.js';
import { AnthropicStreamDecoder } from './anthropic/decode-stream.js';
import { OpenAIStreamDecoder } from './openai-compatible/decode-stream.js';
import { SseParser } from './sse-parser.js';
import type { UpstreamResponse } from './upstream-http.js';
import { decodeUpstreamStream, Utf8Chunks, type WireStreamDecoder } from './upstream-stream.js';

const context = { provider: 'p' };
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

type Wire = 'openai-compatible' | 'anthropic';
const decoderFor = (wire: Wire): WireStreamDecoder =>
  wire === 'anthropic'
    ? new AnthropicStreamDecoder(context, 'fallback')
    : new OpenAIStreamDecoder(context, 'fallback');

interface Outcome {
  parts: StreamPart[];
  /** The error code thrown after the parts, if any. */
  error?: string;
}

/** Decoding event by event, as the adapters did before batching: the reference behaviour. */
function eventByEvent(text: string, wire: Wire): Outcome {
  const decoder = decoderFor(wire);
  const parts: StreamPart[] = [];
  let ended = false;
  try {
    for (const event of new SseParser().feed(text)) {
      if (ended) continue;
      const out: StreamPart[] = [];
      decoder.push(event, out);
      if (decoder.isComplete) {
        decoder.end(out);
        ended = true;
      }
      parts.push(...out);
    }
    if (!ended) {
      const out: StreamPart[] = [];
      decoder.end(out);
      parts.push(...out);
    }
  } catch (error) {
    return { parts, error: codeOf(error) };
  }
  return { parts };
}

function codeOf(error: unknown): string {
  return isGatewayError(error) ? error.code : `not a GatewayError: ${String(error)}`;
}

function bodyOf(chunks: Array<Uint8Array | Error>): Readable {
  return Readable.from(
    (function* () {
      for (const chunk of chunks) {
        if (chunk instanceof Error) throw chunk;
        yield Buffer.from(chunk);
      }
    })(),
    { objectMode: false },
  );
}

function upstream(body: Readable): UpstreamResponse {
  return { statusCode: 200, headers: {}, body: body as unknown as UpstreamResponse['body'] };
}

async function byBatches(
  chunks: Array<Uint8Array | Error>,
  wire: Wire,
): Promise<Outcome & { batches: number; body: Readable }> {
  const body = bodyOf(chunks);
  const stream = decodeUpstreamStream(
    upstream(body),
    new AbortController().signal,
    context,
    decoderFor(wire),
  );
  const parts: StreamPart[] = [];
  let batches = 0;
  try {
    for await (const batch of partBatches(stream)) {
      expect(batch.length).toBeGreaterThan(0);
      batches += 1;
      parts.push(...batch);
    }
  } catch (error) {
    return { parts, error: codeOf(error), batches, body };
  }
  return { parts, batches, body };
}

async function byParts(chunks: Array<Uint8Array | Error>, wire: Wire): Promise<Outcome> {
  const stream = decodeUpstreamStream(
    upstream(bodyOf(chunks)),
    new AbortController().signal,
    context,
    decoderFor(wire),
  );
  const parts: StreamPart[] = [];
  try {
    for await (const part of stream) parts.push(part);
  } catch (error) {
    return { parts, error: codeOf(error) };
  }
  return { parts };
}

function streamFixtures(wire: Wire): Array<[string, Buffer]> {
  return readdirSync(join(FIXTURES, wire))
    .filter((name) => name.startsWith('stream-'))
    .map((name): [string, Buffer] => [
      name,
      readFileSync(join(FIXTURES, wire, name, 'upstream.sse')),
    ]);
}

describe('decodeUpstreamStream', () => {
  // Anthropic streams carry no creation time: the decoder stamps the clock, which must not tick
  // between the runs being compared.
  beforeEach(() => {
    vi.spyOn(Date, 'now').mockReturnValue(1_795_868_674_500);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  for (const wire of ['openai-compatible', 'anthropic'] as const) {
    for (const [name, bytes] of streamFixtures(wire)) {
      it(`${wire}/${name}: same parts and error as event by event, for every split`, async () => {
        const expected = eventByEvent(bytes.toString('utf8'), wire);
        const whole = await byBatches([bytes], wire);
        expect({ parts: whole.parts, error: whole.error }).toEqual(expected);
        expect(await byParts([bytes], wire)).toEqual(expected);
        for (let offset = 1; offset < bytes.length; offset += 7) {
          const split = await byBatches([bytes.subarray(0, offset), bytes.subarray(offset)], wire);
          expect({ parts: split.parts, error: split.error }, `split at ${offset}`).toEqual(
            expected,
          );
        }
      });
    }
  }

  const okChunk = (text: string): string =>
    `data: ${JSON.stringify({ id: 'c', created: 1, model: 'm', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
  const finishChunk = `data: ${JSON.stringify({ id: 'c', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`;
  const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

  it('hands out the parts of one body chunk as one batch', async () => {
    const result = await byBatches(
      [bytesOf(`${okChunk('a')}${okChunk('b')}${finishChunk}data: [DONE]\n\n`)],
      'openai-compatible',
    );
    expect(result.batches).toBe(1);
    expect(result.parts.map((part) => part.type)).toEqual([
      'start',
      'text-delta',
      'text-delta',
      'finish',
    ]);
    expect(result.body.readableEnded).toBe(true);
  });

  it('delivers the parts before a bad event of the same chunk, then throws', async () => {
    const result = await byBatches(
      [bytesOf(`${okChunk('a')}${okChunk('b')}data: {oops\n\n${okChunk('c')}`)],
      'openai-compatible',
    );
    expect(
      result.parts.map((part) => (part.type === 'text-delta' ? part.text : part.type)),
    ).toEqual(['start', 'a', 'b']);
    expect(result.error).toBe('upstream_bad_response');
    expect(result.body.destroyed).toBe(true);
  });

  it('maps a transport failure after some parts', async () => {
    const result = await byBatches(
      [bytesOf(okChunk('a')), Object.assign(new Error('reset'), { code: 'ECONNRESET' })],
      'openai-compatible',
    );
    expect(result.parts.map((part) => part.type)).toEqual(['start', 'text-delta']);
    expect(result.error).toBe('upstream_unavailable');
  });

  it('reads the rest of the body after [DONE] (keep-alive) and ignores it', async () => {
    const result = await byBatches(
      [bytesOf(`${okChunk('a')}${finishChunk}data: [DONE]\n\n`), bytesOf(okChunk('late'))],
      'openai-compatible',
    );
    expect(result.parts.map((part) => part.type)).toEqual(['start', 'text-delta', 'finish']);
    expect(result.body.readableEnded).toBe(true);
  });

  it('releases the body when the consumer stops early', async () => {
    const body = bodyOf([bytesOf(okChunk('a')), bytesOf(okChunk('b')), bytesOf(finishChunk)]);
    const stream = decodeUpstreamStream(
      upstream(body),
      new AbortController().signal,
      context,
      decoderFor('openai-compatible'),
    );
    for await (const batch of partBatches(stream)) if (batch.length > 0) break;
    expect(body.destroyed).toBe(true);
  });

  it('partBatches gives one part per batch for a stream without batches', async () => {
    async function* plain(): AsyncGenerator<StreamPart> {
      yield { type: 'start', id: 'x', model: 'm', created: 1 };
      yield { type: 'text-delta', index: 0, text: 'hi' };
    }
    const batches: Array<readonly StreamPart[]> = [];
    for await (const batch of partBatches(plain())) batches.push(batch);
    expect(batches.map((batch) => batch.length)).toEqual([1, 1]);
  });
});

describe('Utf8Chunks', () => {
  /** Deterministic pseudo-random bytes: mostly ASCII, some multi-byte characters, some invalid bytes. */
  function sample(seed: number, length: number): Uint8Array {
    let state = seed;
    const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pieces = ['a', '\n', 'é', '€', '😀', '\uFEFF'].map((text) => [
      ...new TextEncoder().encode(text),
    ]);
    const bytes: number[] = [];
    while (bytes.length < length) {
      const roll = next();
      if (roll < 0.6) bytes.push(0x20 + Math.floor(next() * 0x5f));
      else if (roll < 0.9) bytes.push(...(pieces[Math.floor(next() * pieces.length)] ?? []));
      else bytes.push([0x80, 0xbf, 0xc3, 0xe2, 0xf0, 0xff][Math.floor(next() * 6)] ?? 0xff);
    }
    return new Uint8Array(bytes);
  }

  it('decodes any chunking exactly as a streaming TextDecoder does', () => {
    for (let seed = 1; seed <= 300; seed += 1) {
      const bytes = sample(seed, 64);
      const reference = new TextDecoder('utf-8', { ignoreBOM: true });
      const chunks = new Utf8Chunks();
      let expected = '';
      let actual = '';
      let offset = 0;
      let step = 1 + (seed % 9);
      while (offset < bytes.length) {
        const piece = bytes.subarray(offset, offset + step);
        expected += reference.decode(piece, { stream: true });
        actual += chunks.decode(seed % 2 === 0 ? Buffer.from(piece) : piece);
        offset += step;
        step = 1 + ((step * 7 + seed) % 13);
      }
      expected += reference.decode();
      actual += chunks.end();
      expect(actual, `seed ${seed}`).toBe(expected);
    }
  });
});
