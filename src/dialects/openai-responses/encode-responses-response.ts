import type { ModelResponse } from '../../core/response.js';
import type { EncodeContext } from '../types.js';
import {
  buildResponseObject,
  customToolInput,
  finalStatus,
  newItemId,
} from './build-response-object.js';
import type { ReasoningBlock } from '../../core/request.js';
import { encryptedReasoning, reasoningText } from './reasoning-content.js';
import type { ResponsesCall } from './responses-call.js';
import type { OutputItem, ResponseObject } from './responses-types.js';

/**
 * A canonical answer as the Responses `response` object in its stored form: a reasoning item per
 * reasoning block (the upstream's signed, redacted or encrypted ones, else one for the text),
 * always with `encrypted_content` (`clientResponse` removes it when the client did not ask); a
 * message when it wrote text (or did nothing else); then one item per tool call.
 */
export function encodeResponsesResponse(
  answer: ModelResponse,
  context: EncodeContext,
  call: ResponsesCall,
): ResponseObject {
  const choice = answer.choices[0];
  const output: OutputItem[] = [];
  const status = finalStatus(choice?.finishReason);
  const itemStatus = status.status === 'incomplete' ? 'incomplete' : 'completed';
  if (choice !== undefined) {
    // One reasoning item per upstream block (signed, redacted, encrypted), else one for the text.
    const blocks: ReasoningBlock[] =
      choice.reasoningBlocks ??
      (choice.reasoning ? [{ type: 'thinking', text: choice.reasoning }] : []);
    for (const block of blocks) {
      const text = reasoningText(block);
      output.push({
        type: 'reasoning',
        id: newItemId('rs'),
        summary: text === '' ? [] : [{ type: 'summary_text', text }],
        encrypted_content: encryptedReasoning(block),
      });
    }
    if (choice.text !== '' || choice.toolCalls.length === 0) {
      output.push({
        type: 'message',
        id: newItemId('msg'),
        status: itemStatus,
        role: 'assistant',
        content: [{ type: 'output_text', text: choice.text, annotations: [], logprobs: [] }],
      });
    }
    for (const toolCall of choice.toolCalls) {
      if (call.customTools.has(toolCall.name)) {
        output.push({
          type: 'custom_tool_call',
          id: newItemId('ctc'),
          status: 'completed',
          call_id: toolCall.id,
          name: toolCall.name,
          input: customToolInput(toolCall.arguments),
        });
      } else {
        output.push({
          type: 'function_call',
          id: newItemId('fc'),
          status: 'completed',
          call_id: toolCall.id,
          name: toolCall.name,
          arguments: toolCall.arguments,
        });
      }
    }
  }
  return buildResponseObject(call, context.model, {
    ...status,
    output,
    ...(answer.usage === undefined ? {} : { usage: answer.usage }),
  });
}
