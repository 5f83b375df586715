import { GatewayError } from '../../core/errors.js';
import type { ProviderQuirks } from '../../core/provider.js';
import {
  encodeAnthropicOptions,
  encodeHistoryReasoning,
  nativeFormat,
} from './encode-request-options.js';
import type {
  CacheControl,
  AssistantMessage,
  ChatRequest,
  ContentPart,
  ImagePart,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '../../core/request.js';

/**
 * `max_tokens` is required by the Messages API; this is sent when the client gave none. 4096 is
 * the largest output every current Claude model accepts (Claude 3 Haiku's limit).
 */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

type JsonObject = Record<string, unknown>;
type Role = 'user' | 'assistant';
interface WireMessage {
  role: Role;
  content: JsonObject[];
}

export interface AnthropicEncodeOptions {
  providerId: string;
  upstreamModel: string;
  stream: boolean;
  /** The provider's quirks: structured outputs, allowed betas. */
  quirks?: ProviderQuirks;
}

/**
 * Canonical chat request → Anthropic Messages body. System messages become the top-level
 * `system` (one block each); cache marks become `cache_control` on the same blocks; tool results
 * become `tool_result` blocks in user turns; consecutive same-role turns are merged (the API wants
 * alternation). Fields this wire cannot take (seed, penalties, logprobs…) never reach here: the
 * endpoint refuses them before the attempt (src/dialects/field-policy.ts).
 */
export function encodeAnthropicBody(
  request: ChatRequest,
  options: AnthropicEncodeOptions,
): JsonObject {
  if (request.n !== undefined && request.n > 1) {
    throw new GatewayError(
      'unsupported',
      `${options.providerId} (Anthropic) does not support more than one choice (n > 1).`,
      {
        param: 'n',
        provider: options.providerId,
      },
    );
  }
  // Verbosity is refused (the request fails over to an upstream that has it); prompt_cache_key,
  // an OpenAI cache-routing hint, is left out: Anthropic caches by cache_control marks.
  if (request.verbosity !== undefined) {
    throw new GatewayError(
      'unsupported',
      `${options.providerId} (Anthropic) has no verbosity control (\`text.verbosity\` / \`verbosity\`); leave it out, or use a model served by OpenAI.`,
      { param: 'verbosity', provider: options.providerId },
    );
  }
  const systemParts: JsonObject[] = [];
  const messages: WireMessage[] = [];
  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
        systemParts.push(marked({ type: 'text', text: message.content }, message.cacheControl));
        break;
      case 'user':
        append(
          messages,
          'user',
          message.content.flatMap((part) => encodeUserPart(part, options.providerId)),
        );
        break;
      case 'assistant': {
        const blocks: JsonObject[] = encodeHistoryReasoning(message, options.providerId);
        if (message.content !== '')
          blocks.push(marked({ type: 'text', text: message.content }, message.cacheControl));
        for (const call of message.toolCalls ?? []) {
          const block: JsonObject = {
            type: 'tool_use',
            id: call.id,
            name: call.name,
            input: parseToolInput(call.arguments),
          };
          blocks.push(marked(block, call.cacheControl));
        }
        append(messages, 'assistant', blocks);
        break;
      }
      case 'tool': {
        const result: JsonObject = {
          type: 'tool_result',
          tool_use_id: message.toolCallId,
          content: message.content,
        };
        if (message.isError === true) result['is_error'] = true;
        append(messages, 'user', [marked(result, message.cacheControl)]);
        break;
      }
    }
  }
  trimFinalAssistantText(messages);
  const instruction = nativeFormat(request, options.quirks)
    ? undefined
    : responseFormatInstruction(request.responseFormat);
  if (instruction !== undefined) systemParts.push({ type: 'text', text: instruction });

  const body: JsonObject = {
    model: options.upstreamModel,
    max_tokens: request.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages,
  };
  if (systemParts.length > 0) body['system'] = encodeSystem(systemParts);
  if (request.stop !== undefined && request.stop.length > 0) body['stop_sequences'] = request.stop;
  if (request.temperature !== undefined)
    body['temperature'] = Math.min(1, Math.max(0, request.temperature));
  if (request.topP !== undefined) body['top_p'] = request.topP;
  if (request.tools !== undefined && request.tools.length > 0) {
    body['tools'] = request.tools.map(encodeTool);
    const toolChoice = encodeToolChoice(request.toolChoice, request.parallelToolCalls);
    if (toolChoice !== undefined) body['tool_choice'] = toolChoice;
  }
  if (request.user !== undefined) body['metadata'] = { user_id: request.user };
  encodeAnthropicOptions(request, body, options.providerId, options.quirks);
  if (options.stream) body['stream'] = true;
  return body;
}

