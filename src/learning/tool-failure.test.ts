import { describe, expect, it } from 'vitest';
import { toolFailure } from './tool-failure.js';
import { conversationKey, promptHash } from './conversation-key.js';
import type { ChatRequest } from '../core/request.js';
import { sessionOf } from '../router/cache-affinity.js';

describe('toolFailure: failure reports of common runners', () => {
  const failures: Array<[string, string]> = [
    [
      'pytest',
      'FAILED tests/test_a.py::test_b - assert 1 == 2\n==== 1 failed, 3 passed in 0.12s ====',
    ],
    ['pytest', '=================== 2 failed in 1.02s ==================='],
    ['jest/vitest', 'Tests:       1 failed, 12 passed, 13 total'],
    ['jest/vitest', ' Test Files  1 failed | 4 passed (5)'],
    ['jest/vitest', ' FAIL  src/parse.test.ts > parses dates'],
    ['go test', '--- FAIL: TestParse (0.00s)\n    parse_test.go:12: got 1 want 2\nFAIL'],
    ['go test', 'FAIL\texample.com/parse\t0.004s'],
    ['cargo', 'test result: FAILED. 3 passed; 1 failed; 0 ignored'],
    ['cargo', 'error[E0308]: mismatched types\n --> src/main.rs:4:18'],
    ['tsc', "src/index.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'."],
    ['gcc/clang', "main.c:3:5: error: expected ';' before 'return'"],
    ['exit code', 'make: *** [all] Error 2\nCommand exited with code 2'],
    ['exit code', 'Exit code: 1'],
  ];
  it.each(failures)('%s: %s', (runner, text) => {
    expect(toolFailure(text)?.runner).toBe(runner);
  });

  const clean = [
    '==== 5 passed in 0.10s ====',
    'Tests:       13 passed, 13 total',
    'ok  \texample.com/parse\t0.004s',
    'test result: ok. 4 passed; 0 failed; 0 ignored',
    'Exit code: 0',
    'exited with code 0',
    'Found 0 errors.',
    'The function handles errors and failed inputs gracefully.',
  ];
  it.each(clean)('clean: %s', (text) => {
    expect(toolFailure(text)).toBeUndefined();
  });
});

describe('conversation keys', () => {
  const turn = (...texts: string[]): ChatRequest => ({
    kind: 'chat',
    model: 'auto',
    stream: false,
    messages: texts.map((text, index) =>
      index % 2 === 0
        ? { role: 'user', content: [{ type: 'text', text }] }
        : { role: 'assistant', content: text },
    ),
  });
  it('keeps the prompt hashes of earlier versions (replicas agree on what a retry is)', () => {
    // Values from the version that hashed with createHash().update() per part.
    const request: ChatRequest = {
      kind: 'chat',
      model: 'agent',
      stream: false,
      messages: [
        { role: 'system', content: `Règles: ${'é'.repeat(5_000)}` },
        { role: 'user', content: [{ type: 'text', text: 'Fix the 🐛 in parser.ts' }] },
        { role: 'assistant', content: 'Looking.' },
        { role: 'user', content: [{ type: 'text', text: 'x'.repeat(9_000) }] },
      ],
    };
    expect(promptHash(request, 'key-a')).toBe('jS4yNe7pu_ZzwfFKbeE-ik');
    const completion = {
      kind: 'completion' as const,
      model: 'm',
      prompt: ['def f(', 'y'.repeat(10_000)],
      suffix: 'end',
      stream: false,
    };
    expect(promptHash(completion, null)).toBe('4gwouAZsK7I8cn-wkCdU40');
  });
  const conversation = (request: ChatRequest, keyId: string, header?: string): string =>
    conversationKey(request, keyId, sessionOf(request, header, keyId));
  it('a later turn keeps the conversation of the first; the session header wins; keys separate', () => {
    const first = conversation(turn('fix the bug'), 'key-a');
    expect(conversation(turn('fix the bug', 'done', 'now the tests'), 'key-a')).toBe(first);
    expect(conversation(turn('fix the bug'), 'key-b')).not.toBe(first);
    expect(conversation(turn('other'), 'key-a', 's1')).toBe(
      conversation(turn('fix the bug'), 'key-a', 's1'),
    );
    expect(promptHash(turn('fix the bug'), 'key-a')).toBe(promptHash(turn('fix the bug'), 'key-a'));
    expect(promptHash(turn('fix the bug', 'done', 'more'), 'key-a')).not.toBe(
      promptHash(turn('fix the bug'), 'key-a'),
    );
  });
});
