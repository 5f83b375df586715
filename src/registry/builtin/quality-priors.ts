import type { ProgrammingLanguage, QualityPrior } from '../catalog-types.js';

/**
 * Published pass@1 figures (percent) for the built-in models, copied from the shared data file
 * `quality-priors.md` with their source letters expanded. Sources disagree and bunch at the top:
 * use them for ordering and let measured outcomes override them.
 */
export const SOURCES = {
  Q: 'Q: Qwen2.5-Coder Technical Report (v3), Table 17 (MultiPL-E, instruct format)',
  D: 'D: DeepSeek-Coder-V2 paper, Table 3 (greedy decoding)',
  M: 'M: McEval leaderboard, "Complete" tab (about 50 problems per language)',
  AIDER: 'Aider polyglot leaderboard (225 exercises, pass rate after two tries)',
  DEEPSEEK_V3: 'DeepSeek-V3 README, HumanEval-Mul',
  EVALPLUS: 'EvalPlus leaderboard',
} as const;

const BENCHMARK_Q = 'MultiPL-E HumanEval (instruct)';
const BENCHMARK_D = 'Multilingual HumanEval';
const BENCHMARK_M = 'McEval Complete';
const LANGUAGES: readonly ProgrammingLanguage[] = [
  'python',
  'java',
  'cpp',
  'typescript',
  'javascript',
];

/** One row of per-language figures: Py, Java, C++, TS, JS. */
function row(
  subject: string,
  benchmark: string,
  source: string,
  figures: readonly number[],
): QualityPrior[] {
  return figures.map((passAt1, index) => ({
    benchmark,
    language: LANGUAGES[index]!,
    passAt1,
    subject,
    source,
  }));
}

function single(
  subject: string,
  benchmark: string,
  source: string,
  passAt1: number,
  language?: ProgrammingLanguage,
): QualityPrior {
  return language === undefined
    ? { benchmark, passAt1, subject, source }
    : { benchmark, language, passAt1, subject, source };
}

export const QWEN_CODER_7B_PRIORS: readonly QualityPrior[] = row(
  'Qwen2.5-Coder-7B-Instruct',
  BENCHMARK_Q,
  SOURCES.Q,
  [87.8, 76.5, 75.6, 81.8, 83.2],
);

export const QWEN_CODER_32B_PRIORS: readonly QualityPrior[] = [
  ...row('Qwen2.5-Coder-32B-Instruct', BENCHMARK_Q, SOURCES.Q, [92.7, 80.4, 79.5, 86.8, 85.7]),
  single('Qwen2.5-Coder-32B-Instruct', 'Aider polyglot', SOURCES.AIDER, 16.4),
  single('Qwen2.5-Coder-32B-Instruct', 'HumanEval+', SOURCES.EVALPLUS, 87.2, 'python'),
  single('Qwen2.5-Coder-32B-Instruct', 'MBPP+', SOURCES.EVALPLUS, 77.0, 'python'),
];

/** Measured on DeepSeek-V3 (0324 for Aider), earlier versions behind the `deepseek-chat` alias. */
export const DEEPSEEK_V3_PRIORS: readonly QualityPrior[] = [
  single('DeepSeek-V3 0324', 'Aider polyglot', SOURCES.AIDER, 55.1),
  single('DeepSeek-V3', 'HumanEval-Mul', SOURCES.DEEPSEEK_V3, 82.6),
  single('DeepSeek-V3', 'HumanEval+', SOURCES.EVALPLUS, 86.6, 'python'),
  single('DeepSeek-V3', 'MBPP+', SOURCES.EVALPLUS, 73.0, 'python'),
];

export const GPT_4O_PRIORS: readonly QualityPrior[] = [
  ...row('GPT-4o-2024-05-13', BENCHMARK_D, SOURCES.D, [91.0, 80.4, 87.0, 86.2, 87.6]),
  single('GPT-4o-2024-05-13', BENCHMARK_M, SOURCES.M, 62, 'go'),
  single('GPT-4o-2024-05-13', BENCHMARK_D, SOURCES.D, 80.1, 'rust'),
  ...row('GPT-4o-2024-08-06', BENCHMARK_Q, SOURCES.Q, [90.9, 83.5, 76.4, 83.6, 90.1]),
  single('GPT-4o-2024-08-06', 'Aider polyglot', SOURCES.AIDER, 23.1),
  single('GPT-4o', 'HumanEval-Mul', SOURCES.DEEPSEEK_V3, 80.5),
];

export const GPT_4O_MINI_PRIORS: readonly QualityPrior[] = [
  ...row('GPT-4o-mini', BENCHMARK_Q, SOURCES.Q, [87.2, 75.9, 77.6, 79.2, 81.4]),
  single('GPT-4o-mini', 'Aider polyglot', SOURCES.AIDER, 3.6),
];

/** Measured on Codestral-22B (D, M) and Codestral 25.01 (Aider); `codestral-latest` is newer. */
export const CODESTRAL_PRIORS: readonly QualityPrior[] = [
  ...row('Codestral-22B', BENCHMARK_D, SOURCES.D, [78.1, 71.5, 71.4, 72.3, 73.9]),
  single('Codestral-22B', BENCHMARK_M, SOURCES.M, 58, 'go'),
  single('Codestral-22B', BENCHMARK_D, SOURCES.D, 67.3, 'rust'),
  single('Codestral 25.01', 'Aider polyglot', SOURCES.AIDER, 11.1),
  single('Codestral', 'HumanEval+', SOURCES.EVALPLUS, 73.8, 'python'),
  single('Codestral', 'MBPP+', SOURCES.EVALPLUS, 61.9, 'python'),
];
