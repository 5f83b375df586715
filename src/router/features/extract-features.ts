import type { ProgrammingLanguage } from '../../registry/catalog-types.js';
import type { CanonicalRequest, ChatRequest, Message } from '../../core/request.js';
import { classifyTask, type TaskKind } from './classify-task.js';
import { scanCode, type ImportsKind } from './scan-code.js';

/** What the router knows about a request: everything a policy rule can test. */
export interface RequestFeatures {
  /** Estimated prompt tokens (characters / 4 plus chat framing): no tokenizer on the hot path. */
  promptTokens: number;
  /** Expected answer tokens: a per-task estimate, informed by earlier answers, capped by max_tokens, times n. */
  expectedOutputTokens: number;
  /** Detected programming languages, strongest evidence first. */
  languages: ProgrammingLanguage[];
  /** `none`, only the language's `standard-library`, or any `third-party` module. */
  imports: ImportsKind;
  importCount: number;
  thirdPartyModules: string[];
  /** HTTP client calls and quoted URLs in the code. */
  externalApiCalls: number;
  nestingDepth: number;
  /** Fill-in-the-middle: a completion with `suffix`. */
  fim: boolean;
  tools: boolean;
  json: boolean;
  task: TaskKind;
  /** 0 (trivial) … 1 (hard): from the task kind, size, nesting, imports and API calls. */
  difficulty: number;
  /** Earlier assistant turns in the conversation. */
  historyTurns: number;
  /** Prompt tokens before the last user message (a provider's prefix cache may hold them). */
  cacheablePromptTokens: number;
}

/** Characters of the prompt that the code scan reads: bounded, so cost does not grow with the prompt. */
export const SCAN_HEAD_CHARACTERS = 6_000;
export const SCAN_TAIL_CHARACTERS = 2_000;
const INSTRUCTION_CHARACTERS = 1_500;
const CHARACTERS_PER_TOKEN = 4;
const TOKENS_PER_MESSAGE = 3;

const TASK_DIFFICULTY: Readonly<Record<TaskKind, number>> = {
  naming: 0.05,
  docstring: 0.1,
  'test-stub': 0.25,
  completion: 0.25,
  general: 0.35,
  refactor: 0.45,
  'bug-fix': 0.5,
  algorithm: 0.6,
  'system-level': 0.8,
};
const TASK_OUTPUT_TOKENS: Readonly<Record<TaskKind, number>> = {
  naming: 40,
  docstring: 200,
  'test-stub': 500,
  completion: 150,
  general: 400,
  refactor: 700,
  'bug-fix': 500,
  algorithm: 450,
  'system-level': 800,
};

/** Head and tail of a long text: what the instruction and the code around the cursor usually are. */
function bounded(text: string, head: number, tail: number): string {
  return text.length <= head + tail
    ? text
    : `${text.slice(0, head)}\n${text.slice(text.length - tail)}`;
}

function messageText(message: Message): string {
  if (message.role !== 'user') return message.content;
  if (message.content.length === 1 && message.content[0]!.type === 'text')
    return message.content[0]!.text;
  let text = '';
  for (const part of message.content)
    if (part.type === 'text') text += text === '' ? part.text : `\n${part.text}`;
  return text;
}

interface Texts {
  totalCharacters: number;
  cacheableCharacters: number;
  sample: string;
  instruction: string;
  answerCharacters: number;
  answers: number;
  messages: number;
}

function chatTexts(request: ChatRequest): Texts {
  let totalCharacters = 0;
  let lastUser = -1;
  let answerCharacters = 0;
  let answers = 0;
  const texts = request.messages.map((message, index) => {
    const text = messageText(message);
    totalCharacters += text.length;
    if (message.role === 'user') lastUser = index;
    if (message.role === 'assistant') {
      answers++;
      answerCharacters += text.length;
      for (const call of message.toolCalls ?? [])
        totalCharacters += call.arguments.length + call.name.length;
    }
    return text;
  });
  let cacheableCharacters = 0;
  for (let index = 0; index < lastUser; index++) cacheableCharacters += texts[index]!.length;
  const last = lastUser >= 0 ? texts[lastUser]! : (texts.at(-1) ?? '');
  // The leading system messages (an Anthropic system prompt in blocks is one message per block).
  let systemEnd = 0;
  while (request.messages[systemEnd]?.role === 'system') systemEnd++;
  const system = texts.slice(0, systemEnd).join('\n');
  for (const tool of request.tools ?? [])
    totalCharacters += tool.name.length + (tool.description?.length ?? 0) + 200;
  if (request.responseFormat?.type === 'json_schema') totalCharacters += 400;
  const sample = `${bounded(system, 1_000, 0)}\n${bounded(last, SCAN_HEAD_CHARACTERS, SCAN_TAIL_CHARACTERS)}`;
  const instruction = `${bounded(system, 500, 0)}\n${bounded(last, INSTRUCTION_CHARACTERS, 500)}`;
  return {
    totalCharacters,
    cacheableCharacters,
    sample,
    instruction,
    answerCharacters,
    answers,
    messages: request.messages.length,
  };
}

