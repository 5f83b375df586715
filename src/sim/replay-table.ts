import { hashText } from './hash-text.js';
import { tokenize } from './generate-tokens.js';
import type { SimChoicePlan } from './plan-response.js';
import type { PreparedRequest } from './prepared-request.js';

/**
 * Replay of recorded answers: when a chat or messages request's last user message and model
 * match an entry, the simulator answers with the recorded text and reports the recorded token
 * counts (so the gateway costs it as the recorded answer was billed), instead of generating one.
 * Used by the routing benchmark (`bench/routing/`) to serve RouterBench's real answers.
 */

/** One recorded answer of one model to one prompt. */
export interface SimReplayAnswer {
  /** The answer text, sent as the assistant's content. */
  text: string;
  /** Reported prompt tokens; default: the simulator's own estimate of the request. */
  promptTokens?: number;
  /** Reported completion tokens; default: the number of tokens of `text`. */
  completionTokens?: number;
}

/** The lookup key: the model name and a hash of the prompt text (trimmed). */
export function replayKey(model: string, promptText: string): string {
  return `${model}\n${hashText(promptText.trim())}`;
}

/** Recorded answers keyed by (model, prompt text). Fill it before requests arrive: planned answers are cached per body. */
export class SimReplayTable {
  private readonly entries = new Map<string, SimReplayAnswer>();

  set(model: string, promptText: string, answer: SimReplayAnswer): void {
    if (
      answer.promptTokens !== undefined &&
      !(Number.isInteger(answer.promptTokens) && answer.promptTokens >= 0)
    ) {
      throw new Error(`replay answer for ${model}: promptTokens must be a non-negative integer`);
    }
    if (
      answer.completionTokens !== undefined &&
      !(Number.isInteger(answer.completionTokens) && answer.completionTokens >= 1)
    ) {
      throw new Error(`replay answer for ${model}: completionTokens must be a positive integer`);
    }
    this.entries.set(replayKey(model, promptText), answer);
  }

  get(model: string, promptText: string): SimReplayAnswer | undefined {
    return this.entries.get(replayKey(model, promptText));
  }

  get size(): number {
    return this.entries.size;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of the last `user` message of an OpenAI chat or Anthropic messages body (string or text parts). */
export function lastUserText(body: unknown): string | undefined {
  if (!isRecord(body) || !Array.isArray(body['messages'])) return undefined;
  const messages = body['messages'];
  for (let index = messages.length - 1; index >= 0; index--) {
    const message: unknown = messages[index];
    if (!isRecord(message) || message['role'] !== 'user') continue;
    const content = message['content'];
    if (typeof content === 'string') return content;
    if (!Array.isArray(content)) return undefined;
    const texts: string[] = [];
    for (const part of content)
      if (isRecord(part) && part['type'] === 'text' && typeof part['text'] === 'string')
        texts.push(part['text']);
    return texts.join('\n');
  }
  return undefined;
}

function replayChoice(answer: SimReplayAnswer, maxTokens: number): SimChoicePlan {
  const tokens = tokenize(answer.text);
  const recorded = answer.completionTokens ?? Math.max(1, tokens.length);
  if (recorded <= maxTokens)
    return { reasoning: [], content: tokens, finish: 'stop', completionTokens: recorded };
  // Capped by max_tokens: keep the same share of the text as of the recorded tokens.
  const kept = tokens.slice(0, Math.floor((tokens.length * maxTokens) / recorded));
  return { reasoning: [], content: kept, finish: 'length', completionTokens: maxTokens };
}

/**
 * The prepared request answered from the table when its model and last user message have an
 * entry (plain text answers only: JSON mode and tool calls keep the generated answer).
 */
export function applyReplay(
  table: SimReplayTable,
  prepared: PreparedRequest,
  body: unknown,
): PreparedRequest {
  if (prepared.endpoint === 'completion' || prepared.jsonMode || table.size === 0) return prepared;
  if (prepared.choices.some((choice) => choice.toolCall !== undefined)) return prepared;
  const prompt = lastUserText(body);
  if (prompt === undefined) return prepared;
  const answer = table.get(prepared.model.name, prompt);
  if (answer === undefined) return prepared;
  const maxTokens = isRecord(body) ? readMaxTokens(body) : undefined;
  const choice = replayChoice(answer, maxTokens ?? Number.MAX_SAFE_INTEGER);
  return {
    ...prepared,
    choices: prepared.choices.map(() => choice),
    promptTokens: answer.promptTokens ?? prepared.promptTokens,
  };
}

function readMaxTokens(body: Record<string, unknown>): number | undefined {
  for (const key of ['max_completion_tokens', 'max_tokens']) {
    const value = body[key];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  return undefined;
}
