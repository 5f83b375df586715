import type {
  AssistantMessage,
  CacheControl,
  ContentPart,
  Message,
  SystemMessage,
  ToolCall,
} from '../../core/request.js';
import {
  dataUrlMediaType,
  invalidRequest,
  isObject,
  optionalString,
  requireArray,
  requireObject,
  requireString,
} from '../field-readers.js';
import { decodeCacheControl, withCacheControl } from '../decode-cache-control.js';

/**
 * Decodes OpenAI chat `messages` into canonical messages. `cache_control` marks on content parts
 * (the OpenRouter convention for Anthropic-style prompt caching) are kept.
 */
export function decodeChatMessages(value: unknown): Message[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidRequest('`messages` must be a non-empty array', 'messages');
  }
  const messages: Message[] = [];
  for (let index = 0; index < value.length; index++) {
    const param = `messages[${index}]`;
    const blocks = markedSystemBlocks(value[index], param);
    if (blocks === undefined) messages.push(decodeMessage(value[index], param));
    else for (const block of blocks) messages.push(block);
  }
  return messages;
}

/**
 * A system message whose text parts carry `cache_control` marks (the OpenRouter convention):
 * one canonical system message per part, so the marks keep their place. Undefined otherwise.
 */
function markedSystemBlocks(value: unknown, param: string): Message[] | undefined {
  if (!isObject(value) || (value.role !== 'system' && value.role !== 'developer')) return undefined;
  const content = value.content;
  if (!Array.isArray(content) || !content.some((part) => isObject(part) && part.cache_control))
    return undefined;
  return content.map((part, index) => {
    const partParam = `${param}.content[${index}]`;
    const block = requireObject(part, partParam);
    if (block.type !== 'text') {
      throw invalidRequest(
        `\`${partParam}.type\` ${JSON.stringify(block.type)} is not supported here; only text parts are`,
        `${partParam}.type`,
      );
    }
    const text = requireString(block.text, `${partParam}.text`);
    return withCacheControl<SystemMessage>({ role: 'system', content: text }, block, partParam);
  });
}

function decodeMessage(value: unknown, param: string): Message {
  const message = requireObject(value, param);
  const role = message.role;
  switch (role) {
    case 'system':
    case 'developer':
      return {
        role: 'system',
        content: decodeTextContent(message.content, `${param}.content`, false),
      };
    case 'user':
      return { role: 'user', content: decodeUserContent(message.content, `${param}.content`) };
    case 'assistant':
      return decodeAssistantMessage(message, param);
    case 'tool': {
      const tool: Message = {
        role: 'tool',
        toolCallId: requireString(message.tool_call_id, `${param}.tool_call_id`, false),
        content: decodeTextContent(message.content, `${param}.content`, false),
      };
      const mark = lastPartMark(message.content, `${param}.content`);
      if (mark !== undefined) tool.cacheControl = mark;
      return tool;
    }
    case 'function':
      throw invalidRequest(
        'The legacy `function` role is not supported; send tool results as `tool` messages with a `tool_call_id`',
        `${param}.role`,
      );
    default:
      throw invalidRequest(
        `\`${param}.role\` must be one of system, developer, user, assistant, tool`,
        `${param}.role`,
      );
  }
}

function decodeAssistantMessage(message: Record<string, unknown>, param: string): Message {
  if (message.function_call !== undefined && message.function_call !== null) {
    throw invalidRequest(
      'The legacy `function_call` field is not supported; use `tool_calls`',
      `${param}.function_call`,
    );
  }
  const content = decodeTextContent(message.content, `${param}.content`, true);
  const toolCalls = decodeToolCalls(message.tool_calls, `${param}.tool_calls`);
  const decoded: AssistantMessage = { role: 'assistant', content };
  if (toolCalls !== undefined) decoded.toolCalls = toolCalls;
  // DeepSeek-style reasoning sent back: kept for upstreams that want it (their tool loops do).
  const reasoning = optionalString(message.reasoning_content, `${param}.reasoning_content`);
  if (reasoning !== undefined && reasoning !== '')
    decoded.reasoning = [{ type: 'thinking', text: reasoning }];
  const mark = lastPartMark(message.content, `${param}.content`);
  if (mark !== undefined) decoded.cacheControl = mark;
  return decoded;
}

