import { encryptedBlock } from '../../core/reasoning-blocks.js';
import type { ReasoningBlock } from '../../core/request.js';
import type { StreamPart } from '../../core/response.js';
import { clientItem, customToolInput } from './build-response-object.js';
import { encryptedReasoning } from './reasoning-content.js';
import type { ResponsesCall } from './responses-call.js';
import type {
  CustomToolCallItem,
  FunctionCallItem,
  ItemStatus,
  MessageItem,
  OutputItem,
  ReasoningItem,
} from './responses-types.js';

/**
 * The events that open and close one output item of a Responses stream
 * (create-responses-stream-encoder.ts sequences them): `response.output_item.added` and a
 * message's `content_part.added`; each kind's `.done` events and `response.output_item.done`.
 */

/** An output item being streamed, with the text it has accumulated. */
export type OpenItem =
  | { kind: 'message'; index: number; item: MessageItem; text: string }
  | {
      kind: 'reasoning';
      index: number;
      item: ReasoningItem;
      text: string;
      /** The upstream's block this item is (signed, encrypted, redacted), once it said so. */
      block?: ReasoningBlock;
    }
  | { kind: 'function'; index: number; item: FunctionCallItem; text: string }
  | { kind: 'custom'; index: number; item: CustomToolCallItem; text: string };

/** Writes one SSE event with the next sequence number. */
export type EmitEvent = (type: string, fields: Record<string, unknown>) => string;

/** The events of a new item; it is appended to `output`. */
export function openItem(
  event: EmitEvent,
  output: OutputItem[],
  entry: OpenItem,
  call: ResponsesCall,
): string {
  output.push(entry.item);
  let text = event('response.output_item.added', {
    output_index: entry.index,
    item: clientItem({ ...entry.item }, call),
  });
  if (entry.kind === 'message') {
    text += event('response.content_part.added', {
      item_id: entry.item.id,
      output_index: entry.index,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
    });
  }
  return text;
}

/** The done events of an item; its final form replaces the in-progress one in `output`. */
export function closeItem(
  event: EmitEvent,
  output: OutputItem[],
  entry: OpenItem,
  status: ItemStatus,
  call: ResponsesCall,
): string {
  const { index } = entry;
  let text = '';
  switch (entry.kind) {
    case 'message': {
      const part = {
        type: 'output_text' as const,
        text: entry.text,
        annotations: [] as never[],
        logprobs: [] as never[],
      };
      text += event('response.output_text.done', {
        item_id: entry.item.id,
        output_index: index,
        content_index: 0,
        text: entry.text,
        logprobs: [],
      });
      text += event('response.content_part.done', {
        item_id: entry.item.id,
        output_index: index,
        content_index: 0,
        part,
      });
      output[index] = { ...entry.item, status, content: [part] };
      break;
    }
    case 'reasoning': {
      const part = { type: 'summary_text' as const, text: entry.text };
      if (entry.text !== '')
        text += event('response.reasoning_summary_text.done', {
          item_id: entry.item.id,
          output_index: index,
          summary_index: 0,
          text: entry.text,
        });
      if (entry.text !== '')
        text += event('response.reasoning_summary_part.done', {
          item_id: entry.item.id,
          output_index: index,
          summary_index: 0,
          part,
        });
      output[index] = {
        ...entry.item,
        summary: entry.text === '' ? [] : [part],
        encrypted_content: encryptedReasoning(
          entry.block ?? { type: 'thinking', text: entry.text },
        ),
      };
      break;
    }
    case 'function':
      text += event('response.function_call_arguments.done', {
        item_id: entry.item.id,
        output_index: index,
        name: entry.item.name,
        arguments: entry.text,
      });
      output[index] = { ...entry.item, status, arguments: entry.text };
      break;
    case 'custom': {
      const input = customToolInput(entry.text);
      if (input !== '')
        text += event('response.custom_tool_call_input.delta', {
          item_id: entry.item.id,
          output_index: index,
          delta: input,
        });
      text += event('response.custom_tool_call_input.done', {
        item_id: entry.item.id,
        output_index: index,
        input,
      });
      output[index] = { ...entry.item, status, input };
      break;
    }
  }
  return (
    text +
    event('response.output_item.done', {
      output_index: index,
      item: clientItem(output[index] as OutputItem, call),
    })
  );
}

export type ReasoningEnd = Extract<
  StreamPart,
  { type: 'reasoning-signature' | 'reasoning-encrypted' | 'reasoning-redacted' }
>;

/** The canonical block a reasoning item with this text is, as the part that ended it says. */
export function blockOf(part: ReasoningEnd, text: string): ReasoningBlock {
  switch (part.type) {
    case 'reasoning-signature':
      return { type: 'thinking', text, signature: part.signature };
    case 'reasoning-encrypted':
      return encryptedBlock(text, part.data, part.id);
    case 'reasoning-redacted':
      return { type: 'redacted', data: part.data };
  }
}
