import type { SimHttpError } from './prepared-request.js';
import { invalidRequest } from './wire-errors.js';

/** What the simulator needs from Anthropic Messages input. */
export interface AnthropicMessagesSummary {
  promptText: string;
  systemText: string;
  /** Text blocks of the last user message (directives live here). */
  lastUserText: string;
  /** The last user message carries tool_result blocks. */
  lastIsToolResult: boolean;
}

const BLOCK_TYPES = new Set([
  'text',
  'image',
  'document',
  'tool_use',
  'tool_result',
  'thinking',
  'redacted_thinking',
  'search_result',
  'server_tool_use',
  'web_search_tool_result',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(message: string): SimHttpError {
  return invalidRequest('anthropic', message);
}

/** `system`: a string or an array of text blocks. */
export function readAnthropicSystem(system: unknown): string {
  if (system === undefined || system === null) return '';
  if (typeof system === 'string') return system;
  if (!Array.isArray(system))
    throw bad('system: Input should be a valid string or list of text blocks');
  return system
    .map((block, index) => {
      if (!isRecord(block) || block['type'] !== 'text' || typeof block['text'] !== 'string')
        throw bad(`system.${index}: Input should be a text block`);
      return block['text'];
    })
    .join('\n');
}

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block) => (isRecord(block) && typeof block['text'] === 'string' ? block['text'] : ''))
    .join('\n');
}

/**
 * Validates `messages` as the Messages API does (roles, non-empty content, block shapes,
 * tool_use / tool_result pairing between adjacent messages) and summarizes them.
 */
export function readAnthropicMessages(
  messages: unknown,
  system: unknown,
): AnthropicMessagesSummary {
  const systemText = readAnthropicSystem(system);
  if (!Array.isArray(messages)) throw bad('messages: Field required');
  if (messages.length === 0) throw bad('messages: at least one message is required');
  const parts: string[] = systemText === '' ? [] : [systemText];
  let lastUserText = '';
  let lastIsToolResult = false;
  let previousToolUses = new Set<string>();
  messages.forEach((message, index) => {
    if (!isRecord(message)) throw bad(`messages.${index}: Input should be a valid dictionary`);
    const role = message['role'];
    if (role === 'system') {
      throw bad(
        'messages: Unexpected role "system". The Messages API accepts a top-level `system` parameter, not "system" as an input message role.',
      );
    }
    if (role !== 'user' && role !== 'assistant')
      throw bad(`messages.${index}.role: Input should be 'user' or 'assistant'`);
    const isFinalAssistant = role === 'assistant' && index === messages.length - 1;
    const content = message['content'];
    const blocks: Record<string, unknown>[] = [];
    if (typeof content === 'string') {
      if (content === '' && !isFinalAssistant)
        throw bad(
          `messages.${index}: all messages must have non-empty content except for the optional final assistant message`,
        );
      blocks.push({ type: 'text', text: content });
    } else if (Array.isArray(content)) {
      if (content.length === 0 && !isFinalAssistant)
        throw bad(
          `messages.${index}: all messages must have non-empty content except for the optional final assistant message`,
        );
      content.forEach((block, blockIndex) => {
        if (
          !isRecord(block) ||
          typeof block['type'] !== 'string' ||
          !BLOCK_TYPES.has(block['type'])
        ) {
          throw bad(
            `messages.${index}.content.${blockIndex}: Input tag '${isRecord(block) ? String(block['type']) : ''}' found using 'type' does not match any of the expected tags`,
          );
        }
        blocks.push(block);
      });
    } else
      throw bad(
        `messages.${index}.content: Input should be a valid string or list of content blocks`,
      );

    const toolUses = new Set<string>();
    const toolResults = new Set<string>();
    let text = '';
    blocks.forEach((block, blockIndex) => {
      const where = `messages.${index}.content.${blockIndex}`;
      switch (block['type']) {
        case 'text':
          if (typeof block['text'] !== 'string') throw bad(`${where}.text: Field required`);
          if (block['text'] === '' && typeof content !== 'string')
            throw bad('messages: text content blocks must be non-empty');
          text += (text === '' ? '' : '\n') + block['text'];
          break;
        case 'tool_use':
          if (role !== 'assistant')
            throw bad(`${where}: tool_use blocks are only allowed in assistant messages`);
          if (
            typeof block['id'] !== 'string' ||
            typeof block['name'] !== 'string' ||
            !isRecord(block['input'])
          ) {
            throw bad(`${where}: tool_use blocks need id, name and an object input`);
          }
          toolUses.add(block['id']);
          parts.push(block['name'], JSON.stringify(block['input']));
          break;
        case 'tool_result':
          if (role !== 'user')
            throw bad(`${where}: tool_result blocks are only allowed in user messages`);
          if (typeof block['tool_use_id'] !== 'string')
            throw bad(`${where}.tool_use_id: Field required`);
          if (!previousToolUses.has(block['tool_use_id'])) {
            throw bad(
              `${where}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${block['tool_use_id']}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
            );
          }
          toolResults.add(block['tool_use_id']);
          parts.push(toolResultText(block['content']));
          break;
        case 'thinking':
          if (typeof block['thinking'] === 'string') parts.push(block['thinking']);
          break;
        default:
          break;
      }
    });
    const missing = [...previousToolUses].filter((id) => !toolResults.has(id));
    if (missing.length > 0) {
      throw bad(
        `messages.${index - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
      );
    }
    previousToolUses = toolUses;
    parts.push(text);
    if (role === 'user') {
      lastUserText = text;
      lastIsToolResult = toolResults.size > 0;
    }
  });
  if (previousToolUses.size > 0) {
    throw bad(
      `messages.${messages.length - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${[...previousToolUses].join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
    );
  }
  const last = messages[messages.length - 1] as Record<string, unknown>;
  return {
    promptText: parts.join('\n'),
    systemText,
    lastUserText,
    lastIsToolResult: last['role'] === 'user' && lastIsToolResult,
  };
}
