import type { SeededRandom } from './hash-text.js';

/** The languages the simulated assistant writes snippets in. */
export type SimLanguage = 'python' | 'typescript' | 'javascript' | 'go' | 'rust' | 'java';

const TOKEN_PATTERN = /\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]|\s+/gu;

/** Splits text into word-ish tokens whose concatenation is exactly the text. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN_PATTERN) ?? [];
}

/** Estimated token count of a prompt text: ceil(chars / 4). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const LANGUAGE_HINTS: Array<[RegExp, SimLanguage]> = [
  [/\btypescript\b|\.tsx?\b|\binterface \w+ \{/i, 'typescript'],
  [/\bjavascript\b|\bnode\.?js\b|\.m?js\b|\bconst \w+ = /i, 'javascript'],
  [/\brust\b|\bfn \w+\(|\.rs\b|\bcargo\b/i, 'rust'],
  [/\bgolang\b|\bin go\b|\bgo code\b|\bfunc \w+\(|\.go\b/i, 'go'],
  [/\bjava\b|\bpublic class\b|\.java\b/i, 'java'],
  [/\bpython\b|\bdef \w+\(|\.py\b/i, 'python'],
];

/** The language the prompt mentions (first match in a fixed priority order), default python. */
export function detectLanguage(text: string): SimLanguage {
  for (const [pattern, language] of LANGUAGE_HINTS) if (pattern.test(text)) return language;
  return 'python';
}

const LANGUAGE_NAMES: Record<SimLanguage, string> = {
  python: 'Python',
  typescript: 'TypeScript',
  javascript: 'JavaScript',
  go: 'Go',
  rust: 'Rust',
  java: 'Java',
};
const TASKS = [
  ['merge overlapping ranges', 'merge ranges'],
  ['remove duplicate entries', 'dedupe items'],
  ['parse the config lines', 'parse config'],
  ['group records by key', 'group by key'],
  ['retry a flaky call', 'retry call'],
  ['sum the valid values', 'sum values'],
  ['chunk a list into batches', 'chunk items'],
  ['normalize user input', 'normalize input'],
] as const;
const OPENERS = [
  'Here is a compact way to {task} in {lang}.',
  'You can {task} with a small {lang} helper.',
  'A simple approach is to {task} in a single pass.',
  'Sure: this {lang} function shows how to {task}.',
];
const CLOSERS = [
  'It runs in linear time and leaves the input unchanged.',
  'Add a unit test for the empty case before you rely on it.',
  'The helper has no side effects, so it is easy to test.',
  'Swap the condition if you need to keep the other entries.',
  'For large inputs, stream the data instead of loading it at once.',
  'Type hints make the intent clearer to reviewers.',
];
const REASONING = [
  'The user wants to {task} in {lang}.',
  'I should keep the example short and explain the edge cases.',
  'A single loop is enough here, so no extra library is needed.',
  'Empty input must return an empty result.',
  'I will name the function clearly and avoid mutation.',
];

function words(phrase: string): string[] {
  return phrase.split(' ');
}
function snakeName(phrase: string): string {
  return words(phrase).join('_');
}
function camelName(phrase: string): string {
  return words(phrase)
    .map((word, index) => (index === 0 ? word : word[0]?.toUpperCase() + word.slice(1)))
    .join('');
}

/** A short, syntactically plausible snippet (without fences). */
export function codeSnippet(language: SimLanguage, phrase: string, variant: number): string {
  const snake = snakeName(phrase);
  const camel = camelName(phrase);
  const keep = variant % 2 === 0;
  switch (language) {
    case 'python':
      return keep
        ? `def ${snake}(items):\n    result = []\n    for item in items:\n        if item is not None:\n            result.append(item)\n    return result`
        : `def ${snake}(items: list[int]) -> int:\n    total = 0\n    for item in items:\n        total += item\n    return total`;
    case 'typescript':
      return keep
        ? `export function ${camel}<T>(items: T[]): T[] {\n  return items.filter((item) => item !== undefined);\n}`
        : `export function ${camel}(items: number[]): number {\n  let total = 0;\n  for (const item of items) total += item;\n  return total;\n}`;
    case 'javascript':
      return keep
        ? `function ${camel}(items) {\n  return items.filter((item) => item != null);\n}`
        : `function ${camel}(items) {\n  return items.reduce((total, item) => total + item, 0);\n}`;
    case 'go':
      return keep
        ? `func ${camel}(items []string) []string {\n\tresult := make([]string, 0, len(items))\n\tfor _, item := range items {\n\t\tif item != "" {\n\t\t\tresult = append(result, item)\n\t\t}\n\t}\n\treturn result\n}`
        : `func ${camel}(items []int) int {\n\ttotal := 0\n\tfor _, item := range items {\n\t\ttotal += item\n\t}\n\treturn total\n}`;
    case 'rust':
      return keep
        ? `fn ${snake}(items: &[Option<i32>]) -> Vec<i32> {\n    items.iter().flatten().copied().collect()\n}`
        : `fn ${snake}(items: &[i32]) -> i32 {\n    items.iter().sum()\n}`;
    case 'java':
      return keep
        ? `static List<String> ${camel}(List<String> items) {\n    return items.stream().filter(Objects::nonNull).toList();\n}`
        : `static int ${camel}(int[] items) {\n    int total = 0;\n    for (int item : items) total += item;\n    return total;\n}`;
  }
}

function fill(template: string, task: string, language: SimLanguage): string {
  return template.replace('{task}', task).replace('{lang}', LANGUAGE_NAMES[language]);
}

/**
 * A chat answer of exactly `count` tokens: the prefix, a sentence, a fenced snippet, then closing
 * sentences as needed (the text is cut at `count` tokens, wherever that falls).
 */
export function generateChatTokens(
  random: SeededRandom,
  prefix: string,
  language: SimLanguage,
  count: number,
): string[] {
  const [task, phrase] = random.pick(TASKS);
  const tokens = tokenize(prefix);
  tokens.push(...tokenize(fill(random.pick(OPENERS), task, language)));
  tokens.push(
    ...tokenize(
      `\n\n\`\`\`${language}\n${codeSnippet(language, phrase, random.integer(0, 1))}\n\`\`\`\n\n`,
    ),
  );
  let closers = 0;
  while (tokens.length < count) {
    tokens.push(...tokenize((closers++ === 0 ? '' : ' ') + random.pick(CLOSERS)));
  }
  tokens.length = count;
  return tokens;
}

/** Visible reasoning text of `count` tokens. */
export function generateReasoningTokens(
  random: SeededRandom,
  language: SimLanguage,
  count: number,
): string[] {
  const [task] = random.pick(TASKS);
  const tokens: string[] = [];
  let index = random.integer(0, REASONING.length - 1);
  while (tokens.length < count) {
    tokens.push(
      ...tokenize(
        (tokens.length === 0 ? '' : ' ') +
          fill(REASONING[index % REASONING.length] ?? '', task, language),
      ),
    );
    index++;
  }
  tokens.length = count;
  return tokens;
}

/** A code continuation for legacy / FIM completions: the prefix, then code lines. */
export function generateCompletionTokens(
  random: SeededRandom,
  prefix: string,
  language: SimLanguage,
  count: number,
): string[] {
  const tokens = tokenize(prefix);
  while (tokens.length < count) {
    const [, phrase] = random.pick(TASKS);
    tokens.push(...tokenize(`\n${codeSnippet(language, phrase, random.integer(0, 1))}\n`));
  }
  tokens.length = count;
  return tokens;
}
