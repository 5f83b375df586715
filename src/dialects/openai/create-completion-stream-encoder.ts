import type { GatewayError } from '../../core/errors.js';
import type { StreamPart } from '../../core/response.js';
import { nowSeconds } from '../field-readers.js';
import type { EncodeContext, StreamEncoder } from '../types.js';
import {
  DONE_EVENT,
  encodeStreamError,
  type OpenAIStreamOptions,
} from './create-chat-stream-encoder.js';
import { encodeUsage } from './encode-usage.js';
import { completionFinishReason, type CompletionFinishReason } from './finish-reason.js';

/**
 * Canonical stream parts → legacy `text_completion` SSE chunks. Only text and finish parts
 * matter here (reasoning and tool parts have no place in this wire format and are dropped).
 * Usage, `[DONE]`, error and dangling-finish rules are those of the chat encoder, and so is the
 * way chunks are written (constant head built once, JSON.stringify of the dynamic values only).
 */
export function createCompletionStreamEncoder(
  context: EncodeContext,
  options: OpenAIStreamOptions,
): StreamEncoder {
  let id = '';
  let created = 0;
  /** `data: {"id":…,"model":…,` once the id is known. */
  let head = '';
  /** Per choice index: what follows the text up to finish_reason's value. */
  const choiceTails: string[] = [];
  const usageNull = options.includeUsage ? ',"usage":null' : '';
  const seen: boolean[] = [];
  const finished: boolean[] = [];
  let anySeen = false;

  function identify(partId: string, partCreated: number): void {
    if (id !== '') return;
    id = partId || `cmpl-${context.requestId}`;
    created = partCreated || nowSeconds();
    head = `data: {"id":${JSON.stringify(id)},"object":"text_completion","created":${JSON.stringify(created)},"model":${JSON.stringify(context.model)},`;
  }

  function chunk(index: number, text: string, finishReason: CompletionFinishReason | null): string {
    identify('', 0);
    seen[index] = true;
    anySeen = true;
    let choiceTail = choiceTails[index];
    if (choiceTail === undefined) {
      choiceTail = `,"index":${JSON.stringify(index)},"logprobs":null,"finish_reason":`;
      choiceTails[index] = choiceTail;
    }
    return `${head}"choices":[{"text":${JSON.stringify(text)}${choiceTail}${finishReason === null ? 'null' : JSON.stringify(finishReason)}}]${usageNull}}\n\n`;
  }

  function finishDangling(): string {
    if (!anySeen) seen[0] = true;
    let text = '';
    for (let index = 0; index < seen.length; index++) {
      if (seen[index] === true && finished[index] !== true) {
        finished[index] = true;
        text += chunk(index, '', 'stop');
      }
    }
    return text;
  }

  return {
    push(part: StreamPart): string {
      switch (part.type) {
        case 'start':
          identify(part.id, part.created);
          return '';
        case 'text-delta':
          return part.text === '' ? '' : chunk(part.index, part.text, null);
        case 'finish':
          if (finished[part.index] === true) return '';
          finished[part.index] = true;
          return chunk(part.index, '', completionFinishReason(part.finishReason));
        case 'usage': {
          const text = finishDangling();
          if (!options.includeUsage) return text;
          identify('', 0);
          return `${text}${head}"choices":[],"usage":${JSON.stringify(encodeUsage(part.usage))}}\n\n`;
        }
        default:
          return '';
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
