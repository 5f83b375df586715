import type { GatewayError } from '../../core/errors.js';
import type { FinishReason, StreamPart, Usage } from '../../core/response.js';
import type { EncodeContext, StreamEncoder } from '../types.js';
import {
  buildResponseObject,
  clientResponse,
  finalStatus,
  newItemId,
} from './build-response-object.js';
import { encryptedReasoning } from './reasoning-content.js';
import type { ResponsesCall } from './responses-call.js';
import {
  blockOf,
  closeItem,
  type OpenItem,
  openItem,
  type ReasoningEnd,
} from './responses-item-events.js';
import type { ItemStatus, OutputItem, ResponseObject } from './responses-types.js';

/**
 * Canonical stream parts → Responses SSE events, in the order OpenAI sends them:
 * `response.created`, `response.in_progress`; per output item `response.output_item.added`, its
 * content events (`content_part.added`, `output_text.delta`…, `output_text.done`,
 * `content_part.done`; `reasoning_summary_part.added`, `reasoning_summary_text.delta`…;
 * `function_call_arguments.delta`…, `.done`; `custom_tool_call_input.delta`, `.done`) and
 * `response.output_item.done`; then `response.completed` (or `response.incomplete`) with the
 * whole response and its usage. A failure after the first event is an `error` event followed by
 * `response.failed`. Every event carries a `sequence_number`.
 *
 * Text and reasoning items close when another item begins; tool calls stay open until the
 * generation finishes (their deltas may interleave). A custom tool's input arrives upstream as
 * the JSON arguments `{"input": "…"}`, so it is sent in one delta when the call completes.
 * `onFinal` receives the final response object as the client sees it (completed, incomplete or
 * failed) and its stored form, whose reasoning items always carry `encrypted_content`.
 *
 * Each reasoning block the upstream delimits (`reasoning-signature`, `reasoning-encrypted`,
 * `reasoning-redacted`) is one reasoning item, whose `encrypted_content` carries the block
 * (reasoning-content.ts); an encrypted item without text (an upstream that reasons without
 * showing it) gets an empty summary.
 */
