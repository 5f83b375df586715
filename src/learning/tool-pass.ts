import type { CanonicalRequest } from '../core/request.js';
import { toolFailure } from './tool-failure.js';

/**
 * What a tool result looks like when it reports a clean test or build run, per common runner.
 * Each pattern is a runner's own summary of a whole run with nothing failed; a result matching
 * one still counts only if nothing in it looks like a failure (`PASS_VETO`, `toolFailure`).
 */
export const TOOL_PASS_PATTERNS: ReadonlyArray<readonly [runner: string, pattern: RegExp]> = [
  // pytest: "==== 6 passed in 0.41s ====", "=== 5 passed, 1 skipped, 2 warnings in 0.10s ==="
  [
    'pytest',
    /^=+ [1-9]\d* passed(?:, \d+ (?:skipped|deselected|xfailed|xpassed|warnings?))* in [\d.]+s\b/m,
  ],
  // jest: "Tests:       13 passed, 13 total", "Tests:       2 skipped, 11 passed, 13 total"
  ['jest/vitest', /^\s*Tests:\s+(?:\d+ (?:skipped|todo), )*[1-9]\d* passed, \d+ total\s*$/m],
  // vitest: "      Tests  12 passed (12)", "      Tests  11 passed | 1 skipped (12)"
  ['jest/vitest', /^\s*Tests\s+[1-9]\d* passed(?: \| \d+ (?:skipped|todo))* \(\d+\)\s*$/m],
  // go test: "ok  \texample.com/core\t0.012s", "ok  \texample.com/core\t(cached)"
  ['go test', /^ok\s+\S+\s+(?:[\d.]+s|\(cached\))/m],
  // cargo: "test result: ok. 7 passed; 0 failed; 0 ignored"
  ['cargo', /^test result: ok\. [1-9]\d* passed; 0 failed\b/m],
  // tsc in watch / build mode: "Found 0 errors. Watching for file changes."
  ['tsc', /\bFound 0 errors\b/],
  // gradle / maven: "BUILD SUCCESSFUL in 3s", "[INFO] BUILD SUCCESS"
  ['gradle/maven', /^(?:\[INFO\] )?BUILD SUCCESS(?:FUL)?\b/m],
  // ctest: "100% tests passed, 0 tests failed out of 9"
  ['ctest', /^100% tests passed, 0 tests failed out of [1-9]\d*/m],
];

/**
 * Anything in a tool result that speaks of a failure vetoes a pass: a count of failed tests or
 * errors, a `FAIL`/`FAILED`/`ERROR` marker, a build failure, a panic or a Python traceback.
 */
const PASS_VETO =
  /\b[1-9]\d* (?:failed|failures?|errors?)\b|^FAIL\b|\bFAILED\b|\bERROR\b|\[build failed\]|\bBUILD FAILURE\b|^panic: |Traceback \(most recent call last\)/m;

/** A shell's zero exit: "exit code 0", "exited with code 0", "Exit status: 0". */
const ZERO_EXIT = /\b(?:exit(?:ed)?(?: with)? (?:code|status)|exit code:?|exit status:?)\s*0\b/i;

/**
 * Commands that run tests or a build: only for these a zero exit is a pass (an `ls` that exits 0
 * says nothing about an answer). Matched against the tool call's arguments.
 */
const TEST_OR_BUILD_COMMAND =
  /\b(?:pytest|py\.test|jest|vitest|tsc|go (?:test|build|vet)|cargo (?:test|build|check)|(?:npm|pnpm|yarn|bun)(?: run)? (?:test|build|typecheck)|make|ctest|gradlew?|mvn|dotnet (?:test|build)|mix test|rspec|phpunit)\b/;

function sampleOf(text: string): string {
  // The end of a long log is where runners print their summary.
  return text.length > 20_000 ? `${text.slice(0, 4_000)}\n${text.slice(-16_000)}` : text;
}

/**
 * The runner whose passing summary the tool result shows, or undefined. `command` is the tool
 * call's arguments (JSON text): a zero exit counts only when it ran tests or a build.
 */
export function toolPass(
  text: string,
  command?: string,
): { runner: string; excerpt: string } | undefined {
  const sample = sampleOf(text);
  if (toolFailure(sample) !== undefined || PASS_VETO.test(sample)) return undefined;
  for (const [runner, pattern] of TOOL_PASS_PATTERNS) {
    const match = pattern.exec(sample);
    if (match) return { runner, excerpt: match[0].trim().slice(0, 120) };
  }
  const zero = ZERO_EXIT.exec(sample);
  const ran = command === undefined ? null : TEST_OR_BUILD_COMMAND.exec(command);
  if (zero && ran) return { runner: 'exit code', excerpt: `${ran[0]}: ${zero[0]}`.slice(0, 120) };
  return undefined;
}

/**
 * What the tool results that end the conversation (right after the model's tool call) report:
 * a failure if any of them does (a failure pattern, or `is_error`); else a pass if one shows a
 * passing run and none is flagged as an error; else nothing.
 */
export function trailingToolOutcome(
  request: Extract<CanonicalRequest, { kind: 'chat' }>,
): { passed: boolean; runner: string; excerpt: string } | undefined {
  const messages = request.messages;
  let pass: { runner: string; excerpt: string } | undefined;
  let index = messages.length - 1;
  for (; index >= 0; index--) {
    const message = messages[index]!;
    if (message.role !== 'tool') break;
    const failure =
      toolFailure(message.content) ??
      (message.isError === true
        ? { runner: 'is_error', excerpt: message.content.trim().slice(0, 120) }
        : undefined);
    if (failure) return { passed: false, ...failure };
    pass ??= toolPass(message.content, commandOf(messages, index, message.toolCallId));
  }
  // A pass counts only right after the model's tool call, as a failure does.
  if (pass === undefined || index === messages.length - 1) return undefined;
  return { passed: true, ...pass };
}

/** The arguments of the tool call a result answers, from the assistant turn before the results. */
function commandOf(
  messages: Extract<CanonicalRequest, { kind: 'chat' }>['messages'],
  from: number,
  toolCallId: string,
): string | undefined {
  for (let index = from - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.role === 'tool') continue;
    if (message.role !== 'assistant') return undefined;
    return message.toolCalls?.find((call) => call.id === toolCallId)?.arguments;
  }
  return undefined;
}
