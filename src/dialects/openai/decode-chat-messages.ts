import type {
  AssistantMessage,
  CacheControl,
  ContentPart,
  ImageDetail,
  ImagePart,
  Message,
  SystemMessage,
  ToolCall,
} from '../../core/request.js';
import {
  dataUrlMediaType,
  decodeImageDetail,
  invalidRequest,
  isObject,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  type JsonObject,
} from '../field-readers.js';
import { decodeCacheControl, withCacheControl } from '../decode-cache-control.js';
import { checkNestedFields, refuseVariant } from '../nested-field-policy.js';
import { CHAT_NESTED_POLICY as POLICY } from './chat-nested-field-policy.js';

/**
 * Decodes OpenAI chat `messages` into canonical messages. `cache_control` marks on content parts
 * (the OpenRouter convention for Anthropic-style prompt caching) are kept. Every object's keys are
 * checked against CHAT_NESTED_POLICY: unknown and refused fields are 400s naming their path.
 */
export function decodeChatMessages(value: unknown): Message[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidRequest('`messages` must be a non-empty array', 'messages');
  }
  const messages: Message[] = [];
  const callNames = new Map<string, string>();
  for (let index = 0; index < value.length; index++) {
    const param = `messages[${index}]`;
    const message = requireObject(value[index], param);
    const role = message.role;
    refuseVariant(POLICY, 'messages', role, param, 'role');
    if (role === 'system' || role === 'developer' || role === 'user' || role === 'assistant')
      checkNestedFields(message, POLICY, `messages[${role}]`, param);
    else if (role === 'tool') checkNestedFields(message, POLICY, 'messages[tool]', param);
    const blocks = markedSystemBlocks(message, param);
    if (blocks !== undefined) {
      for (const block of blocks) messages.push(block);
      continue;
    }
    const decoded = decodeMessage(message, param);
    if (decoded.role === 'assistant')
      for (const call of decoded.toolCalls ?? []) callNames.set(call.id, call.name);
    if (decoded.role === 'tool') checkToolName(message, decoded.toolCallId, callNames, param);
    messages.push(decoded);
  }
  return messages;
}

/** A tool message's `name` (LangChain sends the tool's) must be the name of the call it answers. */
function checkToolName(
  message: Record<string, unknown>,
  callId: string,
  callNames: ReadonlyMap<string, string>,
  param: string,
): void {
  const name = optionalString(message.name, `${param}.name`);
  const called = callNames.get(callId);
  if (name === undefined || called === undefined || name === called) return;
  throw invalidRequest(
    `\`${param}.name\` ${JSON.stringify(name)} is not the name of tool call ${JSON.stringify(callId)} (${JSON.stringify(called)})`,
    `${param}.name`,
  );
}

/**
 * A system message whose text parts carry `cache_control` marks (the OpenRouter convention):
 * one canonical system message per part, so the marks keep their place. Undefined otherwise.
 */
function markedSystemBlocks(value: JsonObject, param: string): Message[] | undefined {
  if (value.role !== 'system' && value.role !== 'developer') return undefined;
  const content = value.content;
  if (!Array.isArray(content) || !content.some((part) => isObject(part) && part.cache_control))
    return undefined;
  return content.map((part, index) => {
    const partParam = `${param}.content[${index}]`;
    const block = requireObject(part, partParam);
    if (block.type === 'text')
      checkNestedFields(block, POLICY, `messages[${String(value.role)}].content[text]`, partParam);
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

function decodeMessage(message: JsonObject, param: string): Message {
  const role = message.role;
  switch (role) {
    case 'system':
    case 'developer':
      return {
        role: 'system',
        content: decodeTextContent(message.content, `${param}.content`, `messages[${role}]`),
      };
    case 'user':
      return { role: 'user', content: decodeUserContent(message.content, `${param}.content`) };
    case 'assistant':
      return decodeAssistantMessage(message, param);
    case 'tool': {
      const tool: Message = {
        role: 'tool',
        toolCallId: requireString(message.tool_call_id, `${param}.tool_call_id`, false),
        content: decodeTextContent(message.content, `${param}.content`, 'messages[tool]'),
      };
      const mark = lastPartMark(message.content, `${param}.content`);
      if (mark !== undefined) tool.cacheControl = mark;
      return tool;
    }
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
  let content = decodeTextContent(message.content, `${param}.content`, 'messages[assistant]');
  // A refusal the model gave (`refusal` beside null content) is the turn's text.
  const refusal = optionalString(message.refusal, `${param}.refusal`);
  if (refusal !== undefined && refusal !== '')
    content = content === '' ? refusal : `${content}\n${refusal}`;
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
    refuseVariant(POLICY, 'messages[assistant].tool_calls', call.type, itemParam);
    if (call.type !== undefined && call.type !== 'function') {
      throw invalidRequest(
        `\`${itemParam}.type\` ${JSON.stringify(call.type)} is not supported; only "function" tool calls are`,
        `${itemParam}.type`,
      );
    }
    const shape = 'messages[assistant].tool_calls[function]';
    checkNestedFields(call, POLICY, shape, itemParam);
    const functionSpec = requireObject(call.function, `${itemParam}.function`);
    checkNestedFields(functionSpec, POLICY, `${shape}.function`, `${itemParam}.function`);
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
 * `shape` is the message's pattern (`messages[tool]`).
 */
function decodeTextContent(value: unknown, param: string, shape: string): string {
  const assistant = shape === 'messages[assistant]';
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
    if (part.type === 'text' || (assistant && part.type === 'refusal'))
      checkNestedFields(part, POLICY, `${shape}.content[${part.type}]`, partParam);
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
    refuseVariant(POLICY, 'messages[user].content', part.type, partParam);
    if (part.type === 'text' || part.type === 'image_url')
      checkNestedFields(part, POLICY, `messages[user].content[${part.type}]`, partParam);
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

/**
 * `image_url` is `{url, detail?}` (or, from some clients, the URL string itself); `detail` is
 * kept for the OpenAI wires (decodeImageDetail).
 */
function decodeImagePart(value: unknown, param: string): ContentPart {
  let url: string;
  let detail: ImageDetail | undefined;
  if (typeof value === 'string') {
    url = value;
  } else if (isObject(value)) {
    checkNestedFields(value, POLICY, 'messages[user].content[image_url].image_url', param);
    url = requireString(value.url, `${param}.url`, false);
    detail = decodeImageDetail(value.detail, `${param}.detail`);
  } else {
    throw invalidRequest(`\`${param}\` must be an object with a \`url\``, param);
  }
  if (url.length === 0) throw invalidRequest(`\`${param}\` must not be empty`, param);
  const part: ImagePart = { type: 'image', url };
  const mediaType = dataUrlMediaType(url);
  if (mediaType !== undefined) part.mediaType = mediaType;
  if (detail !== undefined) part.detail = detail;
  return part;
}
