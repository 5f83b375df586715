import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateFromSchema } from './generate-from-schema.js';
import { detectLanguage, generateChatTokens, tokenize } from './generate-tokens.js';
import { createSeededRandom } from './hash-text.js';
import { parseDirectives, stripDirectives } from './parse-directives.js';

describe('generators', () => {
  it('tokenizes into word-ish pieces that join back to the text', () => {
    const text = 'def f(x):\n    return x + 1  # ok ünïcode 😀';
    const tokens = tokenize(text);
    expect(tokens.join('')).toBe(text);
    expect(tokens.slice(0, 4)).toEqual(['def', ' f', '(', 'x']);
  });

  it('produces exactly the requested number of tokens, deterministically', () => {
    const make = (): string[] =>
      generateChatTokens(createSeededRandom(7), '[simulated m via p] ', 'rust', 37);
    expect(make()).toHaveLength(37);
    expect(make()).toEqual(make());
  });

  it('detects the language the prompt mentions', () => {
    expect(detectLanguage('in TypeScript please')).toBe('typescript');
    expect(detectLanguage('a javascript helper')).toBe('javascript');
    expect(detectLanguage('write it in Go')).toBe('go');
    expect(detectLanguage('Java class')).toBe('java');
    expect(detectLanguage('rust')).toBe('rust');
    expect(detectLanguage('anything')).toBe('python');
  });

  it('generates values valid against varied schemas', () => {
    const schemas: Array<Record<string, unknown>> = [
      {
        type: 'object',
        properties: {
          id: { type: 'integer', exclusiveMinimum: 0, maximum: 5 },
          note: { type: ['string', 'null'], maxLength: 4 },
        },
        required: ['id', 'note'],
      },
      {
        type: 'array',
        items: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
        minItems: 2,
        maxItems: 4,
      },
      {
        anyOf: [
          { type: 'null' },
          {
            type: 'object',
            properties: { at: { type: 'string', format: 'date-time' } },
            required: ['at'],
          },
        ],
      },
      {
        type: 'object',
        properties: {
          kind: { const: 'fixed' },
          size: { type: 'number', minimum: 10, maximum: 11 },
          tags: { type: 'array', items: { enum: ['a', 'b'] } },
        },
        required: ['kind', 'size', 'tags'],
      },
    ];
    for (const [index, schema] of schemas.entries()) {
      const value = generateFromSchema(schema, createSeededRandom(index));
      expect(z.fromJSONSchema(schema).safeParse(value).success, JSON.stringify(value)).toBe(true);
    }
  });

  it('parses and strips directives', () => {
    const text =
      'hi [[sim:fault=503@sim-qwen*2]] [[sim:tokens=12]] [[sim:ttft=40]] [[sim:tps=9]] [[sim:fault=bogus]]';
    expect(parseDirectives(text)).toEqual({
      faults: [{ kind: '503', target: 'sim-qwen', times: 2 }],
      tokens: 12,
      ttftMs: 40,
      tokensPerSecond: 9,
    });
    expect(stripDirectives(text).trim()).toBe('hi');
    expect(parseDirectives('plain')).toEqual({ faults: [] });
  });
});