/** The last `cache_control` mark among text parts that are joined into one string. */
function lastPartMark(value: unknown, param: string): CacheControl | undefined {
  if (!Array.isArray(value)) return undefined;
  let mark: CacheControl | undefined;
  value.forEach((part, index) => {
    if (isObject(part)) mark = decodeCacheControl(part, `${param}[${index}]`) ?? mark;
  });
  return mark;
}

function decodeToolCalls(value: unknown, param: string): ToolCall[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = requireArray(value, param);
  if (list.length === 0) return undefined;
  const toolCalls: ToolCall[] = new Array<ToolCall>(list.length);
  for (let index = 0; index < list.length; index++) {
    const itemParam = `${param}[${index}]`;
    const call = requireObject(list[index], itemParam);
    if (call.type !== undefined && call.type !== 'function') {
      throw invalidRequest(
        `\`${itemParam}.type\` ${JSON.stringify(call.type)} is not supported; only "function" tool calls are`,
        `${itemParam}.type`,
      );
    }
    const functionSpec = requireObject(call.function, `${itemParam}.function`);
    toolCalls[index] = {
      id: requireString(call.id, `${itemParam}.id`, false),
      name: requireString(functionSpec.name, `${itemParam}.function.name`, false),
      arguments: requireString(functionSpec.arguments, `${itemParam}.function.arguments`),
    };
  }
  return toolCalls;
}

/**
 * Content that must be text: a string, or an array of `text` parts joined with newlines.
 * Assistant turns may also hold `refusal` parts (their text is kept) and null content.
 */
function decodeTextContent(value: unknown, param: string, assistant: boolean): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) {
    if (assistant) return '';
    throw invalidRequest(`\`${param}\` must be a string or an array of text parts`, param);
  }
  if (!Array.isArray(value)) {
    throw invalidRequest(`\`${param}\` must be a string or an array of text parts`, param);
  }
  let text = '';
  for (let index = 0; index < value.length; index++) {
    const partParam = `${param}[${index}]`;
    const part = requireObject(value[index], partParam);
    let piece: string;
    if (part.type === 'text') {
      piece = requireString(part.text, `${partParam}.text`);
    } else if (assistant && part.type === 'refusal') {
      piece = requireString(part.refusal, `${partParam}.refusal`);
    } else {
      throw invalidRequest(
        `\`${partParam}.type\` ${JSON.stringify(part.type)} is not supported here; only text parts are`,
        `${partParam}.type`,
      );
    }
    text = index === 0 ? piece : `${text}\n${piece}`;
  }
  return text;
}

function decodeUserContent(value: unknown, param: string): ContentPart[] {
  if (typeof value === 'string') return [{ type: 'text', text: value }];
  if (!Array.isArray(value)) {
    throw invalidRequest(`\`${param}\` must be a string or an array of content parts`, param);
  }
  const parts: ContentPart[] = new Array<ContentPart>(value.length);
  for (let index = 0; index < value.length; index++) {
    const partParam = `${param}[${index}]`;
    const part = requireObject(value[index], partParam);
    if (part.type === 'text') {
      parts[index] = withCacheControl<ContentPart>(
        { type: 'text', text: requireString(part.text, `${partParam}.text`) },
        part,
        partParam,
      );
    } else if (part.type === 'image_url') {
      parts[index] = withCacheControl(
        decodeImagePart(part.image_url, `${partParam}.image_url`),
        part,
        partParam,
      );
    } else {
      throw invalidRequest(
        `Content part type ${JSON.stringify(part.type)} is not supported; only text and image_url parts are`,
        `${partParam}.type`,
      );
    }
  }
  return parts;
}

/** `image_url` is `{url, detail?}` (or, from some clients, the URL string itself); `detail` is dropped. */
function decodeImagePart(value: unknown, param: string): ContentPart {
  let url: string;
  if (typeof value === 'string') {
    url = value;
  } else if (isObject(value)) {
    url = requireString(value.url, `${param}.url`, false);
    optionalString(value.detail, `${param}.detail`);
  } else {
    throw invalidRequest(`\`${param}\` must be an object with a \`url\``, param);
  }
  if (url.length === 0) throw invalidRequest(`\`${param}\` must not be empty`, param);
  const mediaType = dataUrlMediaType(url);
  return mediaType === undefined ? { type: 'image', url } : { type: 'image', url, mediaType };
}