/**
 * Extracts the routing features in one bounded pass: sizes come from string lengths (O(messages)),
 * the code scan and task classification read at most ~9k characters of the last user message
 * and the system prompt, so a 100k-token prompt costs about what a 4k-token one does.
 */
export function extractFeatures(request: CanonicalRequest): RequestFeatures {
  let texts: Texts;
  let fim = false;
  if (request.kind === 'chat') texts = chatTexts(request);
  else {
    const prompt = request.prompt[0] ?? '';
    fim = request.suffix !== undefined && request.suffix !== '';
    let totalCharacters = request.suffix?.length ?? 0;
    for (const text of request.prompt) totalCharacters += text.length;
    texts = {
      totalCharacters,
      cacheableCharacters: 0,
      sample: `${bounded(prompt, SCAN_TAIL_CHARACTERS, SCAN_HEAD_CHARACTERS)}\n${bounded(request.suffix ?? '', 2_000, 0)}`,
      instruction: bounded(prompt, INSTRUCTION_CHARACTERS, 500),
      answerCharacters: 0,
      answers: 0,
      messages: 0,
    };
  }
  const scan = scanCode(texts.sample);
  const tools =
    request.kind === 'chat' && (request.tools?.length ?? 0) > 0 && request.toolChoice !== 'none';
  const json =
    request.kind === 'chat' &&
    request.responseFormat !== undefined &&
    request.responseFormat.type !== 'text';
  const task = classifyTask(texts.instruction.toLowerCase(), fim, request.kind === 'completion');
  const promptTokens =
    Math.ceil(texts.totalCharacters / CHARACTERS_PER_TOKEN) +
    (texts.messages > 0 ? texts.messages * TOKENS_PER_MESSAGE + TOKENS_PER_MESSAGE : 0);

  let expected = TASK_OUTPUT_TOKENS[task];
  if (task === 'refactor')
    expected = Math.min(4_000, Math.max(expected, Math.ceil(promptTokens * 0.8)));
  if (texts.answers > 0)
    expected = Math.round(
      (expected + texts.answerCharacters / texts.answers / CHARACTERS_PER_TOKEN) / 2,
    );
  if (request.maxTokens !== undefined) expected = Math.min(expected, request.maxTokens);
  expected =
    Math.max(1, expected) *
    (request.n ?? 1) *
    (request.kind === 'completion' ? Math.max(1, request.prompt.length) : 1);

  let difficulty = TASK_DIFFICULTY[task];
  difficulty += Math.min(0.15, (promptTokens / 20_000) * 0.15);
  difficulty += Math.min(0.1, Math.max(0, scan.nestingDepth - 3) * 0.03);
  if (scan.importsKind === 'third-party') difficulty += 0.05;
  if (scan.externalApiCalls > 0) difficulty += 0.05;
  if (tools || json) difficulty += 0.05;

  return {
    promptTokens,
    expectedOutputTokens: expected,
    languages: scan.languages,
    imports: scan.importsKind,
    importCount: scan.importCount,
    thirdPartyModules: scan.thirdParty,
    externalApiCalls: scan.externalApiCalls,
    nestingDepth: scan.nestingDepth,
    fim,
    tools,
    json,
    task,
    difficulty: Math.round(Math.min(1, difficulty) * 100) / 100,
    historyTurns: texts.answers,
    cacheablePromptTokens: Math.ceil(texts.cacheableCharacters / CHARACTERS_PER_TOKEN),
  };
}
