import { describe, expect, it } from 'vitest';
import {
  compileAliasPattern,
  orderAliasPatterns,
  resolveAlias,
  type AliasPattern,
} from './model-aliases.js';

const compiled = (pattern: string, target = 'auto'): AliasPattern => {
  const result = compileAliasPattern(pattern, target);
  if (typeof result === 'string') throw new Error(result);
  return result;
};

describe('model alias patterns', () => {
  it('matches * (any run, none included) and ? (one character), anchored at both ends', () => {
    const claude = compiled('claude-sonnet-*');
    expect(claude.matches.test('claude-sonnet-5')).toBe(true);
    expect(claude.matches.test('claude-sonnet-')).toBe(true);
    expect(claude.matches.test('xclaude-sonnet-5')).toBe(false);
    const gpt = compiled('gpt-5*');
    expect(gpt.matches.test('gpt-5')).toBe(true);
    expect(gpt.matches.test('gpt-5.1-codex-max')).toBe(true);
    expect(gpt.matches.test('gpt-50')).toBe(true);
    expect(gpt.matches.test('gpt-4.1')).toBe(false);
    const one = compiled('o?-mini');
    expect(one.matches.test('o4-mini')).toBe(true);
    expect(one.matches.test('o44-mini')).toBe(false);
    // Regular-expression characters are literal.
    expect(compiled('gpt-5.1*').matches.test('gpt-5x1')).toBe(false);
  });

  it('refuses patterns made only of wildcards and bracket syntax', () => {
    expect(compileAliasPattern('*', 'auto')).toMatch(/at least one literal character/);
    expect(compileAliasPattern('claude-[34]*', 'auto')).toMatch(/only \* and \?/);
  });

  it('lets exact aliases win over patterns and the most specific pattern win over a general one', () => {
    const patterns = orderAliasPatterns([
      compiled('claude-*', 'auto'),
      compiled('claude-haiku-*', 'auto:cheap'),
      compiled('claude-?aiku-*', 'auto:fast'),
    ]);
    const exact = new Map([['claude-haiku-legacy', 'deepseek-chat']]);
    expect(resolveAlias('claude-opus-4-8', exact, patterns)).toEqual({
      target: 'auto',
      pattern: 'claude-*',
    });
    expect(resolveAlias('claude-haiku-4-5', exact, patterns)).toEqual({
      target: 'auto:cheap',
      pattern: 'claude-haiku-*',
    });
    expect(resolveAlias('claude-haiku-legacy', exact, patterns)).toEqual({
      target: 'deepseek-chat',
    });
    expect(resolveAlias('gpt-5', exact, patterns)).toBeUndefined();
  });

  it('breaks a specificity tie by declaration order', () => {
    const patterns = orderAliasPatterns([
      compiled('gpt-5*', 'first'),
      compiled('gpt-*5', 'second'),
    ]);
    expect(resolveAlias('gpt-5', new Map(), patterns)?.target).toBe('first');
  });
});
