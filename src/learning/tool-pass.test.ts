import { describe, expect, it } from 'vitest';
import type { ChatRequest, Message } from '../core/request.js';
import { toolPass, trailingToolOutcome } from './tool-pass.js';

describe('toolPass: passing summaries of common runners', () => {
  const passes: Array<[string, string, string?]> = [
    ['pytest', '============ 6 passed in 0.41s ============'],
    ['pytest', '=== 5 passed, 1 skipped, 2 warnings in 0.10s ==='],
    ['jest/vitest', 'Tests:       13 passed, 13 total'],
    ['jest/vitest', 'Tests:       2 skipped, 11 passed, 13 total'],
    ['jest/vitest', ' Test Files  3 passed (3)\n      Tests  12 passed (12)'],
    ['jest/vitest', '      Tests  11 passed | 1 skipped (12)'],
    ['go test', 'ok  \texample.com/core\t0.012s'],
    ['go test', 'ok  \texample.com/core\t(cached)'],
    ['cargo', 'running 7 tests\ntest result: ok. 7 passed; 0 failed; 0 ignored'],
    ['tsc', 'Found 0 errors. Watching for file changes.'],
    ['gradle/maven', 'BUILD SUCCESSFUL in 3s\n8 tests completed'],
    ['gradle/maven', '[INFO] BUILD SUCCESS'],
    ['ctest', '100% tests passed, 0 tests failed out of 9'],
    // A zero exit counts when the tool call ran tests or a build (tsc prints nothing on success).
    ['exit code', '(no output)\nexit code 0', '{"command":"npx tsc --noEmit"}'],
    ['exit code', 'Process exited with code 0', '{"command":"make test"}'],
  ];
  it.each(passes)('%s: %s', (runner, text, command) => {
    expect(toolPass(text, command)?.runner).toBe(runner);
  });

  const notPasses: Array<[string, string?]> = [
    // Failures, and passes beside a failure or an error.
    ['==== 1 failed, 5 passed in 0.44s ===='],
    ['==== 5 passed, 1 error in 0.44s ===='],
    ['Tests:       1 failed, 12 passed, 13 total'],
    ['      Tests  1 failed | 11 passed (12)'],
    ['ok  \texample.com/a\t0.01s\nFAIL\texample.com/b [build failed]'],
    ['ok  \texample.com/a\t0.01s\npanic: runtime error: index out of range'],
    ['test result: FAILED. 6 passed; 1 failed; 0 ignored'],
    ['test result: ok. 3 passed; 0 failed\nerror[E0425]: cannot find value `x`'],
    ['BUILD SUCCESSFUL in 1s\n[ERROR] Tests run: 3, Failures: 1'],
    ['Traceback (most recent call last):\n  File "x.py"\n==== 2 passed in 0.1s ===='],
    ['exit code 0\nsrc/a.ts(1,1): error TS2304: Cannot find name', '{"command":"tsc"}'],
    // A zero exit of anything but a test or build, or without the command.
    ['exit code 0', '{"command":"ls -la"}'],
    ['exit code 0'],
    // Not a runner's summary at all.
    ['All 6 tests passed, looks good to me.'],
    ['0 passed in 0.01s'],
    ['Tests:       0 passed, 0 total'],
  ];
  it.each(notPasses)('not a pass: %s', (text, command) => {
    expect(toolPass(text, command)).toBeUndefined();
  });
});

describe('trailingToolOutcome: the tool results right after the model’s tool call', () => {
  const call = (id: string, command: string): Message => ({
    role: 'assistant',
    content: '',
    toolCalls: [{ id, name: 'bash', arguments: JSON.stringify({ command }) }],
  });
  const result = (id: string, content: string, isError?: boolean): Message => ({
    role: 'tool',
    toolCallId: id,
    content,
    ...(isError === undefined ? {} : { isError }),
  });
  const request = (...messages: Message[]): ChatRequest => ({
    kind: 'chat',
    model: 'auto',
    stream: false,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'fix it' }] }, ...messages],
  });

  it('a passing run is a pass beside other results; a failure among them wins; an error flag vetoes', () => {
    expect(
      trailingToolOutcome(request(call('c1', 'pytest'), result('c1', '=== 3 passed in 0.1s ==='))),
    ).toMatchObject({ passed: true, runner: 'pytest' });
    expect(
      trailingToolOutcome(
        request(
          call('c1', 'pytest'),
          result('c1', '=== 3 passed in 0.1s ==='),
          result('c2', 'wrote 3 files'),
        ),
      ),
    ).toMatchObject({ passed: true, runner: 'pytest' });
    expect(
      trailingToolOutcome(
        request(
          call('c1', 'pytest'),
          result('c1', 'FAILED t.py::x\n=== 1 failed in 0.2s ==='),
          result('c2', '=== 3 passed in 0.1s ==='),
        ),
      ),
    ).toMatchObject({ passed: false, runner: 'pytest' });
    expect(
      trailingToolOutcome(
        request(call('c1', 'pytest'), result('c1', '=== 3 passed in 0.1s ===', true)),
      ),
    ).toMatchObject({ passed: false, runner: 'is_error' });
    // The zero exit reads the command of the call the result answers.
    expect(
      trailingToolOutcome(request(call('c1', 'cargo build'), result('c1', 'exit code 0'))),
    ).toMatchObject({ passed: true, runner: 'exit code' });
    expect(
      trailingToolOutcome(request(call('c1', 'cat README.md'), result('c1', 'exit code 0'))),
    ).toBeUndefined();
  });

  it('only when the conversation ends with tool results', () => {
    expect(
      trailingToolOutcome(
        request(
          call('c1', 'pytest'),
          result('c1', '=== 3 passed in 0.1s ==='),
          { role: 'assistant', content: 'All green.' },
          { role: 'user', content: [{ type: 'text', text: 'thanks, now the docs' }] },
        ),
      ),
    ).toBeUndefined();
  });
});
