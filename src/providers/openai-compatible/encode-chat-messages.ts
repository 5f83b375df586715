import { GatewayError } from '../../core/errors.js';
import type { AssistantMessage, CacheControl, ContentPart, Message } from '../../core/request.js';
import { toolOutputText } from '../tool-output-text.js';

type JsonObject = Record<string, unknown>;

/** Whether the upstream takes earlier reasoning back (`thinking_param`), and who it is (for refusals). */
export interface ReasoningInput {
  providerId: string;
  takesReasoning: boolean;
}

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
  reasoning: ReasoningInput = { providerId: 'upstream', takesReasoning: false },
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
  reasoning: ReasoningInput,
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
      if (message.reasoning !== undefined && message.reasoning.length > 0) {
        const text = reasoningContent(message, reasoning);
        if (text !== undefined) encoded['reasoning_content'] = text;
      }
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
        content:
          mark === undefined ? toolOutputText(message) : [textPart(toolOutputText(message), mark)],
      };
    }
  }
}

/**
 * An earlier turn's reasoning as `reasoning_content` (DeepSeek's field, which it takes back in
 * tool-call turns), for upstreams with the `thinking_param` quirk: the text of its thinking and
 * encrypted blocks. Elsewhere, and for reasoning that is only another wire's opaque data (a
 * redacted block, an encrypted item without summary text), it is refused by name: the request
 * fails over to a deployment that takes it, or the client learns to leave the items out.
 * Optional reasoning (an Anthropic client's thinking blocks) is left out instead of refused, and
 * only its readable text goes back.
 */
function reasoningContent(
  message: AssistantMessage,
  reasoning: ReasoningInput,
): string | undefined {
  let text = '';
  let opaque = false;
  for (const block of message.reasoning ?? []) {
    if (block.type === 'redacted' || block.text === '') opaque = true;
    else text += block.text;
  }
  if (message.reasoningOptional === true)
    return reasoning.takesReasoning && text !== '' ? text : undefined;
  if (!reasoning.takesReasoning || opaque) {
    throw new GatewayError(
      'unsupported',
      `${reasoning.providerId} cannot take earlier reasoning back (\`reasoning\` input items${
        reasoning.takesReasoning ? " that carry only another provider's encrypted reasoning" : ''
      }); leave the reasoning items out of the input.`,
      { param: 'input', provider: reasoning.providerId },
    );
  }
  return text;
}

function encodeUserContent(parts: ContentPart[], cacheMarks: boolean): string | JsonObject[] {
  if (parts.length === 0) return '';
  const first = parts[0] as ContentPart;
  const marked = cacheMarks && parts.some((part) => part.cacheControl !== undefined);
  if (parts.length === 1 && first.type === 'text' && !marked) return first.text;
  return parts.map((part) => {
    const mark = cacheMarks ? part.cacheControl : undefined;
    if (part.type === 'text') return textPart(part.text, mark);
    const url: JsonObject = { url: part.url };
    if (part.detail !== undefined) url['detail'] = part.detail;
    const image: JsonObject = { type: 'image_url', image_url: url };
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
