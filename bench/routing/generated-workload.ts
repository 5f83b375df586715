import { codeSnippet, estimateTokens } from '../../src/sim/generate-tokens.js';
import { createSeededRandom, hashText, type SeededRandom } from '../../src/sim/hash-text.js';
import { BENCH_MODELS, listCost } from './bench-fleet.js';
import {
  LANGUAGES,
  promptText,
  TASK_KINDS,
  TOPICS,
  type Language,
  type PromptShape,
  type TaskKind,
} from './generated-prompts.js';
import type { BenchTask, TaskOutcome, Workload } from './workload.js';

/**
 * The generated workload: prompts across five languages and eight task kinds, each with a hidden
 * difficulty. A model passes a task with probability sigmoid(SLOPE × (skill + language offset −
 * difficulty)), drawn once per (task, model) from the seed. The difficulty comes from the task
 * kind, the imports (external ones weigh more), the nesting, the size and a noise term the
 * prompt does not show; the router sees only the prompt.
 */

const SLOPE = 1.6;

/** Base difficulty per task kind (logit scale). */
const KIND_DIFFICULTY: Record<TaskKind, number> = {
  naming: -1.6,
  docstring: -1.2,
  'test-stub': -0.5,
  completion: -0.4,
  refactor: 0.3,
  'bug-fix': 0.6,
  algorithm: 1.0,
  'system-level': 1.4,
};
const LANGUAGE_DIFFICULTY: Record<Language, number> = {
  python: -0.2,
  typescript: 0,
  go: 0.1,
  rust: 0.4,
  java: 0,
};

/** Skill per model (logit scale): ordered like the models' MBPP pass rates, spread so the weakest pass the easy kinds. */
export const MODEL_SKILL: Record<string, number> = {
  'gpt-4-1106-preview': 2.1,
  'claude-v2': 1.5,
  'gpt-3.5-turbo-1106': 1.3,
  'claude-v1': 1.1,
  'claude-instant-v1': 0.9,
  'mistralai/mixtral-8x7b-chat': 0.6,
  'meta/code-llama-instruct-34b-chat': 0.5,
  'zero-one-ai/Yi-34B-Chat': 0.1,
  'meta/llama-2-70b-chat': 0,
  'WizardLM/WizardLM-13B-V1.2': -0.2,
  'mistralai/mistral-7b-chat': -0.4,
};
/** Per-model language strengths and weaknesses (added to the skill); unlisted = 0. */
export const LANGUAGE_SKILL: Record<string, Partial<Record<Language, number>>> = {
  'gpt-3.5-turbo-1106': { rust: -0.3 },
  'claude-instant-v1': { go: -0.2, typescript: 0.1 },
  'mistralai/mixtral-8x7b-chat': { go: -0.2, python: 0.1 },
  'meta/code-llama-instruct-34b-chat': { python: 0.4, rust: -0.4, java: 0.1 },
  'zero-one-ai/Yi-34B-Chat': { rust: -0.5, typescript: -0.2 },
  'meta/llama-2-70b-chat': { rust: -0.6, go: -0.3 },
  'WizardLM/WizardLM-13B-V1.2': { typescript: -0.3, python: 0.2 },
  'mistralai/mistral-7b-chat': { rust: -0.5, java: -0.2 },
};
/** Typical answer length per kind (tokens), before the model's verbosity. */
const ANSWER_TOKENS: Record<TaskKind, number> = {
  naming: 30,
  docstring: 90,
  'test-stub': 220,
  completion: 120,
  refactor: 320,
  'bug-fix': 200,
  algorithm: 300,
  'system-level': 380,
};
const VERBOSITY: Record<string, number> = {
  'gpt-4-1106-preview': 1.1,
  'claude-v2': 1.25,
  'claude-v1': 1.25,
  'claude-instant-v1': 1.1,
  'meta/llama-2-70b-chat': 1.3,
};

function gaussian(random: SeededRandom): number {
  const u = Math.max(random.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

function shapeFor(kind: TaskKind, language: Language, random: SeededRandom): PromptShape {
  const system = kind === 'system-level';
  const heavy = kind === 'algorithm' || kind === 'refactor' || kind === 'bug-fix';
  return {
    language,
    kind,
    standardImports: random.integer(0, system ? 3 : heavy ? 3 : 2),
    externalImports: system
      ? random.integer(1, 3)
      : random.integer(0, heavy ? 2 : 1) * (random.next() < 0.5 ? 1 : 0),
    nesting: random.integer(1, heavy ? 5 : system ? 4 : 3),
    width: random.integer(1, heavy || system ? 4 : 3),
    topic: random.pick(TOPICS),
  };
}

/** The hidden difficulty of a shape, with its noise term. */
export function difficultyOf(shape: PromptShape, noise: number): number {
  return (
    KIND_DIFFICULTY[shape.kind] +
    LANGUAGE_DIFFICULTY[shape.language] +
    0.35 * shape.externalImports +
    0.1 * shape.standardImports +
    0.3 * (shape.nesting - 1) +
    0.08 * shape.width * shape.nesting +
    noise
  );
}

export function passProbability(model: string, language: Language, difficulty: number): number {
  const skill = (MODEL_SKILL[model] ?? 0) + (LANGUAGE_SKILL[model]?.[language] ?? 0);
  return 1 / (1 + Math.exp(-SLOPE * (skill - difficulty)));
}

function answerText(model: string, shape: PromptShape, random: SeededRandom): string {
  const phrase = random.pick(['merge ranges', 'sum values', 'dedupe items', 'group by key']);
  const snippetLanguage = shape.language === 'java' ? 'java' : shape.language;
  return `Here is my answer (${model.replace(/^.*\//, '')}):\n\n\`\`\`${shape.language}\n${codeSnippet(snippetLanguage, phrase, random.integer(0, 1))}\n\`\`\``;
}

/** `count` tasks, deterministic in (count, seed): the same arguments always give the same prompts and outcomes. */
export function generateWorkload(count: number, seed: number): Workload {
  const tasks: BenchTask[] = [];
  for (let index = 0; index < count; index++) {
    const random = createSeededRandom(hashText(`generated task ${index}`, seed));
    const language = LANGUAGES[index % LANGUAGES.length]!;
    const kind = random.pick(TASK_KINDS);
    const shape = shapeFor(kind, language, random);
    const difficulty = difficultyOf(shape, 0.6 * gaussian(random));
    const prompt = promptText(shape, random);
    const promptTokens = estimateTokens(prompt);
    const id = `gen-${seed}-${index}`;
    const outcomes: Record<string, TaskOutcome> = {};
    for (const model of BENCH_MODELS) {
      const draw = createSeededRandom(hashText(`${id}|${model.name}`, seed));
      const passed = draw.next() < passProbability(model.name, language, difficulty);
      const completionTokens = Math.max(
        5,
        Math.round(ANSWER_TOKENS[kind] * (VERBOSITY[model.name] ?? 1) * (0.75 + 0.5 * draw.next())),
      );
      outcomes[model.name] = {
        passed,
        answer: answerText(model.name, shape, draw),
        promptTokens,
        completionTokens,
        costUsd: listCost(model, promptTokens, completionTokens),
      };
    }
    tasks.push({ id, prompt, group: `${language}/${kind}`, outcomes });
  }
  return {
    name: 'generated',
    description: `${count} generated prompts over ${LANGUAGES.length} languages × ${TASK_KINDS.length} task kinds; outcomes from per-model, per-language skill vs a hidden difficulty`,
    tasks,
  };
}
