/**
 * The fast path of stream decoding. Most events of a streamed answer are the same JSON text
 * with only the delta's text changed:
 *
 *   {"id":"chatcmpl-1","object":"chat.completion.chunk",…,"delta":{"content":"<text>"},…}
 *
 * A template is learned from one such event that went through the full decode: the text before
 * the delta's string literal (ending with its opening quote) and the text after it (from its
 * closing quote). A later event that starts with that prefix, ends with that suffix and has
 * between them only characters a JSON string holds as they are (no quote, backslash or control
 * character) parses to the same value with another text: JSON is read left to right, so the
 * prefix reads the same up to the open string, the middle can only continue that string, and
 * the suffix's first quote closes it. Such events skip JSON.parse, which was the largest cost of
 * relaying a stream (docs/decisions/0008). Anything else goes the full way.
 *
 * A template is learned only where it is known to be sound: the literal's place is confirmed by
 * parsing the event with a probe text in it and finding the probe at the delta's place.
 */
const NOT_PLAIN = /["\\\u0000-\u001f]/;
const PROBE = 'switchyard~probe~8f2c';
/** Literal positions tried when the delta's text also occurs elsewhere in the event. */
const MAX_CANDIDATES = 4;

export class DeltaTemplate {
  private prefix = '';
  private suffix = '';
  private learned = false;

  /** The delta text of `data` when it is the learned event with another plain text, else undefined. */
  match(data: string): string | undefined {
    if (!this.learned) return undefined;
    const { prefix, suffix } = this;
    const end = data.length - suffix.length;
    // Slice-and-compare: V8 compares equal strings with memcmp, where startsWith walks them
    // character by character (10× slower on a 200-character prefix, measured on Node 20).
    if (end <= prefix.length || data.slice(0, prefix.length) !== prefix || data.slice(end) !== suffix) return undefined;
    const text = data.slice(prefix.length, end);
    return NOT_PLAIN.test(text) ? undefined : text;
  }

  /**
   * Learns the shape of `data`, whose parse holds `text` at the place `textAt` reads. True when
   * learned; false when `text` is not written as a plain literal or its place is ambiguous.
   */
  learn(data: string, text: string, textAt: (parsed: unknown) => unknown): boolean {
    if (text === '' || NOT_PLAIN.test(text)) return false;
    const literal = `"${text}"`;
    let at = data.indexOf(literal);
    for (let tries = 0; at !== -1 && tries < MAX_CANDIDATES; tries += 1) {
      const prefix = data.slice(0, at + 1);
      const suffix = data.slice(at + literal.length - 1);
      if (probeReads(prefix + PROBE + suffix, textAt)) {
        this.prefix = prefix;
        this.suffix = suffix;
        this.learned = true;
        return true;
      }
      at = data.indexOf(literal, at + 1);
    }
    return false;
  }
}

function probeReads(probe: string, textAt: (parsed: unknown) => unknown): boolean {
  try {
    return textAt(JSON.parse(probe)) === PROBE;
  } catch {
    return false;
  }
}
