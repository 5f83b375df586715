import type { GatewayError } from '../../spec/errors.js';
import type { StreamPart } from '../../spec/response.js';
import { nowSeconds } from '../field-readers.js';
import type { EncodeContext, StreamEncoder } from '../types.js';
import { encodeErrorObject } from './encode-error.js';
import { encodeUsage } from './encode-usage.js';
import { chatFinishReason, type ChatFinishReason } from './finish-reason.js';

export interface OpenAIStreamOptions {
  /** The client sent `stream_options.include_usage: true`. */
  includeUsage: boolean;
}

type Delta = Record<string, unknown>;

/** The terminator every OpenAI stream ends with. */
export const DONE_EVENT = 'data: [DONE]\n\n';

/** An in-stream error the openai SDK turns into an APIError. */
export function encodeStreamError(error: GatewayError): string {
  return `data: ${JSON.stringify({ error: encodeErrorObject(error) })}\n\n`;
}

/**
 * Canonical stream parts → `chat.completion.chunk` SSE events. Every chunk carries the same
 * id/created/model. Each choice opens with a `{role: 'assistant', content: ''}` delta before its
 * first content, as OpenAI does. A choice that never got a `finish` is finished with `stop` before
 * the usage chunk or `[DONE]`, so SDK accumulators always see a finish_reason.
 */
export function createChatStreamEncoder(context: EncodeContext, options: OpenAIStreamOptions): StreamEncoder {
  let id = '';
  let created = 0;
  const opened: boolean[] = [];
  const finished: boolean[] = [];
  let anyOpened = false;

  function identify(partId: string, partCreated: number): void {
    if (id !== '') return;
    id = partId || `chatcmpl-${context.requestId}`;
    created = partCreated || nowSeconds();
  }

  function chunk(index: number, delta: Delta, finishReason: ChatFinishReason | null): string {
    identify('', 0);
    const body: Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created,
      model: context.model,
      choices: [{ index, delta, logprobs: null, finish_reason: finishReason }],
    };
    if (options.includeUsage) body.usage = null;
    return `data: ${JSON.stringify(body)}\n\n`;
  }

  /** The role chunk for a choice, the first time the choice shows up. */
  function open(index: number): string {
    if (opened[index] === true) return '';
    opened[index] = true;
    anyOpened = true;
    return chunk(index, { role: 'assistant', content: '' }, null);
  }

  function finishDangling(): string {
    let text = anyOpened ? '' : open(0);
    for (let index = 0; index < opened.length; index++) {
      if (opened[index] === true && finished[index] !== true) {
        finished[index] = true;
        text += chunk(index, {}, 'stop');
      }
    }
    return text;
  }

  return {
    push(part: StreamPart): string {
      switch (part.type) {
        case 'start':
          identify(part.id, part.created);
          return open(0);
        case 'text-delta':
          if (part.text === '') return open(part.index);
          return open(part.index) + chunk(part.index, { content: part.text }, null);
        case 'reasoning-delta':
          if (part.text === '') return open(part.index);
          return open(part.index) + chunk(part.index, { reasoning_content: part.text }, null);
        case 'tool-call-start':
          return (
            open(part.index) +
            chunk(
              part.index,
              {
                tool_calls: [
                  { index: part.toolIndex, id: part.id, type: 'function', function: { name: part.name, arguments: '' } },
                ],
              },
              null,
            )
          );
        case 'tool-call-delta':
          if (part.argumentsDelta === '') return open(part.index);
          return (
            open(part.index) +
            chunk(part.index, { tool_calls: [{ index: part.toolIndex, function: { arguments: part.argumentsDelta } }] }, null)
          );
        case 'finish': {
          if (finished[part.index] === true) return '';
          const text = open(part.index);
          finished[part.index] = true;
          return text + chunk(part.index, {}, chatFinishReason(part.finishReason));
        }
        case 'usage': {
          const text = finishDangling();
          if (!options.includeUsage) return text;
          const body = {
            id,
            object: 'chat.completion.chunk',
            created,
            model: context.model,
            choices: [],
            usage: encodeUsage(part.usage),
          };
          return `${text}data: ${JSON.stringify(body)}\n\n`;
        }
      }
    },
    end(): string {
      return finishDangling() + DONE_EVENT;
    },
    error(error: GatewayError): string {
      return encodeStreamError(error);
    },
  };
}
