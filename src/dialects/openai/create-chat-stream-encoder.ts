import type { GatewayError } from '../../core/errors.js';
import type { StreamPart } from '../../core/response.js';
import { nowSeconds } from '../field-readers.js';
import type { EncodeContext, StreamEncoder } from '../types.js';
import { encodeErrorObject } from './encode-error.js';
import { encodeUsage } from './encode-usage.js';
import { chatFinishReason, type ChatFinishReason } from './finish-reason.js';

export interface OpenAIStreamOptions {
  /** The client sent `stream_options.include_usage: true`. */
  includeUsage: boolean;
}

/** The terminator every OpenAI stream ends with. */
export const DONE_EVENT = 'data: [DONE]\n\n';

/** An in-stream error the openai SDK turns into an APIError. */
export function encodeStreamError(error: GatewayError): string {
  return `data: ${JSON.stringify({ error: encodeErrorObject(error) })}\n\n`;
}

/** The delta that opens every choice, as OpenAI sends it. */
const ROLE_DELTA = '{"role":"assistant","content":""}';
const EMPTY_DELTA = '{}';

/**
 * Canonical stream parts → `chat.completion.chunk` SSE events. Every chunk carries the same
 * id/created/model. Each choice opens with a `{role: 'assistant', content: ''}` delta before its
 * first content, as OpenAI does. A choice that never got a `finish` is finished with `stop` before
 * the usage chunk or `[DONE]`, so SDK accumulators always see a finish_reason.
 *
 * Chunks are written as text around JSON.stringify of the dynamic values only: the constant
 * head (`data: {"id":…,"object":…,"created":…,"model":…,"choices":[{"index":N,"delta":`) is built
 * once per stream and choice. Output is byte for byte what JSON.stringify of the whole chunk
 * object (keys in OpenAI's order) gives.
 */
export function createChatStreamEncoder(
  context: EncodeContext,
  options: OpenAIStreamOptions,
): StreamEncoder {
  let id = '';
  let created = 0;
  /** `data: {"id":…,"model":…,` once the id is known. */
  let head = '';
  /** Per choice index: the head up to and including `"delta":`. */
  const choiceHeads: string[] = [];
  const tail = `,"logprobs":null,"finish_reason":null}]${options.includeUsage ? ',"usage":null' : ''}}\n\n`;
  const opened: boolean[] = [];
  const finished: boolean[] = [];
  let anyOpened = false;

  function identify(partId: string, partCreated: number): void {
    if (id !== '') return;
    id = partId || `chatcmpl-${context.requestId}`;
    created = partCreated || nowSeconds();
    head = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${JSON.stringify(created)},"model":${JSON.stringify(context.model)},`;
  }

  /** One chunk with a delta given as JSON text; finish_reason is null unless given. */
  function chunk(index: number, delta: string, finishReason?: ChatFinishReason): string {
    identify('', 0);
    let choiceHead = choiceHeads[index];
    if (choiceHead === undefined) {
      choiceHead = `${head}"choices":[{"index":${JSON.stringify(index)},"delta":`;
      choiceHeads[index] = choiceHead;
    }
    if (finishReason === undefined) return choiceHead + delta + tail;
    const usage = options.includeUsage ? ',"usage":null' : '';
    return `${choiceHead}${delta},"logprobs":null,"finish_reason":${JSON.stringify(finishReason)}}]${usage}}\n\n`;
  }

  /** A chunk with an empty delta that carries the log probabilities of the tokens before it. */
  function logprobsChunk(index: number, logprobs: unknown): string {
    identify('', 0);
    return `${head}"choices":[{"index":${JSON.stringify(index)},"delta":{},"logprobs":${JSON.stringify(logprobs)},"finish_reason":null}]${options.includeUsage ? ',"usage":null' : ''}}\n\n`;
  }

  /** The role chunk for a choice, the first time the choice shows up. */
  function open(index: number): string {
    if (opened[index] === true) return '';
    opened[index] = true;
    anyOpened = true;
    return chunk(index, ROLE_DELTA);
  }

  function finishDangling(): string {
    let text = anyOpened ? '' : open(0);
    for (let index = 0; index < opened.length; index++) {
      if (opened[index] === true && finished[index] !== true) {
        finished[index] = true;
        text += chunk(index, EMPTY_DELTA, 'stop');
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
          return open(part.index) + chunk(part.index, `{"content":${JSON.stringify(part.text)}}`);
        case 'reasoning-delta':
          if (part.text === '') return open(part.index);
          return (
            open(part.index) +
            chunk(part.index, `{"reasoning_content":${JSON.stringify(part.text)}}`)
          );
        case 'logprobs':
          return open(part.index) + logprobsChunk(part.index, part.logprobs);
        case 'reasoning-signature':
        case 'reasoning-redacted':
        case 'reasoning-encrypted':
          // Chat completions have no place for a provider's reasoning signatures or encrypted
          // items; their text came as deltas.
          return open(part.index);
        case 'tool-call-start': {
          const call = {
            index: part.toolIndex,
            id: part.id,
            type: 'function',
            function: { name: part.name, arguments: '' },
          };
          return open(part.index) + chunk(part.index, `{"tool_calls":[${JSON.stringify(call)}]}`);
        }
        case 'tool-call-delta': {
          if (part.argumentsDelta === '') return open(part.index);
          const call = `{"index":${JSON.stringify(part.toolIndex)},"function":{"arguments":${JSON.stringify(part.argumentsDelta)}}}`;
          return open(part.index) + chunk(part.index, `{"tool_calls":[${call}]}`);
        }
        case 'finish': {
          if (finished[part.index] === true) return '';
          const text = open(part.index);
          finished[part.index] = true;
          return text + chunk(part.index, EMPTY_DELTA, chatFinishReason(part.finishReason));
        }
        case 'usage': {
          const text = finishDangling();
          if (!options.includeUsage) return text;
          return `${text}${head}"choices":[],"usage":${JSON.stringify(encodeUsage(part.usage))}}\n\n`;
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
