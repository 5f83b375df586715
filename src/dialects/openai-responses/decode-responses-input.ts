import { GatewayError } from '../../core/errors.js';
import type {
  AssistantMessage,
  ContentPart,
  ImagePart,
  Message,
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
import { checkItem, checkNestedFields } from '../nested-field-policy.js';
import { decodeReasoningItem } from './reasoning-content.js';
import { RESPONSES_NESTED_POLICY as POLICY } from './responses-nested-field-policy.js';

/**
 * Responses input items → canonical messages. Assistant output that belongs to one turn (a
 * message, then its function calls) becomes one assistant message with tool calls; every
 * `function_call_output` / `custom_tool_call_output` becomes a tool message.
 */
export class InputDecoder {
  readonly messages: Message[] = [];

  /** Adds a string input: one user message. */
  addText(text: string): void {
    this.messages.push({ role: 'user', content: [{ type: 'text', text }] });
  }

  addItems(value: unknown, param: string): void {
    const items = requireArray(value, param);
    for (let index = 0; index < items.length; index++)
      this.addItem(items[index], `${param}[${index}]`);
  }

  private addItem(value: unknown, param: string): void {
    const item = requireObject(value, param);
    const type = item.type ?? 'message';
    // Every item's keys against RESPONSES_NESTED_POLICY; an item without `type` is a message.
    if (item.type === undefined || item.type === null)
      checkNestedFields(item, POLICY, 'input[message]', param);
    else checkItem(item, POLICY, 'input', param);
    checkItemMetadata(item, param);
    switch (type) {
      case 'message':
        return this.addMessage(item, param);
      case 'function_call':
        return this.addCall({
          id: requireString(item.call_id, `${param}.call_id`, false),
          name: requireString(item.name, `${param}.name`, false),
          arguments: requireString(item.arguments, `${param}.arguments`),
        });
      case 'custom_tool_call':
        return this.addCall({
          id: requireString(item.call_id, `${param}.call_id`, false),
          name: requireString(item.name, `${param}.name`, false),
          // A custom tool is a function with one string argument upstream (decode-responses-tools.ts).
          arguments: JSON.stringify({ input: requireString(item.input, `${param}.input`) }),
        });
      case 'function_call_output':
      case 'custom_tool_call_output':
        this.messages.push({
          role: 'tool',
          toolCallId: requireString(item.call_id, `${param}.call_id`, false),
          content: decodeToolOutput(item.output, `${param}.output`, `input[${type}].output`),
        });
        return;
      case 'reasoning': {
        // The reasoning of the assistant turn it opens; the adapters send it where their wire takes it.
        const block = decodeReasoningItem(item, param);
        const last = this.messages[this.messages.length - 1];
        if (last?.role === 'assistant' && isReasoningOnly(last))
          (last.reasoning ??= []).push(block);
        else this.messages.push({ role: 'assistant', content: '', reasoning: [block] });
        return;
      }
      case 'item_reference':
        throw new GatewayError(
          'unsupported',
          '`item_reference` input items are not supported; send the items themselves, or use previous_response_id.',
          { param: `${param}.type` },
        );
      default:
        throw new GatewayError(
          'unsupported',
          `Input items of type ${JSON.stringify(type)} are not supported: this gateway serves messages, function and custom tool calls and their outputs, and reasoning items.`,
          { param: `${param}.type` },
        );
    }
  }

  private addMessage(item: JsonObject, param: string): void {
    const role = item.role;
    switch (role) {
      case 'user':
        this.messages.push({
          role: 'user',
          content: decodeUserContent(item.content, `${param}.content`),
        });
        return;
      case 'system':
      case 'developer':
        this.messages.push({
          role: 'system',
          content: decodeText(item.content, `${param}.content`, INSTRUCTION_PARTS, MESSAGE_PARTS),
        });
        return;
      case 'assistant': {
        const content = decodeText(
          item.content,
          `${param}.content`,
          ASSISTANT_PARTS,
          MESSAGE_PARTS,
        );
        const last = this.messages[this.messages.length - 1];
        // The message the turn's reasoning led to.
        if (last?.role === 'assistant' && isReasoningOnly(last)) last.content = content;
        else this.messages.push({ role: 'assistant', content });
        return;
      }
      default:
        throw invalidRequest(
          `\`${param}.role\` must be one of user, assistant, system, developer`,
          `${param}.role`,
        );
    }
  }

  /** A call joins the assistant turn it follows, or opens one. */
  private addCall(call: ToolCall): void {
    const last = this.messages[this.messages.length - 1];
    if (last?.role === 'assistant') {
      (last.toolCalls ??= []).push(call);
      return;
    }
    const turn: AssistantMessage = { role: 'assistant', content: '', toolCalls: [call] };
    this.messages.push(turn);
  }
}

const STATUSES = new Set(['in_progress', 'completed', 'incomplete']);

/**
 * The fields that describe an item rather than its content (`id`, `status`, a message's `phase`,
 * a call's `parsed_arguments`, the openai SDK's parsed copy of `arguments`): checked, not needed
 * upstream.
 */
function checkItemMetadata(item: JsonObject, param: string): void {
  optionalString(item.id, `${param}.id`);
  const status = optionalString(item.status, `${param}.status`);
  if (status !== undefined && !STATUSES.has(status))
    throw invalidRequest(
      `\`${param}.status\` must be one of in_progress, completed, incomplete`,
      `${param}.status`,
    );
  optionalString(item.phase, `${param}.phase`);
  const parsed = item.parsed_arguments;
  if (parsed !== undefined && parsed !== null && !isObject(parsed))
    throw invalidRequest(
      `\`${param}.parsed_arguments\` must be an object`,
      `${param}.parsed_arguments`,
    );
}

/** An assistant turn that so far holds only reasoning items. */
function isReasoningOnly(message: AssistantMessage): boolean {
  return (
    message.reasoning !== undefined &&
    message.content === '' &&
    (message.toolCalls === undefined || message.toolCalls.length === 0)
  );
}

const INSTRUCTION_PARTS = new Set(['input_text']);
const ASSISTANT_PARTS = new Set(['output_text', 'input_text', 'refusal']);

/** Text content: a string, or text parts joined with newlines. */
/** The path pattern of message content parts. */
const MESSAGE_PARTS = 'input[message].content';

/** Text content: a string, or text parts (at path pattern `shape`) joined with newlines. */
function decodeText(
  value: unknown,
  param: string,
  allowed: ReadonlySet<string>,
  shape: string,
): string {
  if (typeof value === 'string') return value;
  const parts = requireArray(value, param);
  let text = '';
  for (let index = 0; index < parts.length; index++) {
    const partParam = `${param}[${index}]`;
    const part = requireObject(parts[index], partParam);
    checkItem(part, POLICY, shape, partParam);
    if (!allowed.has(String(part.type))) {
      throw new GatewayError(
        'unsupported',
        `Content part type ${JSON.stringify(part.type)} is not supported here; ${[...allowed].join(', ')} parts are.`,
        { param: `${partParam}.type` },
      );
    }
    const piece =
      part.type === 'refusal'
        ? requireString(part.refusal, `${partParam}.refusal`)
        : requireString(part.text, `${partParam}.text`);
    text = index === 0 ? piece : `${text}\n${piece}`;
  }
  return text;
}

function decodeUserContent(value: unknown, param: string): ContentPart[] {
  if (typeof value === 'string') return [{ type: 'text', text: value }];
  const parts = requireArray(value, param);
  const content: ContentPart[] = [];
  for (let index = 0; index < parts.length; index++) {
    const partParam = `${param}[${index}]`;
    const part = requireObject(parts[index], partParam);
    checkItem(part, POLICY, MESSAGE_PARTS, partParam);
    if (part.type === 'input_text')
      content.push({ type: 'text', text: requireString(part.text, `${partParam}.text`) });
    else if (part.type === 'input_image') content.push(decodeImage(part, partParam));
    else {
      throw new GatewayError(
        'unsupported',
        `Content part type ${JSON.stringify(part.type)} is not supported; input_text and input_image parts are.`,
        { param: `${partParam}.type` },
      );
    }
  }
  return content;
}

function decodeImage(part: JsonObject, param: string): ContentPart {
  if (part.file_id !== undefined && part.file_id !== null) {
    throw new GatewayError(
      'unsupported',
      'Images by `file_id` are not supported (this gateway has no Files API); send `image_url` (an https or data: URL).',
      { param: `${param}.file_id` },
    );
  }
  const url = requireString(part.image_url, `${param}.image_url`, false);
  const detail = decodeImageDetail(part.detail, `${param}.detail`);
  const image: ImagePart = { type: 'image', url };
  const mediaType = dataUrlMediaType(url);
  if (mediaType !== undefined) image.mediaType = mediaType;
  if (detail !== undefined) image.detail = detail;
  return image;
}

/** A tool output: a string, or input_text parts joined with newlines. */
function decodeToolOutput(value: unknown, param: string, shape: string): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) && isObject(value))
    throw invalidRequest(`\`${param}\` must be a string or an array of input_text parts`, param);
  return decodeText(value, param, INSTRUCTION_PARTS, shape);
}
