import { describe, expect, it } from 'vitest';
import { findTooDeep } from './json-depth.js';

describe('findTooDeep', () => {
  it('counts the body as level 1 and names the path of the first container past the limit', () => {
    expect(findTooDeep({ a: [{}] }, 3)).toBeUndefined();
    expect(findTooDeep({ a: [{ b: {} }] }, 3)).toBe('a[0].b');
    expect(findTooDeep([[[]]], 2)).toBe('[0][0]');
    expect(findTooDeep({ 'odd key': { x: 1 } }, 1)).toBe('["odd key"]');
    expect(findTooDeep('text', 1)).toBeUndefined();
  });

  it('scans a value nested 100,000 deep without overflowing the stack', () => {
    const text = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const path = findTooDeep(JSON.parse(text), 64);
    expect(path).toBe('[0]'.repeat(64));
  });

  it('own keys only: "__proto__" and "constructor" in a parsed body are plain keys', () => {
    const value: unknown = JSON.parse('{"__proto__":{"constructor":{"x":{}}}}');
    expect(findTooDeep(value, 3)).toBe('__proto__.constructor.x');
  });
});
