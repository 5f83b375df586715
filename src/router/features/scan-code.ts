import type { ProgrammingLanguage } from '../../registry/catalog-types.js';
import { isStandardModule, type ImportFamily } from './standard-libraries.js';

export type ImportsKind = 'none' | 'standard-library' | 'third-party';

export interface CodeScan {
  /** Detected languages, strongest evidence first. */
  languages: ProgrammingLanguage[];
  importsKind: ImportsKind;
  importCount: number;
  /** Up to five third-party module names, for explanations. */
  thirdParty: string[];
  externalApiCalls: number;
  nestingDepth: number;
}

const LANGUAGE_ALIASES: Readonly<Record<string, ProgrammingLanguage>> = {
  python: 'python',
  py: 'python',
  python3: 'python',
  typescript: 'typescript',
  ts: 'typescript',
  tsx: 'typescript',
  javascript: 'javascript',
  js: 'javascript',
  jsx: 'javascript',
  node: 'javascript',
  nodejs: 'javascript',
  go: 'go',
  golang: 'go',
  rust: 'rust',
  rs: 'rust',
  java: 'java',
  cpp: 'cpp',
  'c++': 'cpp',
  cxx: 'cpp',
  cc: 'cpp',
};

/** Words that (nearly) only one language uses; each occurrence is one point of evidence. */
const WORDS: ReadonlyMap<string, ProgrammingLanguage> = new Map<string, ProgrammingLanguage>([
  ...(
    [
      'def',
      'elif',
      'self',
      '__name__',
      '__init__',
      'nonlocal',
      'lambda',
      'None',
      'kwargs',
      'isinstance',
    ] as const
  ).map((word) => [word, 'python'] as const),
  ...(['interface', 'readonly', 'namespace', 'keyof', 'Promise'] as const).map(
    (word) => [word, 'typescript'] as const,
  ),
  ...(
    ['require', 'console', 'exports', 'document', 'undefined', 'function', 'prototype'] as const
  ).map((word) => [word, 'javascript'] as const),
  ...(['package', 'func', 'chan', 'fmt', 'nil', 'goroutine', 'defer'] as const).map(
    (word) => [word, 'go'] as const,
  ),
  ...(
    ['fn', 'mut', 'impl', 'crate', 'Option', 'Some', 'println', 'Vec', 'usize', 'enum'] as const
  ).map((word) => [word, 'rust'] as const),
  ...(['public', 'System', 'ArrayList', 'Override', 'extends', 'throws', 'HashMap'] as const).map(
    (word) => [word, 'java'] as const,
  ),
  ...(['include', 'std', 'cout', 'nullptr', 'template', 'endl'] as const).map(
    (word) => [word, 'cpp'] as const,
  ),
]);

/** HTTP client names: a call when followed by `.` or `(`. */
const API_WORDS = new Set([
  'requests',
  'fetch',
  'axios',
  'httpx',
  'aiohttp',
  'urllib',
  'HttpClient',
  'reqwest',
  'boto3',
  'XMLHttpRequest',
  'RestTemplate',
]);

interface WordScan {
  scores: Map<ProgrammingLanguage, number>;
  apiCalls: number;
  nestingDepth: number;
}

function isWordCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95
  );
}

/**
 * One pass over the characters: language words, `:=` (Go) and `=>` (JavaScript family), HTTP
 * client calls and quoted URLs, and the nesting depth (brackets, or indentation where deeper).
 */
function scanWords(text: string): WordScan {
  const scores = new Map<ProgrammingLanguage, number>();
  const add = (language: ProgrammingLanguage): void => {
    scores.set(language, (scores.get(language) ?? 0) + 1);
  };
  let apiCalls = 0;
  let depth = 0;
  let deepest = 0;
  let indent = 0;
  let atLineStart = true;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (atLineStart) {
      if (code === 32) {
        indent++;
        continue;
      }
      if (code === 9) {
        indent += 4;
        continue;
      }
      atLineStart = false;
      if (code !== 10) {
        const level = indent >> 2;
        if (level > deepest && level <= 40) deepest = level;
      }
    }
    if (isWordCode(code)) {
      let end = index + 1;
      while (end < length && isWordCode(text.charCodeAt(end))) end++;
      if (end - index <= 14) {
        const word = text.slice(index, end);
        const language = WORDS.get(word);
        if (language) add(language);
        const next = text.charCodeAt(end);
        if ((next === 46 || next === 40) && API_WORDS.has(word)) apiCalls++;
        else if (
          next === 58 &&
          (word === 'http' || word === 'https') &&
          text.startsWith('//', end + 1)
        ) {
          const before = text.charCodeAt(index - 1);
          if (before === 34 || before === 39 || before === 96) apiCalls++;
        }
      }
      index = end - 1;
      continue;
    }
    if (code === 123 || code === 40 || code === 91) {
      if (++depth > deepest) deepest = depth;
    } else if (code === 125 || code === 41 || code === 93) {
      if (depth > 0) depth--;
    } else if (code === 10) {
      atLineStart = true;
      indent = 0;
    } else if (code === 61 && text.charCodeAt(index + 1) === 62) add('javascript');
    else if (code === 58 && text.charCodeAt(index + 1) === 61) add('go');
  }
  return { scores, apiCalls, nestingDepth: deepest };
}

