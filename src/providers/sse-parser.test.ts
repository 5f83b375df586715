import { describe, expect, it } from 'vitest';
import { parseSse, SseParser, type SseEvent } from './sse-parser.js';

const encoder = new TextEncoder();

async function* fromChunks(
  chunks: Array<Uint8Array | string>,
): AsyncGenerator<Uint8Array | string> {
  for (const chunk of chunks) yield chunk;
}

async function collect(chunks: Array<Uint8Array | string>): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of parseSse(fromChunks(chunks))) events.push(event);
  return events;
}

function parseWhole(text: string): Promise<SseEvent[]> {
  return collect([encoder.encode(text)]);
}

describe('parseSse', () => {
  it('dispatches events on blank lines and joins multi-line data with LF', async () => {
    const events = await parseWhole('data: first\ndata:second\ndata:  third\n\ndata: next\n\n');
    expect(events).toEqual([{ data: 'first\nsecond\n third' }, { data: 'next' }]);
  });

  it('accepts CRLF, CR and LF line ends, mixed', async () => {
    const events = await parseWhole('event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n');
    expect(events).toEqual([{ event: 'a', data: '1' }, { event: 'b', data: '2' }, { data: '3' }]);
  });

  it('ignores comments, unknown fields and fields without colon other than data', async () => {
    const events = await parseWhole(': keep-alive\nfoo: bar\nevent\ndata: x\n: comment inside\n\n');
    expect(events).toEqual([{ data: 'x' }]);
  });

  it('treats a bare "data" line as an empty data line', async () => {
    expect(await parseWhole('data\n\n')).toEqual([{ data: '' }]);
    expect(await parseWhole('data\ndata\n\n')).toEqual([{ data: '\n' }]);
    expect(await parseWhole('data:\n\n')).toEqual([{ data: '' }]);
  });

  it('does not dispatch events without data, and resets the event type', async () => {
    const events = await parseWhole('event: ping\n\ndata: after\n\n');
    expect(events).toEqual([{ data: 'after' }]);
  });

  it('does not dispatch a final event without its blank line', async () => {
    expect(await parseWhole('data: complete\n\ndata: incomplete\n')).toEqual([
      { data: 'complete' },
    ]);
    expect(await parseWhole('data: complete\n\ndata: no line end')).toEqual([{ data: 'complete' }]);
  });

  it('strips a leading BOM once, and only at the start', async () => {
    expect(await parseWhole('\uFEFFdata: x\n\n')).toEqual([{ data: 'x' }]);
    expect(
      await collect([
        new Uint8Array([0xef]),
        new Uint8Array([0xbb, 0xbf]),
        encoder.encode('data: y\n\n'),
      ]),
    ).toEqual([{ data: 'y' }]);
    expect(await parseWhole('data: a\n\n\uFEFFdata: b\n\n')).toEqual([{ data: 'a' }]);
  });

  it('keeps the last event id across events and ignores ids containing NUL', async () => {
    const events = await parseWhole(
      'id: 1\ndata: a\n\ndata: b\n\nid: 2\u0000\ndata: c\n\nid\ndata: d\n\n',
    );
    expect(events).toEqual([
      { id: '1', data: 'a' },
      { id: '1', data: 'b' },
      { id: '1', data: 'c' },
      { data: 'd' },
    ]);
  });

  it('records retry only when it is all digits', () => {
    const parser = new SseParser();
    parser.feed('retry: 1500\n\nretry: 15x\n\n');
    expect(parser.retryMs).toBe(1500);
  });

  it('strips only one leading space from values', async () => {
    expect(await parseWhole('data:   spaced\n\n')).toEqual([{ data: '  spaced' }]);
    expect(await parseWhole('event:  e\ndata:x\n\n')).toEqual([{ event: ' e', data: 'x' }]);
  });

  it('decodes a multi-byte character split across chunks', async () => {
    const bytes = encoder.encode('data: héllo 世界 🎉\n\n');
    const pieces = [...bytes].map((byte) => new Uint8Array([byte]));
    expect(await collect(pieces)).toEqual([{ data: 'héllo 世界 🎉' }]);
  });

  it('treats a CRLF split across chunks as one line end', async () => {
    expect(await collect(['data: a\r', '\n\r', '\ndata: b\r\n\r\n'])).toEqual([
      { data: 'a' },
      { data: 'b' },
    ]);
  });

  it('accepts string chunks', async () => {
    expect(await collect(['da', 'ta: s', 'tr\n', '\n'])).toEqual([{ data: 'str' }]);
  });
});

describe('parseSse split at every byte offset', () => {
  const stream =
    '\uFEFF: comment\r\nevent: message_start\r\ndata: {"a":"é"}\r\n\r\n' +
    'data: line one\rdata: line two\r\rid: 7\ndata: 🎉 done\n\n' +
    'event: ping\n\ndata\n\nretry: 10\ndata: [DONE]\n\ndata: trailing';
  const bytes = encoder.encode(stream);

  it('yields the same events for every two-piece split', async () => {
    const expected = await collect([bytes]);
    expect(expected).toEqual([
      { event: 'message_start', data: '{"a":"é"}' },
      { data: 'line one\nline two' },
      { id: '7', data: '🎉 done' },
      { id: '7', data: '' },
      { id: '7', data: '[DONE]' },
    ]);
    for (let offset = 0; offset <= bytes.length; offset += 1) {
      const events = await collect([bytes.subarray(0, offset), bytes.subarray(offset)]);
      expect(events, `split at ${offset}`).toEqual(expected);
    }
  });

  it('yields the same events for every three-piece split', async () => {
    const expected = await collect([bytes]);
    for (let first = 0; first <= bytes.length; first += 3) {
      for (let second = first; second <= bytes.length; second += 5) {
        const events = await collect([
          bytes.subarray(0, first),
          bytes.subarray(first, second),
          bytes.subarray(second),
        ]);
        expect(events, `split at ${first}/${second}`).toEqual(expected);
      }
    }
  });

  it('yields the same events when fed one byte at a time', async () => {
    const expected = await collect([bytes]);
    expect(await collect([...bytes].map((byte) => new Uint8Array([byte])))).toEqual(expected);
  });
});
