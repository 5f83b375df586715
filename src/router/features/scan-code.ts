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
  python: 'python', py: 'python', python3: 'python',
  typescript: 'typescript', ts: 'typescript', tsx: 'typescript',
  javascript: 'javascript', js: 'javascript', jsx: 'javascript', node: 'javascript', nodejs: 'javascript',
  go: 'go', golang: 'go',
  rust: 'rust', rs: 'rust',
  java: 'java',
  cpp: 'cpp', 'c++': 'cpp', cxx: 'cpp', cc: 'cpp',
};

/** Syntax that (nearly) only one language writes; each match adds one point. */
const SIGNALS: ReadonlyArray<readonly [ProgrammingLanguage, RegExp]> = [
  ['python', /^[ \t]*(def [A-Za-z_]\w*\(.*\)( -> .+)?:|from [\w.]+ import |import [\w.]+[ \t]*$|elif |if __name__ == )|\bself\.|\bprint\(f?["']/gm],
  ['typescript', /\b(interface [A-Z]\w* \{|type [A-Z]\w* = |: (string|number|boolean|void)\b|as const\b|readonly \w+:|<[A-Z]\w*>\()/g],
  ['javascript', /\b(const \w+ = require\(|module\.exports|console\.log\(|document\.|addEventListener\(|=> \{)/g],
  ['go', /^package \w+$|\bfunc (\(\w+ \*?\w+\) )?\w+\(|:= |\bfmt\.\w+\(|\bgo func\b|\bchan \w+|\berr != nil\b/gm],
  ['rust', /\bfn \w+(<[^>]*>)?\(|\blet mut\b|\bimpl(<[^>]*>)? \w+|\buse (std|crate)::|\b\w+!\(|&mut \w+|\bOption<|\bResult<|->\s*Self\b/g],
  ['java', /\b(public (static |final )*(class|void|int|String)|System\.out\.|import java\.|private final |@Override\b|new ArrayList<)/g],
  ['cpp', /#include\s*<\w+(\.h)?>|\bstd::|\bint main\s*\(|\bcout\s*<<|\btemplate\s*<|\bnullptr\b|->\w+\(/g],
];

const FENCE = /```[ \t]*([A-Za-z+#]+)/g;
const NAMED = /\b(?:in|using|with|for)\s+(python|typescript|javascript|golang|go|rust|java|c\+\+|node(?:js)?)\b/gi;

const IMPORT_PATTERNS: ReadonlyArray<readonly [ImportFamily, RegExp]> = [
  ['python', /^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([\w.]+)(?:[ \t]+as[ \t]+\w+)?[ \t]*$)/gm],
  ['javascript', /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\(\s*)['"]([^'"\n]+)['"]|^[ \t]*import\s+['"]([^'"\n]+)['"]\s*;/gm],
  ['java', /^[ \t]*import[ \t]+(?:static[ \t]+)?([\w.]+(?:\.\*)?);/gm],
  ['rust', /^[ \t]*(?:pub[ \t]+)?(?:use[ \t]+([\w:]+)|extern[ \t]+crate[ \t]+(\w+))/gm],
  ['cpp', /^[ \t]*#include[ \t]*([<"][^>"\n]+)[>"]/gm],
];
const GO_IMPORT_BLOCK = /^import\s*\(([^)]*)\)|^import\s+(?:\w+\s+)?"([^"]+)"/gm;
const QUOTED = /"([^"\n]+)"/g;

const API_CALL = /\b(?:requests\.(?:get|post|put|patch|delete|request)\(|fetch\(|axios[.(]|httpx\.|aiohttp\.|urllib\.request|http\.(?:Get|Post|NewRequest)\(|HttpClient\b|reqwest::|boto3\.|XMLHttpRequest\b|\.getForObject\()|['"`]https?:\/\/[^\s'"`]+/g;

function count(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let matches = 0;
  while (pattern.exec(text) !== null) matches++;
  return matches;
}

/**
 * Scans a bounded sample of the prompt (the caller picks it) with a fixed set of regular
 * expressions and one pass over its characters: time depends on the sample size, never on
 * the prompt size.
 */
export function scanCode(sample: string): CodeScan {
  const scores = new Map<ProgrammingLanguage, number>();
  const add = (language: ProgrammingLanguage | undefined, points: number): void => {
    if (language && points > 0) scores.set(language, (scores.get(language) ?? 0) + points);
  };
  for (const pattern of [FENCE, NAMED]) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(sample); match !== null; match = pattern.exec(sample)) add(LANGUAGE_ALIASES[match[1]!.toLowerCase()], 5);
  }
  for (const [language, pattern] of SIGNALS) add(language, count(pattern, sample));
  // TypeScript is JavaScript with types: its evidence counts for both, JavaScript's does not count for it.
  if ((scores.get('typescript') ?? 0) > 0) add('typescript', scores.get('javascript') ?? 0);
  const ranked = [...scores].filter(([, score]) => score >= 2).sort((a, b) => b[1] - a[1]);
  const languages = ranked.map(([language]) => language);
  if (languages.includes('typescript') && languages.includes('javascript')) languages.splice(languages.indexOf('javascript'), 1);

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
    for (let match = pattern.exec(sample); match !== null; match = pattern.exec(sample)) note(family, match[1] ?? match[2]);
  }
  GO_IMPORT_BLOCK.lastIndex = 0;
  for (let match = GO_IMPORT_BLOCK.exec(sample); match !== null; match = GO_IMPORT_BLOCK.exec(sample)) {
    if (match[2] !== undefined) note('go', match[2]);
    else {
      QUOTED.lastIndex = 0;
      for (let inner = QUOTED.exec(match[1]!); inner !== null; inner = QUOTED.exec(match[1]!)) note('go', inner[1]);
    }
  }
  const importsKind: ImportsKind = importCount === 0 ? 'none' : hasThirdParty ? 'third-party' : 'standard-library';
  return { languages, importsKind, importCount, thirdParty, externalApiCalls: count(API_CALL, sample), nestingDepth: nestingDepth(sample) };
}

/** Deepest bracket nesting, or indentation depth (4 spaces or a tab per level) where deeper. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let indent = 0;
  let atLineStart = true;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (atLineStart) {
      if (code === 32) { indent++; continue; }
      if (code === 9) { indent += 4; continue; }
      atLineStart = false;
      if (code !== 10) {
        const level = indent >> 2;
        if (level > deepest && level <= 40) deepest = level;
      }
    }
    if (code === 123 || code === 40 || code === 91) {
      if (++depth > deepest) deepest = depth;
    } else if (code === 125 || code === 41 || code === 93) {
      if (depth > 0) depth--;
    } else if (code === 10) {
      atLineStart = true;
      indent = 0;
    }
  }
  return deepest;
}