/**
 * The top-level `system`: one text block per system message, so block boundaries and cache marks
 * reach the upstream as the client sent them; a single unmarked block is sent as a plain string.
 */
function encodeSystem(blocks: JsonObject[]): string | JsonObject[] {
  const only = blocks[0];
  if (blocks.length === 1 && only !== undefined && only['cache_control'] === undefined)
    return only['text'] as string;
  return blocks;
}

/** `block` with its `cache_control` mark, when it has one. */
function marked(block: JsonObject, mark: CacheControl | undefined): JsonObject {
  if (mark !== undefined)
    block['cache_control'] =
      mark.ttl === undefined ? { type: mark.type } : { type: mark.type, ttl: mark.ttl };
  return block;
}

/** Appends blocks as a turn, merging into the previous turn when it has the same role. */
function append(messages: WireMessage[], role: Role, blocks: JsonObject[]): void {
  if (blocks.length === 0) return;
  const previous = messages[messages.length - 1];
  if (previous === undefined || previous.role !== role) {
    messages.push({ role, content: blocks });
    return;
  }
  for (const block of blocks) {
    if (block['type'] === 'tool_result') {
      // tool_result blocks must come first in a user turn.
      let insertAt = 0;
      while (
        insertAt < previous.content.length &&
        previous.content[insertAt]?.['type'] === 'tool_result'
      )
        insertAt += 1;
      previous.content.splice(insertAt, 0, block);
    } else {
      previous.content.push(block);
    }
  }
}

/** The API rejects a final (prefill) assistant turn whose text ends in whitespace. */
function trimFinalAssistantText(messages: WireMessage[]): void {
  const last = messages[messages.length - 1];
  if (last === undefined || last.role !== 'assistant') return;
  const block = last.content[last.content.length - 1];
  if (block !== undefined && block['type'] === 'text' && typeof block['text'] === 'string')
    block['text'] = block['text'].trimEnd();
}

function encodeUserPart(part: ContentPart, providerId: string): JsonObject[] {
  if (part.type === 'text') {
    if (part.text === '') return [];
    return [marked({ type: 'text', text: part.text }, part.cacheControl)];
  }
  return [marked({ type: 'image', source: imageSource(part, providerId) }, part.cacheControl)];
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;

/** `data:` URL → base64 source; http(s) URL → url source. */
function imageSource(part: ImagePart, providerId: string): JsonObject {
  const match = DATA_URL.exec(part.url);
  if (match !== null) {
    const [, dataType = '', parameters = '', payload = ''] = match;
    const isBase64 = parameters.split(';').includes('base64');
    const data = isBase64
      ? payload
      : Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
    return {
      type: 'base64',
      media_type: part.mediaType ?? (dataType === '' ? 'image/png' : dataType),
      data,
    };
  }
  if (/^https?:\/\//i.test(part.url)) return { type: 'url', url: part.url };
  throw new GatewayError(
    'unsupported',
    `${providerId} (Anthropic) accepts images only as data: or http(s) URLs.`,
    {
      param: 'messages',
      provider: providerId,
    },
  );
}

/** Tool-call arguments as the object Anthropic wants; invalid or non-object JSON becomes {}. */
function parseToolInput(text: string): JsonObject {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : {};
  } catch {
    return {};
  }
}

function encodeTool(tool: ToolDefinition): JsonObject {
  const encoded: JsonObject = { name: tool.name };
  if (tool.description !== undefined) encoded['description'] = tool.description;
  encoded['input_schema'] = tool.parameters;
  return marked(encoded, tool.cacheControl);
}

function encodeToolChoice(
  choice: ToolChoice | undefined,
  parallelToolCalls: boolean | undefined,
): JsonObject | undefined {
  let encoded: JsonObject;
  if (choice === undefined || choice === 'auto') encoded = { type: 'auto' };
  else if (choice === 'none') return { type: 'none' };
  else if (choice === 'required') encoded = { type: 'any' };
  else encoded = { type: 'tool', name: choice.name };
  if (parallelToolCalls === false) encoded['disable_parallel_tool_use'] = true;
  else if (choice === undefined) return undefined;
  return encoded;
}

/** Anthropic has no JSON mode: the request for JSON becomes a system instruction. */
function responseFormatInstruction(format: ResponseFormat | undefined): string | undefined {
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_object') {
    return 'Respond with only a single valid JSON object. Do not add any text, explanation or Markdown code fences around it.';
  }
  const description = format.description === undefined ? '' : ` (${format.description})`;
  return (
    `Respond with only a single valid JSON object that conforms to the JSON Schema "${format.name}"${description} below. ` +
    `Do not add any text, explanation or Markdown code fences around it.\n${JSON.stringify(format.schema)}`
  );
}
