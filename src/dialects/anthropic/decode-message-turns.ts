import type {
  AssistantMessage,
  CacheControl,
  ContentPart,
  ImagePart,
  Message,
  ReasoningBlock,
  SystemMessage,
  ToolCall,
  ToolMessage,
} from '../../core/request.js';
import { decodeCacheControl, withCacheControl } from '../decode-cache-control.js';
import {
  invalidRequest,
  isObject,
  optionalBoolean,
  optionalString,
  requireObject,
  requireString,
  type JsonObject,
} from '../field-readers.js';
import { checkItem, checkNestedFields } from '../nested-field-policy.js';
import { MESSAGES_NESTED_POLICY as POLICY } from './messages-nested-field-policy.js';

/**
 * Decodes Anthropic `messages` into canonical messages, appending to `into`.
 * - user `tool_result` blocks become one `tool` message each, placed before the rest of the turn;
 *   images inside a tool result are moved into that user turn (canonical tool messages are text);
 * - assistant `tool_use` blocks become tool calls, their `input` serialized as JSON;
 * - assistant `thinking` / `redacted_thinking` blocks become the turn's reasoning blocks (with
 *   their signatures; Anthropic upstreams get them back as sent); in user turns they are refused;
 * - text blocks that must merge into one string (assistant text, tool results) are joined with
 *   newlines; a cache mark on any of them marks the joined text;
 * - `cache_control` marks are kept on the canonical part they belong to;
 * - every object's keys are checked against MESSAGES_NESTED_POLICY (unknown and refused fields
 *   are 400s naming their path).
 */
export function decodeMessageTurns(value: unknown, into: Message[]): void {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidRequest('`messages` must be a non-empty array', 'messages');
  }
  for (let index = 0; index < value.length; index++) {
    const param = `messages[${index}]`;
    const message = requireObject(value[index], param);
    checkNestedFields(message, POLICY, 'messages[]', param);
    // A turn's own output_config is left out (MESSAGES_NESTED_POLICY); it must be an object.
    if (message.output_config !== undefined && message.output_config !== null)
      requireObject(message.output_config, `${param}.output_config`);
    const content = message.content;
    const contentParam = `${param}.content`;
    switch (message.role) {
      case 'user':
        decodeUserTurn(content, contentParam, into);
        break;
      case 'assistant':
        into.push(decodeAssistantTurn(content, contentParam));
        break;
      case 'system':
        for (const block of decodeSystemBlocks(content, contentParam, 'messages[system].content'))
          into.push(block);
        break;
      default:
        throw invalidRequest(`\`${param}.role\` must be "user" or "assistant"`, `${param}.role`);
    }
  }
}

/**
 * `system` (top-level or a system turn): a string, or an array of text blocks that become one
 * system message each (block boundaries and cache marks kept). Empty text without a mark is skipped.
 */
export function decodeSystemBlocks(
  value: unknown,
  param: string,
  shape = 'system',
): SystemMessage[] {
  if (typeof value === 'string') return value === '' ? [] : [{ role: 'system', content: value }];
  if (!Array.isArray(value))
    throw invalidRequest(`\`${param}\` must be a string or an array of text blocks`, param);
  const blocks: SystemMessage[] = [];
  for (let index = 0; index < value.length; index++) {
    const blockParam = `${param}[${index}]`;
    const block = requireObject(value[index], blockParam);
    checkItem(block, POLICY, shape, blockParam);
    if (block.type !== 'text') {
      throw invalidRequest(`\`${blockParam}.type\` must be "text"`, `${blockParam}.type`);
    }
    const text = requireString(block.text, `${blockParam}.text`);
    const message = withCacheControl<SystemMessage>(
      { role: 'system', content: text },
      block,
      blockParam,
    );
    if (text !== '' || message.cacheControl !== undefined) blocks.push(message);
  }
  return blocks;
}

function decodeUserTurn(value: unknown, param: string, into: Message[]): void {
  if (typeof value === 'string') {
    into.push({ role: 'user', content: [{ type: 'text', text: value }] });
    return;
  }
  if (!Array.isArray(value))
    throw invalidRequest(`\`${param}\` must be a string or an array of content blocks`, param);
  const parts: ContentPart[] = [];
  let toolMessages: ToolMessage[] | undefined;
  for (let index = 0; index < value.length; index++) {
    const blockParam = `${param}[${index}]`;
    const block = requireObject(value[index], blockParam);
    checkItem(block, POLICY, 'messages[user].content', blockParam);
    switch (block.type) {
      case 'text':
        parts.push(
          withCacheControl<ContentPart>(
            { type: 'text', text: requireString(block.text, `${blockParam}.text`) },
            block,
            blockParam,
          ),
        );
        break;
      case 'image':
        parts.push(
          withCacheControl(
            decodeImage(block, blockParam, 'messages[user].content[image]'),
            block,
            blockParam,
          ),
        );
        break;
      case 'tool_result':
        (toolMessages ??= []).push(decodeToolResult(block, blockParam, parts));
        break;
      case 'thinking':
      case 'redacted_thinking':
      case 'tool_use':
        throw invalidRequest(
          `\`${String(block.type)}\` blocks are only allowed in assistant messages`,
          `${blockParam}.type`,
        );
      default:
        throw unsupportedBlock(block.type, blockParam);
    }
  }
  if (toolMessages !== undefined) {
    for (const message of toolMessages) into.push(message);
    if (parts.length > 0) into.push({ role: 'user', content: parts });
  } else {
    into.push({ role: 'user', content: parts });
  }
}

