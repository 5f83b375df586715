/**
 * Model-name aliases: exact names (`fast: deepseek-chat`) and glob patterns (`claude-*: auto`).
 * A target is a model name or a routing policy name. Exact names (models, policies, exact
 * aliases) always win over patterns; among patterns the most specific one (the most literal
 * characters) wins, ties going to the one declared first.
 */

export interface AliasPattern {
  /** The pattern as written in the config, e.g. `claude-*`. */
  pattern: string;
  /** The model or routing policy it points at. */
  target: string;
  /** Literal characters of the pattern (its specificity). */
  literals: number;
  matches: RegExp;
}

/**
 * The pattern characters are `*` (any run of characters, none included) and `?` (one character);
 * a name with glob syntax we do not support (`[ab]`, `{a,b}`) is a pattern too, so it is refused
 * rather than taken as a literal name nobody sends.
 */
export function isAliasPattern(name: string): boolean {
  return /[*?[\]{}]/.test(name);
}

/** Compiles one pattern, or returns why it is not one (a name made only of wildcards, a bracket…). */
export function compileAliasPattern(pattern: string, target: string): AliasPattern | string {
  if (/[[\]{}\\]/.test(pattern))
    return `"${pattern}": only * and ? are pattern characters ([ ] { } \\ are not allowed)`;
  const literals = pattern.replace(/[*?]/g, '').length;
  if (literals === 0)
    return `"${pattern}": a pattern needs at least one literal character (it would match every model name)`;
  const source = pattern
    .replace(/[.+^$()|]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return { pattern, target, literals, matches: new RegExp(`^${source}$`) };
}

/** Patterns ordered so that the first match is the winner: most literal characters first, then declaration order. */
export function orderAliasPatterns(patterns: AliasPattern[]): AliasPattern[] {
  return patterns
    .map((pattern, index) => ({ pattern, index }))
    .sort((a, b) => b.pattern.literals - a.pattern.literals || a.index - b.index)
    .map(({ pattern }) => pattern);
}

/** The target of `name` by its exact alias, else by the winning pattern; undefined when none applies. */
export function resolveAlias(
  name: string,
  exact: ReadonlyMap<string, string>,
  patterns: readonly AliasPattern[],
): { target: string; pattern?: string } | undefined {
  const target = exact.get(name);
  if (target !== undefined) return { target };
  for (const pattern of patterns)
    if (pattern.matches.test(name)) return { target: pattern.target, pattern: pattern.pattern };
  return undefined;
}
