import { hashText } from '../../src/sim/hash-text.js';

/** Languages of the agent-session workload, as the published table names its columns. */
export const SKILL_LANGUAGES = [
  'python',
  'java',
  'cpp',
  'typescript',
  'javascript',
  'go',
  'rust',
] as const;
export type SkillLanguage = (typeof SKILL_LANGUAGES)[number];

const COLUMN: Record<string, SkillLanguage> = {
  py: 'python',
  java: 'java',
  'c++': 'cpp',
  ts: 'typescript',
  js: 'javascript',
  go: 'go',
  rust: 'rust',
};

/** Published pass@1 (percent) per table row and language; absent where the table has "–". */
export type SkillTable = Map<string, Partial<Record<SkillLanguage, number>>>;

/**
 * Reads the first markdown table whose header starts with `| Model |` and names languages (the
 * shared data's `quality-priors.md`): one row per model (the source tag in parentheses dropped),
 * one figure per language column.
 */
export function parseSkillTable(markdown: string): SkillTable {
  const lines = markdown.split('\n').map((line) => line.trim());
  const header = lines.findIndex((line) => /^\|\s*model\s*\|/i.test(line));
  if (header < 0) throw new Error('skill table: no "| Model |" header');
  const cells = (line: string) =>
    line
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim());
  const columns = cells(lines[header]!)
    .slice(1)
    .map((name) => COLUMN[name.toLowerCase()]);
  const table: SkillTable = new Map();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [name, ...figures] = cells(line);
    const model = name!.replace(/\s*\(.*\)\s*$/, '').trim();
    const row: Partial<Record<SkillLanguage, number>> = {};
    figures.forEach((figure, index) => {
      const language = columns[index];
      const value = Number(figure);
      if (language !== undefined && figure !== '' && Number.isFinite(value)) row[language] = value;
    });
    table.set(model, row);
  }
  if (table.size === 0) throw new Error('skill table: no rows');
  return table;
}

/**
 * A simulated model's skill per language: its table row's figure, else the mean of its row (a
 * language the source did not measure), else the lowest figure of the whole table for that
 * language (a model the table does not list: assumed no better than the weakest).
 */
export function skillOf(
  table: SkillTable,
  row: string | undefined,
  language: SkillLanguage,
): number {
  const figures = row === undefined ? undefined : table.get(row);
  const own = figures?.[language];
  if (own !== undefined) return own;
  const values = Object.values(figures ?? {});
  if (values.length > 0) return values.reduce((sum, value) => sum + value, 0) / values.length;
  let lowest = Number.POSITIVE_INFINITY;
  for (const entry of table.values()) {
    const value = entry[language];
    if (value !== undefined) lowest = Math.min(lowest, value);
  }
  return Number.isFinite(lowest) ? lowest : 50;
}

/**
 * Whether a model's answer on one turn of one session passes the session's tests: a seeded draw
 * against (skill / 100) ^ hardness. HumanEval-style figures bunch at 75–93; an agent's task
 * (several files, the repository's tests) separates the same models far more, as Aider polyglot
 * does — the exponent stands for that (hardness 1 = the published figure).
 */
export function turnPasses(
  skill: number,
  hardness: number,
  session: string,
  turn: number,
  model: string,
  seed: number,
): boolean {
  const probability = (Math.min(100, Math.max(0, skill)) / 100) ** hardness;
  const draw = hashText(`${session}\u0000${turn}\u0000${model}`, seed) / 2 ** 53;
  return draw < probability;
}

/** A test runner's output for a language, failing or passing (the documented tool-result patterns). */
export function testOutput(language: SkillLanguage, passed: boolean): string {
  switch (language) {
    case 'python':
      return passed
        ? '============ 6 passed in 0.41s ============'
        : 'FAILED tests/test_core.py::test_edge_case - AssertionError\n====== 1 failed, 5 passed in 0.44s ======';
    case 'typescript':
    case 'javascript':
      return passed
        ? 'Test Files  3 passed (3)\n     Tests  12 passed (12)'
        : 'FAIL src/core.test.ts > handles the edge case\nTest Files  1 failed | 2 passed (3)\n     Tests  1 failed | 11 passed (12)';
    case 'go':
      return passed
        ? 'ok  \texample.com/core\t0.012s'
        : '--- FAIL: TestEdgeCase (0.00s)\n    core_test.go:31: got 3, want 4\nFAIL\texample.com/core\t0.013s';
    case 'rust':
      return passed
        ? 'test result: ok. 7 passed; 0 failed; 0 ignored'
        : 'test tests::edge_case ... FAILED\ntest result: FAILED. 6 passed; 1 failed; 0 ignored';
    case 'java':
      return passed
        ? 'BUILD SUCCESSFUL in 3s\n8 tests completed'
        : 'CoreTest > edgeCase() FAILED\n8 tests completed, 1 failed\nProcess finished with exit code 1';
    case 'cpp':
      return passed
        ? '100% tests passed, 0 tests failed out of 9'
        : "core.cpp:42:5: error: no matching function for call to 'step'\nmake: *** [core.o] Error 1\nexit code 2";
  }
}
