import type { ToolMessage } from '../core/request.js';

/**
 * A tool result's text for wires without an error flag (OpenAI chat `tool` messages, Responses
 * `function_call_output`): a result the client marked failed (Anthropic `is_error: true`) is sent
 * with an `Error: ` prefix, so the model still learns the call failed. A text that already starts
 * with "error" is sent as is.
 */
export function toolOutputText(message: Pick<ToolMessage, 'content' | 'isError'>): string {
  if (message.isError !== true || /^\s*error\b/i.test(message.content)) return message.content;
  return `Error: ${message.content}`;
}
