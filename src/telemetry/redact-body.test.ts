import { describe, expect, it } from 'vitest';
import { redactBody, REDACTED } from './redact-body.js';

describe('redactBody', () => {
  it('replaces credential fields and key-shaped strings, keeps the rest', () => {
    const text = redactBody(
      {
        model: 'auto',
        max_tokens: 20,
        api_key: 'anything-at-all',
        metadata: {
          authorization: 'Basic abc',
          note: 'my key is sk-abcdefghijklmnop1234 and sy-ZZZZZZZZZZZZZZZZ',
        },
        messages: [
          { role: 'user', content: 'Bearer abcdefgh12345678 here, aws AKIAABCDEFGHIJKLMNOP' },
        ],
      },
      10_000,
    );
    const parsed = JSON.parse(text) as {
      model: string;
      max_tokens: number;
      api_key: string;
      metadata: { authorization: string; note: string };
      messages: { content: string }[];
    };
    expect(parsed.model).toBe('auto');
    expect(parsed.max_tokens).toBe(20);
    expect(parsed.api_key).toBe(REDACTED);
    expect(parsed.metadata.authorization).toBe(REDACTED);
    expect(parsed.metadata.note).toBe(`my key is ${REDACTED} and ${REDACTED}`);
    expect(parsed.messages[0]?.content).toBe(`${REDACTED} here, aws ${REDACTED}`);
    expect(text).not.toContain('sk-abcdefghijklmnop1234');
  });

  it('cuts long bodies at the byte cap with a marker giving the full length', () => {
    const body = { messages: [{ role: 'user', content: 'é'.repeat(5000) }] };
    const full = Buffer.byteLength(JSON.stringify(body));
    const text = redactBody(body, 256);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(256);
    expect(text.endsWith(`…[truncated, ${full} bytes]`)).toBe(true);
    expect(text).not.toContain('\uFFFD');
  });
});
