import type { CanonicalRequest, ChatRequest, Message } from '../../core/request.js';
import type { Usage } from '../../core/response.js';
import { DEFAULT_MAX_TOKENIZED_CHARACTERS, TokenCounter } from './count-tokens.js';
import type { CountingMethod } from './count-tokens.js';

/**
 * Chat framing overhead per message and for priming the reply, as in OpenAI's token-counting
 * guide for GPT-4o-class models. Other vendors frame differently; the estimate stays approximate.
 */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_REPLY = 3;

export interface EstimatedUsage {
  usage: Usage;
  estimated: true;
  method: CountingMethod;
}

export interface EstimateOptions {
  /** Above this many characters the estimate counts characters / 4 (see count-tokens.ts). */
  maxTokenizedCharacters?: number;
}

/**
 * Estimates usage when the provider reported none: prompt tokens from the request (messages,
 * tool definitions, response schema; images are not counted) and output tokens from the answer
 * text. Hidden reasoning cannot be seen, so it is not counted. Always marked estimated.
 */
export function estimateUsage(
  request: CanonicalRequest,
  answerText = '',
  options: EstimateOptions = {},
): EstimatedUsage {
  const promptTexts =
    request.kind === 'chat' ? chatTexts(request) : [...request.prompt, request.suffix ?? ''];
  const totalCharacters =
    promptTexts.reduce((sum, text) => sum + text.length, 0) + answerText.length;
  const counter = new TokenCounter(
    totalCharacters,
    options.maxTokenizedCharacters ?? DEFAULT_MAX_TOKENIZED_CHARACTERS,
  );
  let inputTokens = promptTexts.reduce((sum, text) => sum + counter.count(text), 0);
  if (request.kind === 'chat')
    inputTokens += request.messages.length * TOKENS_PER_MESSAGE + TOKENS_PER_REPLY;
  return {
    usage: { inputTokens, outputTokens: counter.count(answerText) },
    estimated: true,
    method: counter.method,
  };
}

function chatTexts(request: ChatRequest): string[] {
  const texts = request.messages.flatMap(messageTexts);
  if (request.tools && request.tools.length > 0) texts.push(JSON.stringify(request.tools));
  if (request.responseFormat?.type === 'json_schema')
    texts.push(JSON.stringify(request.responseFormat.schema));
  return texts;
}

function messageTexts(message: Message): string[] {
  switch (message.role) {
    case 'system':
    case 'tool':
      return [message.content];
    case 'user':
      return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
    case 'assistant':
      return [
        message.content,
        ...(message.toolCalls ?? []).flatMap((call) => [call.name, call.arguments]),
      ];
  }
}