const FENCE = /```[ \t]*([A-Za-z+#]+)/g;
const MENTIONED = /\b(python|typescript|javascript|golang|rust|java|c\+\+)\b/gi;
const NAMED =
  /\b(?:in|using|with|for)\s+(python|typescript|javascript|golang|go|rust|java|c\+\+|node(?:js)?)\b/gi;

const IMPORT_PATTERNS: ReadonlyArray<readonly [ImportFamily, RegExp]> = [
  [
    'python',
    /^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([\w.]+)(?:[ \t]+as[ \t]+\w+)?[ \t]*$)/gm,
  ],
  [
    'javascript',
    /(?:\bfrom\s*|\bimport\(\s*|\brequire\(\s*)['"]([^'"\n]+)['"]|^[ \t]*import\s+['"]([^'"\n]+)['"]\s*;/gm,
  ],
  ['java', /^[ \t]*import[ \t]+(?:static[ \t]+)?([\w.]+(?:\.\*)?);/gm],
  ['rust', /^[ \t]*(?:pub[ \t]+)?(?:use[ \t]+([\w:]+)|extern[ \t]+crate[ \t]+(\w+))/gm],
  ['cpp', /^[ \t]*#include[ \t]*([<"][^>"\n]+)[>"]/gm],
];
const GO_IMPORT_BLOCK = /^import\s*\(([^)]*)\)|^import\s+(?:\w+\s+)?"([^"]+)"/gm;
const QUOTED = /"([^"\n]+)"/g;

/**
 * Scans a bounded sample of the prompt (the caller picks it): one pass over its characters plus
 * a few line-anchored regular expressions for imports; time depends on the sample size, never
 * on the prompt size.
 */
export function scanCode(sample: string): CodeScan {
  const words = scanWords(sample);
  const scores = words.scores;
  const add = (language: ProgrammingLanguage | undefined, points: number): void => {
    if (language && points > 0) scores.set(language, (scores.get(language) ?? 0) + points);
  };
  for (const pattern of [FENCE, NAMED]) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(sample); match !== null; match = pattern.exec(sample))
      add(LANGUAGE_ALIASES[match[1]!.toLowerCase()], 5);
  }
  MENTIONED.lastIndex = 0;
  for (let match = MENTIONED.exec(sample); match !== null; match = MENTIONED.exec(sample))
    add(LANGUAGE_ALIASES[match[1]!.toLowerCase()], 2);
  // TypeScript is JavaScript with types: its evidence counts for both, JavaScript's does not count for it.
  if ((scores.get('typescript') ?? 0) > 0) add('typescript', scores.get('javascript') ?? 0);
  const ranked = [...scores].filter(([, score]) => score >= 2).sort((a, b) => b[1] - a[1]);
  const languages = ranked.map(([language]) => language);
  if (languages.includes('typescript') && languages.includes('javascript'))
    languages.splice(languages.indexOf('javascript'), 1);

  let importCount = 0;
  const thirdParty: string[] = [];
  let hasThirdParty = false;
  const note = (family: ImportFamily, module: string | undefined): void => {
    if (!module) return;
    importCount++;
    if (isStandardModule(family, module)) return;
    hasThirdParty = true;
    const name = module.replace(/^[<"]/, '');
    if (thirdParty.length < 5 && !thirdParty.includes(name)) thirdParty.push(name);
  };
  for (const [family, pattern] of IMPORT_PATTERNS) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(sample); match !== null; match = pattern.exec(sample))
      note(family, match[1] ?? match[2]);
  }
  GO_IMPORT_BLOCK.lastIndex = 0;
  for (
    let match = GO_IMPORT_BLOCK.exec(sample);
    match !== null;
    match = GO_IMPORT_BLOCK.exec(sample)
  ) {
    if (match[2] !== undefined) note('go', match[2]);
    else {
      QUOTED.lastIndex = 0;
      for (let inner = QUOTED.exec(match[1]!); inner !== null; inner = QUOTED.exec(match[1]!))
        note('go', inner[1]);
    }
  }
  const importsKind: ImportsKind =
    importCount === 0 ? 'none' : hasThirdParty ? 'third-party' : 'standard-library';
  return {
    languages,
    importsKind,
    importCount,
    thirdParty,
    externalApiCalls: words.apiCalls,
    nestingDepth: words.nestingDepth,
  };
}

/** Deepest bracket nesting, or indentation depth (4 spaces or a tab per level) where deeper. */
export function nestingDepth(text: string): number {
  return scanWords(text).nestingDepth;
}
