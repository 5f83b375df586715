import type { CacheControl, ContentPart, Message } from '../../core/request.js';

import { historyReasoningText } from './encode-chat-options.js';

type JsonObject = Record<string, unknown>;

/**
 * Canonical messages → OpenAI chat `messages`. Cache marks (`cacheControl`) are sent only when
 * `cacheMarks` is on (an upstream that takes Anthropic-style `cache_control` on content parts,
 * such as OpenRouter): marked text then goes as a content-part array carrying the mark, and
 * consecutive system messages stay separate parts of one system message. Otherwise marks are
 * dropped (OpenAI and DeepSeek cache prompt prefixes automatically) and consecutive system
 * messages are joined with newlines into one, as OpenAI-compatible servers expect.
 */
export function encodeChatMessages(
  messages: readonly Message[],
  cacheMarks: boolean,
  reasoning = false,
): JsonObject[] {
  const encoded: JsonObject[] = [];
  let system: Extract<Message, { role: 'system' }>[] = [];
  const flushSystem = (): void => {
    if (system.length > 0) encoded.push(encodeSystem(system, cacheMarks));
    system = [];
  };
  for (const message of messages) {
    if (message.role === 'system') {
      system.push(message);
      continue;
    }
    flushSystem();
    encoded.push(encodeMessage(message, cacheMarks, reasoning));
  }
  flushSystem();
  return encoded;
}

function encodeSystem(
  blocks: Extract<Message, { role: 'system' }>[],
  cacheMarks: boolean,
): JsonObject {
  if (cacheMarks && blocks.some((block) => block.cacheControl !== undefined)) {
    return {
      role: 'system',
      content: blocks.map((block) => textPart(block.content, block.cacheControl)),
    };
  }
  return { role: 'system', content: blocks.map((block) => block.content).join('\n') };
}

/** `reasoning` true: an assistant turn's reasoning goes back as `reasoning_content` (DeepSeek thinking). */
function encodeMessage(
  message: Exclude<Message, { role: 'system' }>,
  cacheMarks: boolean,
  reasoning: boolean,
): JsonObject {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: encodeUserContent(message.content, cacheMarks) };
    case 'assistant': {
      const toolCalls = message.toolCalls ?? [];
      const mark = cacheMarks ? message.cacheControl : undefined;
      let content: unknown =
        message.content === '' && toolCalls.length > 0 ? null : message.content;
      if (mark !== undefined && message.content !== '') content = [textPart(message.content, mark)];
      const encoded: JsonObject = { role: 'assistant', content };
      const reasoningText = reasoning ? historyReasoningText(message) : undefined;
      if (reasoningText !== undefined) encoded['reasoning_content'] = reasoningText;
      if (toolCalls.length > 0) {
        encoded['tool_calls'] = toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        }));
      }
      return encoded;
    }
    case 'tool': {
      const mark = cacheMarks ? message.cacheControl : undefined;
      return {
        role: 'tool',
        tool_call_id: message.toolCallId,
        content: mark === undefined ? message.content : [textPart(message.content, mark)],
      };
    }
  }
}

function encodeUserContent(parts: ContentPart[], cacheMarks: boolean): string | JsonObject[] {
  if (parts.length === 0) return '';
  const first = parts[0] as ContentPart;
  const marked = cacheMarks && parts.some((part) => part.cacheControl !== undefined);
  if (parts.length === 1 && first.type === 'text' && !marked) return first.text;
  return parts.map((part) => {
    const mark = cacheMarks ? part.cacheControl : undefined;
    if (part.type === 'text') return textPart(part.text, mark);
    const image: JsonObject = { type: 'image_url', image_url: { url: part.url } };
    if (mark !== undefined) image['cache_control'] = wireMark(mark);
    return image;
  });
}

function textPart(text: string, mark: CacheControl | undefined): JsonObject {
  const part: JsonObject = { type: 'text', text };
  if (mark !== undefined) part['cache_control'] = wireMark(mark);
  return part;
}

function wireMark(mark: CacheControl): JsonObject {
  return mark.ttl === undefined ? { type: mark.type } : { type: mark.type, ttl: mark.ttl };
}
