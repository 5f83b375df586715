import type { ToolCall } from '../core/request.js';
import type { Choice, FinishReason, ModelResponse, StreamPart, Usage } from '../core/response.js';
import { ReasoningAccumulator, reasoningParts } from '../core/reasoning-blocks.js';
import { mergeLogprobs } from '../core/logprobs.js';

/**
 * A complete answer as stream parts, in the order a stream would carry them (start, per choice
 * reasoning, text, tool calls, finish, then usage), so a dialect's stream encoder turns a cached
 * or non-streamed answer into a well-formed stream of its own. `usage` stands in when the
 * response carries none (an estimate the gateway billed).
 */
export function responseToParts(
  response: ModelResponse,
  usage: Usage | undefined = response.usage,
): StreamPart[] {
  const parts: StreamPart[] = [
    { type: 'start', id: response.id, model: response.model, created: response.created },
  ];
  for (const choice of response.choices) {
    const index = choice.index;
    parts.push(...reasoningParts(choice));
    if (choice.text !== '' || choice.toolCalls.length === 0)
      parts.push({ type: 'text-delta', index, text: choice.text });
    choice.toolCalls.forEach((call, toolIndex) => {
      parts.push({ type: 'tool-call-start', index, toolIndex, id: call.id, name: call.name });
      if (call.arguments !== '')
        parts.push({ type: 'tool-call-delta', index, toolIndex, argumentsDelta: call.arguments });
    });
    if (choice.logprobs !== undefined)
      parts.push({ type: 'logprobs', index, logprobs: choice.logprobs });
    parts.push(
      choice.stopSequence === undefined
        ? { type: 'finish', index, finishReason: choice.finishReason }
        : {
            type: 'finish',
            index,
            finishReason: choice.finishReason,
            stopSequence: choice.stopSequence,
          },
    );
  }
  if (usage) parts.push({ type: 'usage', usage });
  return parts;
}

interface ChoiceState {
  text: string;
  reasoning: ReasoningAccumulator;
  logprobs?: unknown;
  toolCalls: ToolCall[];
  finishReason?: FinishReason;
  stopSequence?: string;
}

/**
 * Accumulates stream parts into the ModelResponse they spell out, so an answer first produced
 * as a stream can be stored and served to a non-streamed request.
 */
export class ResponseCollector {
  private id = '';
  private model = '';
  private created = 0;
  private readonly choices: ChoiceState[] = [];
  private usage: Usage | undefined;

  push(part: StreamPart): void {
    if (part.type === 'start') {
      this.id = part.id;
      this.model = part.model;
      this.created = part.created;
      return;
    }
    if (part.type === 'usage') {
      this.usage = part.usage;
      return;
    }
    const choice = (this.choices[part.index] ??= {
      text: '',
      reasoning: new ReasoningAccumulator(),
      toolCalls: [],
    });
    switch (part.type) {
      case 'text-delta':
        choice.text += part.text;
        break;
      case 'reasoning-delta':
      case 'reasoning-signature':
      case 'reasoning-redacted':
      case 'reasoning-encrypted':
        choice.reasoning.push(part);
        break;
      case 'logprobs':
        choice.logprobs = mergeLogprobs(choice.logprobs, part.logprobs);
        break;
      case 'tool-call-start':
        choice.toolCalls[part.toolIndex] = { id: part.id, name: part.name, arguments: '' };
        break;
      case 'tool-call-delta': {
        const call = (choice.toolCalls[part.toolIndex] ??= { id: '', name: '', arguments: '' });
        call.arguments += part.argumentsDelta;
        break;
      }
      case 'finish':
        choice.finishReason = part.finishReason;
        if (part.stopSequence !== undefined) choice.stopSequence = part.stopSequence;
        break;
    }
  }

  pushAll(parts: readonly StreamPart[]): void {
    for (const part of parts) this.push(part);
  }

  /** True when every choice seen got its finish part. */
  get complete(): boolean {
    return (
      this.choices.length > 0 &&
      this.choices.every((choice) => choice !== undefined && choice.finishReason !== undefined)
    );
  }

  response(): ModelResponse {
    const choices: Choice[] = [];
    this.choices.forEach((state, index) => {
      const choice: Choice = {
        index,
        text: state.text,
        toolCalls: state.toolCalls.filter((call) => call !== undefined),
        finishReason: state.finishReason ?? 'stop',
      };
      state.reasoning.applyTo(choice);
      if (state.logprobs !== undefined) choice.logprobs = state.logprobs;
      if (state.stopSequence !== undefined) choice.stopSequence = state.stopSequence;
      choices.push(choice);
    });
    const response: ModelResponse = {
      id: this.id,
      model: this.model,
      created: this.created,
      choices,
    };
    if (this.usage) response.usage = this.usage;
    return response;
  }
}

/** Characters of generated text (for estimating output tokens when usage is missing). */
export function answerCharacters(answer: ModelResponse): number {
  let characters = 0;
  for (const choice of answer.choices) {
    characters += choice.text.length + (choice.reasoning?.length ?? 0);
    for (const call of choice.toolCalls) characters += call.arguments.length;
  }
  return characters;
}
