/**
 * What a tool result looks like when it reports a failure, per common runner. Each pattern
 * matches only a failure (a count of at least one, an error marker), never a clean run.
 */
export const TOOL_FAILURE_PATTERNS: ReadonlyArray<readonly [runner: string, pattern: RegExp]> = [
  // pytest: "=== 2 failed, 3 passed in 0.12s ===", "FAILED tests/test_x.py::test_y"
  ['pytest', /\b[1-9]\d* failed\b.*\bin [\d.]+s\b|^FAILED \S+::/m],
  // jest / vitest: "Tests:       1 failed, 4 passed", "Test Files  1 failed (3)", "FAIL  src/x.test.ts"
  [
    'jest/vitest',
    /^\s*Tests?(?: Files)?:?\s+[1-9]\d* failed\b|^\s*FAIL\s+\S+\.(?:test|spec)\.[cm]?[jt]sx?\b/m,
  ],
  // go test: "--- FAIL: TestX (0.00s)", "FAIL\tpkg/name\t0.01s"
  ['go test', /^--- FAIL: |^FAIL\s+\S+\s+[\d.]+s$/m],
  // cargo: "test result: FAILED.", "error[E0308]: mismatched types", "error: could not compile"
  ['cargo', /test result: FAILED|^error\[E\d{4}\]|^error: could not compile/m],
  // tsc: "src/x.ts(3,7): error TS2322: …", "src/x.ts:3:7 - error TS2322: …"
  ['tsc', /\berror TS\d{4}:/],
  // gcc / clang: "main.c:3:5: error: …", "fatal error: x.h: No such file"
  ['gcc/clang', /^\S+:\d+:\d+: (?:fatal )?error: |^(?:\S+: )?fatal error: /m],
  // A shell's non-zero exit: "exit code 1", "exited with code 2", "Exit status: 127", "returned non-zero exit status 1"
  [
    'exit code',
    /\b(?:exit(?:ed)?(?: with)? (?:code|status)|exit code:?|exit status:?|non-zero exit status)\s*[1-9]\d*\b/i,
  ],
];

/** The runner whose failure pattern the tool result matches, or undefined for a clean result. */
export function toolFailure(text: string): { runner: string; excerpt: string } | undefined {
  // The end of a long log is where runners print their summary.
  const sample = text.length > 20_000 ? `${text.slice(0, 4_000)}\n${text.slice(-16_000)}` : text;
  for (const [runner, pattern] of TOOL_FAILURE_PATTERNS) {
    const match = pattern.exec(sample);
    if (match) return { runner, excerpt: match[0].trim().slice(0, 120) };
  }
  return undefined;
}
