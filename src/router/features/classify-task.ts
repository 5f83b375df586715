/** What the request asks for, from the wording of its instruction (first match in this order). */
export const TASK_KINDS = [
  'naming',
  'docstring',
  'test-stub',
  'completion',
  'refactor',
  'bug-fix',
  'algorithm',
  'system-level',
  'general',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

const RULES: ReadonlyArray<readonly [TaskKind, RegExp]> = [
  [
    'naming',
    /\b(rename|suggest (a |some )?(better |good )?names?|(better|good) names?|name (for|of) (this|the|a|my)|naming|what should i (call|name)|(variable|function|method|class) names?)\b/,
  ],
  [
    'docstring',
    /\b(docstrings?|jsdoc|javadoc|rustdoc|godoc|doc ?comments?|document (this|the|my)|add (some )?comments|write (the )?documentation)\b/,
  ],
  [
    'test-stub',
    /\b(unit ?tests?|test stubs?|test cases?|write (some )?tests|tests? for (this|the|my)|pytest|jest|junit|vitest|mocha|table-driven tests?)\b/,
  ],
  [
    'system-level',
    /\b(dependenc(y|ies)|version conflicts?|peer dep|lock ?file|requirements\.txt|package\.json|cargo\.toml|go\.mod|pom\.xml|build\.gradle|cmake|makefile|dockerfile|docker-compose|kubernetes|k8s|deadlocks?|race conditions?|distributed|microservices?|architecture|system design|memory leaks?|linker|segfault|syscalls?|multi-?thread(ed|ing)?|concurren(t|cy)|migrations?)\b/,
  ],
  [
    'bug-fix',
    /\b(fix(es|ed)?|bugs?|broken|errors?|exceptions?|traceback|stack ?trace|(doesn'?t|does not|isn'?t|is not) work(ing)?|fail(s|ing|ed)?|crash(es|ing)?|wrong (output|result|answer)|incorrect(ly)?|debug)\b/,
  ],
  [
    'refactor',
    /\b(refactor(ing)?|clean ?up|simplify|restructure|rewrite|more readable|readability|idiomatic|extract (a |the )?(method|function)|modernize|convert (this|it) to)\b/,
  ],
  [
    'algorithm',
    /\b(algorithms?|complexity|o\([a-z0-9 *^]+\)|dynamic programming|recursi(on|ve)|graph|shortest path|binary search|sort(ing|ed)?|optimi[sz]e|efficient(ly)?|greedy|backtracking|trees?|heaps?|primes?|fibonacci|palindromes?|matri(x|ces)|subsequence|permutations?|combinations?)\b/,
  ],
  [
    'completion',
    /\b(complete (this|the)|finish (this|the)|continue (this|the)|implement (the rest|the remaining|this stub)|fill in)\b/,
  ],
];

/** `instruction` must already be lower case (the caller lowers only the short part it classifies). */
export function classifyTask(
  instruction: string,
  fim: boolean,
  completionRequest: boolean,
): TaskKind {
  if (fim) return 'completion';
  for (const [kind, pattern] of RULES) if (pattern.test(instruction)) return kind;
  return completionRequest ? 'completion' : 'general';
}