export function createResponsesStreamEncoder(
  context: EncodeContext,
  call: ResponsesCall,
  onFinal?: (response: ResponseObject, stored: ResponseObject) => void,
): StreamEncoder {
  let sequence = 0;
  let started = false;
  let ended = false;
  const output: OutputItem[] = [];
  /** The open text or reasoning item. */
  let current: OpenItem | undefined;
  /** Open tool calls by their canonical tool index. */
  const tools = new Map<number, OpenItem>();
  let finishReason: FinishReason | undefined;
  let usage: Usage | undefined;

  function event(type: string, fields: Record<string, unknown>): string {
    const text = `event: ${type}\ndata: ${JSON.stringify({ type, ...fields, sequence_number: sequence })}\n\n`;
    sequence += 1;
    return text;
  }

  function snapshot(
    status: ResponseObject['status'],
    extra: { error?: GatewayError } = {},
  ): ResponseObject {
    return buildResponseObject(call, context.model, {
      status,
      output: [...output],
      ...(usage === undefined ? {} : { usage }),
      ...extra,
    });
  }

  function start(): string {
    if (started) return '';
    started = true;
    const response = clientResponse(snapshot('in_progress'), call);
    return event('response.created', { response }) + event('response.in_progress', { response });
  }

  const open = (entry: OpenItem): string => openItem(event, output, entry, call);
  const close = (entry: OpenItem, status: ItemStatus): string =>
    closeItem(event, output, entry, status, call);

  function closeCurrent(status: ItemStatus = 'completed'): string {
    if (current === undefined) return '';
    const text = close(current, status);
    current = undefined;
    return text;
  }

  function closeAll(status: ItemStatus): string {
    let text = closeCurrent(status);
    const open = [...tools.values()].sort((left, right) => left.index - right.index);
    tools.clear();
    for (const entry of open) text += close(entry, status);
    return text;
  }

  /** Text for the open item of `kind`, opening it (after closing another) when needed. */
  function textDelta(kind: 'message' | 'reasoning', delta: string, fresh = false): string {
    let text = start();
    if (current?.kind !== kind || fresh) {
      text += closeCurrent();
      const index = output.length;
      current =
        kind === 'message'
          ? {
              kind,
              index,
              item: {
                type: 'message',
                id: newItemId('msg'),
                status: 'in_progress',
                role: 'assistant',
                content: [],
              },
              text: '',
            }
          : {
              kind,
              index,
              item: { type: 'reasoning', id: newItemId('rs'), summary: [] },
              text: '',
            };
      text += open(current);
    }
    if (delta === '') return text;
    if (current.kind === 'reasoning' && current.text === '')
      text += event('response.reasoning_summary_part.added', {
        item_id: current.item.id,
        output_index: current.index,
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      });
    current.text += delta;
    const { id } = current.item;
    return (
      text +
      (kind === 'message'
        ? event('response.output_text.delta', {
            item_id: id,
            output_index: current.index,
            content_index: 0,
            delta,
            logprobs: [],
          })
        : event('response.reasoning_summary_text.delta', {
            item_id: id,
            output_index: current.index,
            summary_index: 0,
            delta,
          }))
    );
  }

  /**
   * The upstream ends a reasoning block: the open reasoning item becomes that block and closes
   * (the next reasoning delta opens a new item); without one, the block is an item of its own.
   * One that comes after the text began (never seen from the wires served) updates the stored
   * item only: that item's events are already out.
   */
  function endReasoning(part: ReasoningEnd): string {
    if (current?.kind === 'message') {
      const last = [...output].reverse().find((item) => item.type === 'reasoning');
      if (last !== undefined) {
        const text = last.summary.map((summary) => summary.text).join('');
        output[output.indexOf(last)] = {
          ...last,
          encrypted_content: encryptedReasoning(blockOf(part, text)),
        };
        return start();
      }
    }
    let text = '';
    if (current?.kind !== 'reasoning' || part.type === 'reasoning-redacted')
      text = textDelta('reasoning', '', part.type === 'reasoning-redacted');
    const open = current as OpenItem | undefined;
    if (open?.kind !== 'reasoning') return text;
    open.block = blockOf(part, open.text);
    return text + closeCurrent();
  }

  return {
    push(part: StreamPart): string {
      if (ended || ('index' in part && part.index !== 0)) return '';
      switch (part.type) {
        case 'start':
          return start();
        case 'text-delta':
          return textDelta('message', part.text);
        case 'reasoning-delta':
          return textDelta('reasoning', part.text);
        case 'reasoning-signature':
        case 'reasoning-encrypted':
        case 'reasoning-redacted':
          return endReasoning(part);
        case 'logprobs':
          // Log probabilities: top_logprobs is refused on this dialect, nothing to send.
          return '';
        case 'tool-call-start': {
          const text = start() + closeCurrent();
          const index = output.length;
          const entry: OpenItem = call.customTools.has(part.name)
            ? {
                kind: 'custom',
                index,
                item: {
                  type: 'custom_tool_call',
                  id: newItemId('ctc'),
                  status: 'in_progress',
                  call_id: part.id,
                  name: part.name,
                  input: '',
                },
                text: '',
              }
            : {
                kind: 'function',
                index,
                item: {
                  type: 'function_call',
                  id: newItemId('fc'),
                  status: 'in_progress',
                  call_id: part.id,
                  name: part.name,
                  arguments: '',
                },
                text: '',
              };
          tools.set(part.toolIndex, entry);
          return text + open(entry);
        }
        case 'tool-call-delta': {
          const entry = tools.get(part.toolIndex);
          if (entry === undefined || part.argumentsDelta === '') return '';
          entry.text += part.argumentsDelta;
          if (entry.kind !== 'function') return '';
          return event('response.function_call_arguments.delta', {
            item_id: entry.item.id,
            output_index: entry.index,
            delta: part.argumentsDelta,
          });
        }
        case 'finish':
          finishReason = part.finishReason;
          return (
            start() +
            closeAll(finalStatus(finishReason).status === 'incomplete' ? 'incomplete' : 'completed')
          );
        case 'usage':
          usage = part.usage;
          return '';
      }
    },
    end(): string {
      if (ended) return '';
      let text =
        start() +
        closeAll(finalStatus(finishReason).status === 'incomplete' ? 'incomplete' : 'completed');
      ended = true;
      const status = finalStatus(finishReason);
      const stored = buildResponseObject(call, context.model, {
        ...status,
        output,
        ...(usage === undefined ? {} : { usage }),
      });
      const response = clientResponse(stored, call);
      // Storing first: a response over the size bound says `store: false` in its final event.
      onFinal?.(response, stored);
      text += event(status.status === 'incomplete' ? 'response.incomplete' : 'response.completed', {
        response,
      });
      return text;
    },
    error(error: GatewayError): string {
      if (ended) return '';
      let text = start();
      ended = true;
      text += event('error', {
        code: error.code,
        message: error.message,
        param: error.param ?? null,
      });
      const stored = snapshot('failed', { error });
      const response = clientResponse(stored, call);
      onFinal?.(response, stored);
      text += event('response.failed', { response });
      return text;
    },
  };
}
