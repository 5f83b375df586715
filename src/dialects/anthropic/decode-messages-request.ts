import { GatewayError } from '../../core/errors.js';
import type { ChatRequest, Message, ToolDefinition } from '../../core/request.js';
import {
  invalidRequest,
  isObject,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  type JsonObject,
  requireToolSchema,
} from '../field-readers.js';
import { withCacheControl } from '../decode-cache-control.js';
import { checkBodyFields } from '../field-policy.js';
import { decodeMessageTurns, decodeSystemBlocks } from './decode-message-turns.js';
import { decodeMessagesOptions } from './decode-messages-options.js';
import { checkItem, checkNestedFields } from '../nested-field-policy.js';
import { MESSAGES_FIELD_POLICY } from './messages-field-policy.js';
import { MESSAGES_NESTED_POLICY as POLICY } from './messages-nested-field-policy.js';

/**
 * Decodes an Anthropic `POST /v1/messages` body (and its `anthropic-beta` header) into a
 * canonical ChatRequest. `system` blocks and `cache_control` marks (on system blocks, message
 * blocks and tools) are kept. Every field is in MESSAGES_FIELD_POLICY: unknown ones are refused by
 * name.
 */
export function decodeMessagesRequest(body: unknown, betaHeader?: string | string[]): ChatRequest {
  if (!isObject(body)) throw invalidRequest('The request body must be a JSON object', 'body');
  checkBodyFields(body, MESSAGES_FIELD_POLICY);
  const model = requireString(body.model, 'model', false);
  const maxTokens = optionalInteger(body.max_tokens, 'max_tokens', 1);
  if (maxTokens === undefined)
    throw invalidRequest('`max_tokens` is required and must be a positive integer', 'max_tokens');
  const messages: Message[] = [];
  if (body.system !== undefined && body.system !== null) {
    for (const block of decodeSystemBlocks(body.system, 'system')) messages.push(block);
  }
  decodeMessageTurns(body.messages, messages);
  const stream = optionalBoolean(body.stream, 'stream') ?? false;
  // Anthropic streams always carry usage.
  const request: ChatRequest = { kind: 'chat', model, messages, maxTokens, stream };
  if (stream) request.streamUsage = true;

  const temperature = optionalNumber(body.temperature, 'temperature', 0, 1);
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumber(body.top_p, 'top_p', 0, 1);
  if (topP !== undefined) request.topP = topP;
  const stop = decodeStopSequences(body.stop_sequences);
  if (stop !== undefined) request.stop = stop;
  if (body.metadata !== undefined && body.metadata !== null) {
    const metadata = requireObject(body.metadata, 'metadata');
    checkNestedFields(metadata, POLICY, 'metadata', 'metadata');
    const user = optionalString(metadata.user_id, 'metadata.user_id');
    if (user !== undefined) request.user = user;
  }
  const tools = decodeTools(body.tools);
  if (tools !== undefined) request.tools = tools;
  decodeToolChoice(body.tool_choice, request);
  decodeOutputConfig(body.output_config, request);
  decodeMessagesOptions(body, request, betaHeader);
  return request;
}

function decodeStopSequences(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = requireArray(value, 'stop_sequences');
  for (let index = 0; index < list.length; index++) {
    requireString(list[index], `stop_sequences[${index}]`);
  }
  return list.length === 0 ? undefined : (list as string[]);
}

function decodeTools(value: unknown): ToolDefinition[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = requireArray(value, 'tools');
  if (list.length === 0) return undefined;
  const tools: ToolDefinition[] = new Array<ToolDefinition>(list.length);
  for (let index = 0; index < list.length; index++) {
    const param = `tools[${index}]`;
    const tool = requireObject(list[index], param);
    const custom = tool.type === undefined || tool.type === null || tool.type === 'custom';
    if (custom) checkNestedFields(tool, POLICY, 'tools[custom]', param);
    // MESSAGES_NESTED_POLICY's `tools[server tool]` row.
    else {
      throw new GatewayError(
        'unsupported',
        `Server tool ${JSON.stringify(tool.type)} is not supported by this gateway; only client tools with an \`input_schema\` are`,
        { param: `${param}.type` },
      );
    }
    const definition: ToolDefinition = {
      name: requireString(tool.name, `${param}.name`, false),
      parameters: requireToolSchema(tool.input_schema, `${param}.input_schema`),
    };
    const description = optionalString(tool.description, `${param}.description`);
    if (description !== undefined) definition.description = description;
    // Tool search is not served: a deferred tool is an ordinary one (MESSAGES_NESTED_POLICY).
    optionalBoolean(tool.defer_loading, `${param}.defer_loading`);
    const strict = optionalBoolean(tool.strict, `${param}.strict`);
    if (strict !== undefined) definition.strict = strict;
    tools[index] = withCacheControl(definition, tool, param);
  }
  return tools;
}

function decodeToolChoice(value: unknown, request: ChatRequest): void {
  if (value === undefined || value === null) return;
  const choice = requireObject(value, 'tool_choice');
  checkItem(choice, POLICY, 'tool_choice', 'tool_choice');
  switch (choice.type) {
    case 'auto':
      request.toolChoice = 'auto';
      break;
    case 'any':
      request.toolChoice = 'required';
      break;
    case 'tool':
      request.toolChoice = { name: requireString(choice.name, 'tool_choice.name', false) };
      break;
    case 'none':
      request.toolChoice = 'none';
      return;
    default:
      throw invalidRequest(
        '`tool_choice.type` must be one of auto, any, tool, none',
        'tool_choice.type',
      );
  }
  if (
    optionalBoolean(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use') ===
    true
  ) {
    request.parallelToolCalls = false;
  }
}

/** `output_config.effort` → reasoning effort (`xhigh`/`max` → `high`); `output_config.format` → JSON schema output. */
function decodeOutputConfig(value: unknown, request: ChatRequest): void {
  if (value === undefined || value === null) return;
  const config = requireObject(value, 'output_config');
  checkNestedFields(config, POLICY, 'output_config', 'output_config');
  const effort = config.effort;
  if (effort === 'low' || effort === 'medium' || effort === 'high')
    request.reasoningEffort = effort;
  else if (effort === 'xhigh' || effort === 'max') request.reasoningEffort = 'high';
  else if (effort !== undefined && effort !== null) {
    throw invalidRequest(
      '`output_config.effort` must be one of low, medium, high, xhigh, max',
      'output_config.effort',
    );
  }
  if (config.format === undefined || config.format === null) return;
  const format: JsonObject = requireObject(config.format, 'output_config.format');
  checkItem(format, POLICY, 'output_config.format', 'output_config.format');
  if (format.type !== 'json_schema') {
    throw invalidRequest(
      '`output_config.format.type` must be "json_schema"',
      'output_config.format.type',
    );
  }
  request.responseFormat = {
    type: 'json_schema',
    name: 'response',
    schema: requireObject(format.schema, 'output_config.format.schema'),
  };
}
