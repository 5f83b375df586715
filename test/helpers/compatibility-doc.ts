import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { WireRule } from '../../src/dialects/field-policy.js';

/** docs/compatibility.md's field tables, read the way test/e2e/*field-policy.test.ts compare them. */
const DOC = readFileSync(new URL('../../docs/compatibility.md', import.meta.url), 'utf8');

/** The rows of the table under `### heading`: field → the two wire columns. */
export function docTable(heading: string): Map<string, { openai: string; anthropic: string }> {
  const start = DOC.indexOf(`### ${heading}\n`);
  expect(start, `heading "${heading}" in docs/compatibility.md`).toBeGreaterThan(-1);
  const section = DOC.slice(start + heading.length + 5).split('\n### ')[0] ?? '';
  const rows = new Map<string, { openai: string; anthropic: string }>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line.split(' | ').map((cell) => cell.replace(/^\| /, '').trim());
    const field = (cells[0] ?? '').replace(/ \(header\)$/, '').replaceAll('`', '');
    rows.set(field, { openai: cells[1] ?? '', anthropic: cells[2] ?? '' });
  }
  return rows;
}

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** How the docs write a wire rule. */
export function ruleText(rule: WireRule): string {
  if (typeof rule === 'string') return rule;
  const [yes, no] = rule.passWhen ? ['pass', 'refuse'] : ['refuse', 'pass'];
  return `quirk \`${snake(rule.quirk)}\`: ${yes} where set, else ${no}`;
}
