import { describe, expect, it } from 'vitest';
import { toolOutputText } from './tool-output-text.js';

describe('toolOutputText', () => {
  it('prefixes a failed result', () => {
    expect(toolOutputText({ content: '3 tests failed', isError: true })).toBe(
      'Error: 3 tests failed',
    );
  });
  it('leaves a result that already says error, and a successful one', () => {
    expect(toolOutputText({ content: 'error: no such file', isError: true })).toBe(
      'error: no such file',
    );
    expect(toolOutputText({ content: 'ok' })).toBe('ok');
    expect(toolOutputText({ content: 'ok', isError: false })).toBe('ok');
  });
});