function decodeAssistantTurn(value: unknown, param: string): Message {
  if (typeof value === 'string') return { role: 'assistant', content: value };
  if (!Array.isArray(value))
    throw invalidRequest(`\`${param}\` must be a string or an array of content blocks`, param);
  let text = '';
  let textMark: CacheControl | undefined;
  let toolCalls: ToolCall[] | undefined;
  let reasoning: ReasoningBlock[] | undefined;
  for (let index = 0; index < value.length; index++) {
    const blockParam = `${param}[${index}]`;
    const block = requireObject(value[index], blockParam);
    checkItem(block, POLICY, 'messages[assistant].content', blockParam);
    switch (block.type) {
      case 'text': {
        const piece = requireString(block.text, `${blockParam}.text`);
        text = text === '' ? piece : `${text}\n${piece}`;
        textMark = decodeCacheControl(block, blockParam) ?? textMark;
        break;
      }
      case 'tool_use':
        (toolCalls ??= []).push(
          withCacheControl(decodeToolUse(block, blockParam), block, blockParam),
        );
        break;
      case 'thinking':
      case 'redacted_thinking':
        (reasoning ??= []).push(decodeReasoningBlock(block, blockParam));
        break;
      case 'tool_result':
        throw invalidRequest(
          '`tool_result` blocks are only allowed in user messages',
          `${blockParam}.type`,
        );
      default:
        throw unsupportedBlock(block.type, blockParam);
    }
  }
  const message: AssistantMessage = { role: 'assistant', content: text };
  if (toolCalls !== undefined) message.toolCalls = toolCalls;
  if (reasoning !== undefined) {
    message.reasoning = reasoning;
    message.reasoningOptional = true;
  }
  if (textMark !== undefined) message.cacheControl = textMark;
  return message;
}

function decodeReasoningBlock(block: JsonObject, param: string): ReasoningBlock {
  if (block.type === 'redacted_thinking')
    return { type: 'redacted', data: requireString(block.data, `${param}.data`, false) };
  const thinking: ReasoningBlock = {
    type: 'thinking',
    text: requireString(block.thinking, `${param}.thinking`),
  };
  const signature = optionalString(block.signature, `${param}.signature`);
  if (signature !== undefined && signature !== '') thinking.signature = signature;
  return thinking;
}

function decodeToolUse(block: JsonObject, param: string): ToolCall {
  const input = block.input;
  if (input !== undefined && input !== null && !isObject(input)) {
    throw invalidRequest(`\`${param}.input\` must be an object`, `${param}.input`);
  }
  return {
    id: requireString(block.id, `${param}.id`, false),
    name: requireString(block.name, `${param}.name`, false),
    arguments: input === undefined || input === null ? '{}' : JSON.stringify(input),
  };
}

/** A `tool_result` block; images in its content are appended to `images` (the turn's user parts). */
function decodeToolResult(block: JsonObject, param: string, images: ContentPart[]): ToolMessage {
  const marks: CacheControl[] = [];
  const message: ToolMessage = {
    role: 'tool',
    toolCallId: requireString(block.tool_use_id, `${param}.tool_use_id`, false),
    content: decodeToolResultContent(block.content, `${param}.content`, images, marks),
  };
  if (optionalBoolean(block.is_error, `${param}.is_error`) === true) message.isError = true;
  // A mark inside the result's content marks the result (its text is joined into one string).
  const mark = decodeCacheControl(block, param) ?? marks[marks.length - 1];
  if (mark !== undefined) message.cacheControl = mark;
  return message;
}

function decodeToolResultContent(
  value: unknown,
  param: string,
  images: ContentPart[],
  marks: CacheControl[],
): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (!Array.isArray(value))
    throw invalidRequest(`\`${param}\` must be a string or an array of content blocks`, param);
  let text = '';
  let first = true;
  for (let index = 0; index < value.length; index++) {
    const blockParam = `${param}[${index}]`;
    const block = requireObject(value[index], blockParam);
    checkItem(block, POLICY, 'messages[user].content[tool_result].content', blockParam);
    if (block.type === 'text') {
      const piece = requireString(block.text, `${blockParam}.text`);
      text = first ? piece : `${text}\n${piece}`;
      first = false;
      const mark = decodeCacheControl(block, blockParam);
      if (mark !== undefined) marks.push(mark);
    } else if (block.type === 'image') {
      const image = decodeImage(
        block,
        blockParam,
        'messages[user].content[tool_result].content[image]',
      );
      images.push(withCacheControl(image, block, blockParam));
    } else {
      throw unsupportedBlock(block.type, blockParam);
    }
  }
  return text;
}

/** An image block at path pattern `shape`. */
function decodeImage(block: JsonObject, param: string, shape: string): ImagePart {
  const sourceParam = `${param}.source`;
  const source = requireObject(block.source, sourceParam);
  checkItem(source, POLICY, `${shape}.source`, sourceParam);
  if (source.type === 'base64') {
    const mediaType = requireString(source.media_type, `${sourceParam}.media_type`, false);
    const data = requireString(source.data, `${sourceParam}.data`, false);
    return { type: 'image', url: `data:${mediaType};base64,${data}`, mediaType };
  }
  if (source.type === 'url') {
    return { type: 'image', url: requireString(source.url, `${sourceParam}.url`, false) };
  }
  throw invalidRequest(
    `Image source type ${JSON.stringify(source.type)} is not supported; use "base64" or "url"`,
    `${sourceParam}.type`,
  );
}

function unsupportedBlock(type: unknown, param: string): Error {
  return invalidRequest(
    `Content block type ${JSON.stringify(type)} is not supported`,
    `${param}.type`,
  );
}
