/**
 * Incremental Server-Sent Events parser following the WHATWG HTML "event stream interpretation"
 * rules: CRLF / CR / LF line ends (a CRLF split across chunks counts once), a leading BOM,
 * comments, `event` / `data` / `id` / `retry` fields, fields without a colon, one leading space
 * stripped from values, multi-line data joined with '\n', dispatch on a blank line, no dispatch
 * of events without data, and no dispatch of a trailing event that lacks its blank line.
 */

export interface SseEvent {
  /** The `event:` field; absent when the event did not name one (the spec's default "message"). */
  event?: string;
  data: string;
  /** The last event id seen on the stream (ids persist across events, as the spec says). */
  id?: string;
}

const NO_EVENTS: readonly SseEvent[] = Object.freeze([]);
const LINE_FEED = 10;

/**
 * Feed it decoded text in pieces of any size; it returns the events each piece completes.
 * Keeps only the unfinished line and the event being built between calls.
 */
export class SseParser {
  /** Reconnection time from the last valid `retry:` field, in milliseconds. */
  retryMs: number | undefined;
  private partialLine: string[] = [];
  private skipLineFeed = false;
  private atStreamStart = true;
  private eventType = '';
  private dataLines: string[] = [];
  private hasData = false;
  private lastEventId = '';

  /** Parses one piece of text; returns the events it completed (often none). */
  feed(text: string): readonly SseEvent[] {
    if (text.length === 0) return NO_EVENTS;
    let start = 0;
    if (this.atStreamStart) {
      this.atStreamStart = false;
      if (text.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (this.skipLineFeed) {
      this.skipLineFeed = false;
      if (start < text.length && text.charCodeAt(start) === LINE_FEED) start += 1;
    }
    let events: SseEvent[] | undefined;
    let position = start;
    const length = text.length;
    let nextLineFeed = -2;
    let nextCarriageReturn = -2;
    while (position < length) {
      if (nextLineFeed !== -1 && nextLineFeed < position)
        nextLineFeed = text.indexOf('\n', position);
      if (nextCarriageReturn !== -1 && nextCarriageReturn < position)
        nextCarriageReturn = text.indexOf('\r', position);
      const end =
        nextCarriageReturn === -1
          ? nextLineFeed
          : nextLineFeed === -1
            ? nextCarriageReturn
            : Math.min(nextLineFeed, nextCarriageReturn);
      if (end === -1) {
        this.partialLine.push(position === 0 ? text : text.slice(position));
        break;
      }
      if (this.partialLine.length === 0 && end === position) {
        // A blank line: dispatch.
        const event = this.dispatch();
        if (event !== undefined) (events ??= []).push(event);
      } else if (this.partialLine.length === 0 && isDataField(text, position, end)) {
        // The common line, `data:` whole in this piece: its value straight from the text (no
        // copies of the line and the field name).
        const valueStart =
          text.charCodeAt(position + 5) === 32 /* ' ' */ ? position + 6 : position + 5;
        this.dataLines.push(text.slice(valueStart, end));
        this.hasData = true;
      } else {
        let line = text.slice(position, end);
        if (this.partialLine.length > 0) {
          this.partialLine.push(line);
          line = this.partialLine.join('');
          this.partialLine.length = 0;
        }
        const event = this.processLine(line);
        if (event !== undefined) (events ??= []).push(event);
      }
      if (end === nextCarriageReturn) {
        if (end + 1 === length) {
          this.skipLineFeed = true;
          position = length;
        } else {
          position = text.charCodeAt(end + 1) === LINE_FEED ? end + 2 : end + 1;
        }
      } else {
        position = end + 1;
      }
    }
    return events ?? NO_EVENTS;
  }

  private processLine(line: string): SseEvent | undefined {
    if (line.length === 0) return this.dispatch();
    if (line.charCodeAt(0) === 58 /* ':' */) return undefined;
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      const valueStart = line.charCodeAt(colon + 1) === 32 /* ' ' */ ? colon + 2 : colon + 1;
      value = line.slice(valueStart);
    }
    switch (field) {
      case 'data':
        this.dataLines.push(value);
        this.hasData = true;
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\u0000')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const eventType = this.eventType;
    this.eventType = '';
    if (!this.hasData) return undefined;
    const data =
      this.dataLines.length === 1 ? (this.dataLines[0] as string) : this.dataLines.join('\n');
    this.dataLines.length = 0;
    this.hasData = false;
    const event: SseEvent = { data };
    if (eventType !== '') event.event = eventType;
    if (this.lastEventId !== '') event.id = this.lastEventId;
    return event;
  }
}

/** The line `text[position, end)` is a `data` field: `data:` then the value (or nothing). */
function isDataField(text: string, position: number, end: number): boolean {
  return (
    end - position >= 5 &&
    text.charCodeAt(position) === 100 /* d */ &&
    text.charCodeAt(position + 1) === 97 /* a */ &&
    text.charCodeAt(position + 2) === 116 /* t */ &&
    text.charCodeAt(position + 3) === 97 /* a */ &&
    text.charCodeAt(position + 4) === 58 /* : */
  );
}

/**
 * Parses a byte (or text) stream into SSE events. Bytes are decoded as UTF-8 in streaming mode,
 * so a multi-byte character split across chunks is decoded once whole. An unfinished final
 * event (no blank line before the end) is discarded, as the spec requires.
 */
export async function* parseSse(
  body: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  for await (const chunk of body) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const events = parser.feed(text);
    for (const event of events) yield event;
  }
  const rest = decoder.decode();
  for (const event of parser.feed(rest)) yield event;
}
