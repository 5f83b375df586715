import type { SimHttpError } from './prepared-request.js';
import { invalidRequest } from './wire-errors.js';

/** What the simulator needs from OpenAI-wire chat messages. */
export interface OpenAiMessagesSummary {
  /** All text of the conversation (for token estimates). */
  promptText: string;
  /** Text of the system / developer messages. */
  systemText: string;
  /** Text of the last user message (directives live here). */
  lastUserText: string;
  /** The last message is a tool result. */
  lastIsToolResult: boolean;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(message: string, param: string): SimHttpError {
  return invalidRequest('openai-compatible', message, param, 'invalid_value');
}

/** Text of a content field: a string or an array of parts (text parts contribute their text). */
function contentText(content: unknown, param: string, allowNull: boolean): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) {
    if (allowNull) return '';
    throw bad(
      `Invalid value for '${param}': expected a string or an array of content parts.`,
      param,
    );
  }
  if (!Array.isArray(content))
    throw bad(`Invalid type for '${param}': expected a string or an array.`, param);
  let text = '';
  content.forEach((part, index) => {
    if (!isRecord(part) || typeof part['type'] !== 'string')
      throw bad(`Invalid content part at '${param}[${index}]'.`, `${param}[${index}]`);
    if (part['type'] === 'text' || part['type'] === 'refusal') {
      const value = part['type'] === 'text' ? part['text'] : part['refusal'];
      if (typeof value !== 'string')
        throw bad(
          `Missing required parameter: '${param}[${index}].text'.`,
          `${param}[${index}].text`,
        );
      text += (text === '' ? '' : '\n') + value;
    } else if (part['type'] === 'image_url') {
      if (!isRecord(part['image_url']) || typeof part['image_url']['url'] !== 'string') {
        throw bad(
          `Missing required parameter: '${param}[${index}].image_url.url'.`,
          `${param}[${index}].image_url.url`,
        );
      }
    } else if (part['type'] !== 'input_audio' && part['type'] !== 'file') {
      throw bad(
        `Invalid value: '${String(part['type'])}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal' and 'file'.`,
        `${param}[${index}].type`,
      );
    }
  });
  return text;
}

/**
 * Validates `messages` as the OpenAI API does (roles, content shapes, tool-call / tool-result
 * pairing) and summarizes them. Throws a SimHttpError in the OpenAI shape.
 */
export function readOpenAiMessages(messages: unknown): OpenAiMessagesSummary {
  if (!Array.isArray(messages))
    throw invalidRequest(
      'openai-compatible',
      "Missing required parameter: 'messages'.",
      'messages',
      'missing_required_parameter',
    );
  if (messages.length === 0)
    throw bad(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
    );
  const parts: string[] = [];
  let systemText = '';
  let lastUserText = '';
  let pendingToolCalls = new Set<string>();
  let pendingFrom = -1;
  messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    if (!isRecord(message)) throw bad(`Invalid type for '${param}': expected an object.`, param);
    const role = message['role'];
    if (typeof role !== 'string' || !ROLES.has(role)) {
      throw bad(
        `Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `${param}.role`,
      );
    }
    if (role !== 'tool' && pendingToolCalls.size > 0) {
      throw invalidRequest(
        'openai-compatible',
        `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pendingToolCalls].join(', ')}`,
        `messages.[${pendingFrom}].role`,
      );
    }
    if (role === 'assistant') {
      const toolCalls = message['tool_calls'];
      const hasToolCalls = Array.isArray(toolCalls) && toolCalls.length > 0;
      const text = contentText(
        message['content'],
        `${param}.content`,
        hasToolCalls || message['function_call'] !== undefined,
      );
      parts.push(text);
      pendingToolCalls = new Set();
      if (hasToolCalls) {
        toolCalls.forEach((call, callIndex) => {
          const callParam = `${param}.tool_calls[${callIndex}]`;
          const fn = isRecord(call) ? call['function'] : undefined;
          if (
            !isRecord(call) ||
            typeof call['id'] !== 'string' ||
            !isRecord(fn) ||
            typeof fn['name'] !== 'string' ||
            typeof fn['arguments'] !== 'string'
          ) {
            throw bad(
              `Invalid '${callParam}': expected {id, type: 'function', function: {name, arguments: string}}.`,
              callParam,
            );
          }
          pendingToolCalls.add(call['id']);
          parts.push(fn['name'], fn['arguments']);
        });
        pendingFrom = index;
      }
    } else if (role === 'tool') {
      const id = message['tool_call_id'];
      if (typeof id !== 'string')
        throw invalidRequest(
          'openai-compatible',
          `Missing required parameter: '${param}.tool_call_id'.`,
          `${param}.tool_call_id`,
          'missing_required_parameter',
        );
      if (!pendingToolCalls.has(id)) {
        throw invalidRequest(
          'openai-compatible',
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages.[${index}].role`,
        );
      }
      pendingToolCalls.delete(id);
      parts.push(contentText(message['content'], `${param}.content`, false));
    } else {
      const text = contentText(message['content'], `${param}.content`, false);
      parts.push(text);
      if (role === 'system' || role === 'developer')
        systemText += (systemText === '' ? '' : '\n') + text;
      if (role === 'user') lastUserText = text;
    }
  });
  if (pendingToolCalls.size > 0) {
    throw invalidRequest(
      'openai-compatible',
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pendingToolCalls].join(', ')}`,
      `messages.[${pendingFrom}].role`,
    );
  }
  const last = messages[messages.length - 1] as Record<string, unknown>;
  return {
    promptText: parts.join('\n'),
    systemText,
    lastUserText,
    lastIsToolResult: last['role'] === 'tool',
  };
}
