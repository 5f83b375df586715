import { createSeededRandom, hashText, randomIdText, type SeededRandom } from './hash-text.js';
import { generateFromSchema } from './generate-from-schema.js';
import {
  codeSnippet,
  generateChatTokens,
  generateCompletionTokens,
  generateReasoningTokens,
  tokenize,
  type SimLanguage,
} from './generate-tokens.js';

/** What to answer, extracted by a wire handler from its request: wire-independent. */
export interface SimPrompt {
  kind: 'chat' | 'completion';
  /** `[simulated <model> via <provider>] ` */
  prefix: string;
  /** Hash of the canonical request (stream flags excluded, directives stripped). */
  seed: number;
  language: SimLanguage;
  choiceCount: number;
  /** Cap on generated tokens per choice, reasoning included. */
  maxTokens: number;
  stop: string[];
  /** `[[sim:tokens=N]]` */
  targetTokens?: number;
  /** Emit reasoning tokens before the answer. */
  reasoning: boolean;
  /** Answer with a call to this tool. */
  tool?: {
    name: string;
    schema: unknown /** JSON text to send instead of generated arguments. */;
    arguments?: string;
  };
  /** JSON mode: `schema` absent means any JSON object. */
  json?: { schema?: unknown };
  /** `call_` (openai) or `toolu_01` (anthropic). */
  toolIdPrefix: string;
}

export interface SimToolCallPlan {
  id: string;
  name: string;
  /** The arguments JSON text, as tokens. */
  arguments: string[];
}

export interface SimChoicePlan {
  reasoning: string[];
  content: string[];
  toolCall?: SimToolCallPlan;
  finish: 'stop' | 'length' | 'tool_calls';
  stopSequence?: string;
  /** Tokens generated, reasoning included. */
  completionTokens: number;
}

function capTokens(tokens: string[], budget: number): { tokens: string[]; capped: boolean } {
  return tokens.length > budget
    ? { tokens: tokens.slice(0, Math.max(0, budget)), capped: true }
    : { tokens, capped: false };
}

/** Cuts tokens before the earliest stop sequence; undefined when none occurs. */
function applyStop(
  tokens: string[],
  stop: string[],
): { tokens: string[]; sequence: string } | undefined {
  if (stop.length === 0) return undefined;
  const text = tokens.join('');
  let position = -1;
  let sequence = '';
  for (const candidate of stop) {
    if (candidate === '') continue;
    const found = text.indexOf(candidate);
    if (found >= 0 && (position < 0 || found < position)) {
      position = found;
      sequence = candidate;
    }
  }
  if (position < 0) return undefined;
  const kept: string[] = [];
  let offset = 0;
  for (const token of tokens) {
    if (offset + token.length <= position) kept.push(token);
    else {
      if (position > offset) kept.push(token.slice(0, position - offset));
      break;
    }
    offset += token.length;
  }
  return { tokens: kept, sequence };
}

function jsonObjectText(prompt: SimPrompt, random: SeededRandom): string {
  if (prompt.json?.schema !== undefined)
    return JSON.stringify(generateFromSchema(prompt.json.schema, random));
  const snippet = codeSnippet(
    prompt.language,
    random.pick(['merge ranges', 'sum values', 'dedupe items']),
    random.integer(0, 1),
  );
  return JSON.stringify({
    language: prompt.language,
    summary: `${prompt.prefix.trim()} A small helper that solves the task.`,
    code: snippet,
    confidence: Math.round(random.next() * 100) / 100,
  });
}

function planChoice(prompt: SimPrompt, index: number): SimChoicePlan {
  const random = createSeededRandom(hashText(String(index), prompt.seed));
  const budget = prompt.maxTokens;
  const reasoning = prompt.reasoning
    ? capTokens(generateReasoningTokens(random, prompt.language, random.integer(10, 40)), budget)
    : { tokens: [], capped: false };
  const remaining = budget - reasoning.tokens.length;
  if (reasoning.capped)
    return {
      reasoning: reasoning.tokens,
      content: [],
      finish: 'length',
      completionTokens: reasoning.tokens.length,
    };

  if (prompt.tool !== undefined) {
    const argumentTokens = tokenize(
      prompt.tool.arguments ?? JSON.stringify(toolArguments(prompt.tool.schema, random)),
    );
    const capped = capTokens(argumentTokens, remaining);
    return {
      reasoning: reasoning.tokens,
      content: [],
      toolCall: {
        id: prompt.toolIdPrefix + randomIdText(random, 24),
        name: prompt.tool.name,
        arguments: capped.tokens,
      },
      finish: capped.capped ? 'length' : 'tool_calls',
      completionTokens: reasoning.tokens.length + capped.tokens.length,
    };
  }

  let full: string[];
  if (prompt.json !== undefined) full = tokenize(jsonObjectText(prompt, random));
  else {
    // Generation is prefix-stable, so producing one token past the budget is enough to know it was capped.
    const length = Math.min(prompt.targetTokens ?? random.integer(20, 120), remaining + 1);
    full =
      prompt.kind === 'chat'
        ? generateChatTokens(random, prompt.prefix, prompt.language, length)
        : generateCompletionTokens(random, prompt.prefix, prompt.language, length);
  }
  const capped = capTokens(full, remaining);
  const stopped = applyStop(capped.tokens, prompt.stop);
  const content = stopped?.tokens ?? capped.tokens;
  const choice: SimChoicePlan = {
    reasoning: reasoning.tokens,
    content,
    finish: stopped === undefined && capped.capped ? 'length' : 'stop',
    completionTokens: reasoning.tokens.length + content.length,
  };
  if (stopped !== undefined) choice.stopSequence = stopped.sequence;
  return choice;
}

/** The whole answer, a pure function of the prompt. */
export function planResponse(prompt: SimPrompt): SimChoicePlan[] {
  const choices: SimChoicePlan[] = [];
  for (let index = 0; index < prompt.choiceCount; index++) choices.push(planChoice(prompt, index));
  return choices;
}

/** A copy whose JSON (content in JSON mode, tool arguments) is truncated, so it does not parse. */
export function breakJson(choices: SimChoicePlan[], jsonMode: boolean): SimChoicePlan[] {
  const truncate = (tokens: string[]): string[] =>
    tokens.slice(0, Math.max(1, Math.floor(tokens.length * 0.6)));
  return choices.map((choice) => {
    const broken: SimChoicePlan = { ...choice };
    if (jsonMode) broken.content = truncate(choice.content);
    if (choice.toolCall !== undefined)
      broken.toolCall = { ...choice.toolCall, arguments: truncate(choice.toolCall.arguments) };
    broken.completionTokens =
      choice.reasoning.length + broken.content.length + (broken.toolCall?.arguments.length ?? 0);
    return broken;
  });
}

/**
 * A tool call's arguments: a value for the tool's parameter schema, and always a JSON object, as
 * real models send (a schema that is not an object type, `{}` for one, gets `{}`).
 */
function toolArguments(schema: unknown, random: SeededRandom): Record<string, unknown> {
  const value = generateFromSchema(schema, random);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
