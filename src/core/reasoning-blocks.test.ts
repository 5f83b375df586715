import { describe, expect, it } from 'vitest';
import { ReasoningAccumulator, reasoningParts } from './reasoning-blocks.js';
import type { Choice, StreamPart } from './response.js';

const choice = (): Choice => ({ index: 0, text: '', toolCalls: [], finishReason: 'stop' });

describe('reasoning blocks', () => {
  it('keeps blocks only when some are signed or redacted, and round-trips them as parts', () => {
    const parts: StreamPart[] = [
      { type: 'reasoning-delta', index: 0, text: 'a' },
      { type: 'reasoning-delta', index: 0, text: 'b' },
      { type: 'reasoning-signature', index: 0, signature: 'S' },
      { type: 'reasoning-redacted', index: 0, data: 'R' },
      { type: 'reasoning-delta', index: 0, text: 'c' },
    ];
    const accumulator = new ReasoningAccumulator();
    for (const part of parts) accumulator.push(part as never);
    const signed = choice();
    accumulator.applyTo(signed);
    expect(signed.reasoning).toBe('abc');
    expect(signed.reasoningBlocks).toEqual([
      { type: 'thinking', text: 'ab', signature: 'S' },
      { type: 'redacted', data: 'R' },
      { type: 'thinking', text: 'c' },
    ]);
    expect(reasoningParts(signed)).toEqual([
      { type: 'reasoning-delta', index: 0, text: 'ab' },
      { type: 'reasoning-signature', index: 0, signature: 'S' },
      { type: 'reasoning-redacted', index: 0, data: 'R' },
      { type: 'reasoning-delta', index: 0, text: 'c' },
    ]);
    const plain = new ReasoningAccumulator();
    plain.push({ type: 'reasoning-delta', index: 0, text: 'just text' });
    const unsigned = choice();
    plain.applyTo(unsigned);
    expect(unsigned).toMatchObject({ reasoning: 'just text' });
    expect(unsigned.reasoningBlocks).toBeUndefined();
  });
});
