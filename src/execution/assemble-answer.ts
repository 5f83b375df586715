import type { Choice, ModelResponse, StreamPart } from '../core/response.js';

/** The whole answer a complete stream carried, for checking it like a non-streamed one. */
export function assembleAnswer(batches: readonly (readonly StreamPart[])[]): ModelResponse {
  const answer: ModelResponse = { id: '', model: '', created: 0, choices: [] };
  const choices = new Map<number, Choice>();
  const choice = (index: number): Choice => {
    let found = choices.get(index);
    if (!found) {
      found = { index, text: '', toolCalls: [], finishReason: 'stop' };
      choices.set(index, found);
    }
    return found;
  };
  const toolCalls = new Map<string, { id: string; name: string; arguments: string }>();
  for (const batch of batches) {
    for (const part of batch) {
      switch (part.type) {
        case 'start':
          answer.id = part.id;
          answer.model = part.model;
          answer.created = part.created;
          break;
        case 'text-delta':
          choice(part.index).text += part.text;
          break;
        case 'reasoning-delta':
        case 'reasoning-signature':
        case 'reasoning-redacted':
        case 'logprobs':
        case 'reasoning-encrypted':
          break;
        case 'tool-call-start': {
          const call = { id: part.id, name: part.name, arguments: '' };
          toolCalls.set(`${part.index}:${part.toolIndex}`, call);
          choice(part.index).toolCalls.push(call);
          break;
        }
        case 'tool-call-delta': {
          const call = toolCalls.get(`${part.index}:${part.toolIndex}`);
          if (call) call.arguments += part.argumentsDelta;
          break;
        }
        case 'finish':
          choice(part.index).finishReason = part.finishReason;
          break;
        case 'usage':
          answer.usage = part.usage;
          break;
      }
    }
  }
  answer.choices = [...choices.values()].sort((a, b) => a.index - b.index);
  return answer;
}
