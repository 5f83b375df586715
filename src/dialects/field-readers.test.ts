import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../core/errors.js';
import {
  dataUrlMediaType,
  optionalInteger,
  optionalNumber,
  path,
  requireString,
} from './field-readers.js';

describe('field readers', () => {
  it('extracts the media type of data URLs', () => {
    expect(dataUrlMediaType('data:image/png;base64,AAAA')).toBe('image/png');
    expect(dataUrlMediaType('data:image/jpeg,raw')).toBe('image/jpeg');
    expect(dataUrlMediaType('data:,raw')).toBeUndefined();
    expect(dataUrlMediaType('https://x/y.png')).toBeUndefined();
  });

  it('describes integer ranges in plain words', () => {
    const message = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        return (error as GatewayError).message;
      }
      return '';
    };
    expect(message(() => optionalInteger('1', 'a'))).toBe('`a` must be an integer');
    expect(message(() => optionalInteger(0, 'a', 1))).toBe('`a` must be a positive integer');
    expect(message(() => optionalInteger(-1, 'a', 0))).toBe('`a` must be a non-negative integer');
    expect(message(() => optionalInteger(9, 'a', 1, 8))).toBe(
      '`a` must be an integer between 1 and 8',
    );
    expect(message(() => optionalNumber(Number.POSITIVE_INFINITY, 'b', 0, 1))).toBe(
      '`b` must be a number between 0 and 1',
    );
    expect(message(() => requireString('', 'c', false))).toBe('`c` must not be empty');
  });

  it('joins paths', () => {
    expect(path('', 'model')).toBe('model');
    expect(path('messages[0]', 'content')).toBe('messages[0].content');
  });
});
