import type {
  ChatRequest,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '../../core/request.js';
import {
  invalidRequest,
  isObject,
  optionalBoolean,
  optionalInteger,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  type JsonObject,
  requireToolSchema,
} from '../field-readers.js';
import { checkBodyFields } from '../field-policy.js';
import { checkNestedFields, refuseVariant } from '../nested-field-policy.js';
import { CHAT_FIELD_POLICY } from './chat-field-policy.js';
import { CHAT_NESTED_POLICY as POLICY } from './chat-nested-field-policy.js';
import { decodeChatMessages } from './decode-chat-messages.js';
import { decodeChatOptions } from './decode-chat-options.js';
import { decodeSamplingParams, decodeStreamFlags } from './decode-sampling-params.js';

/**
 * Decodes an OpenAI `POST /v1/chat/completions` body into a canonical ChatRequest. Every field
 * is in CHAT_FIELD_POLICY: unknown fields are refused by name; null optional fields count as absent.
 */
export function decodeChatRequest(body: unknown): ChatRequest {
  if (!isObject(body)) throw invalidRequest('The request body must be a JSON object', 'body');
  rejectLegacyFunctions(body);
  checkBodyFields(body, CHAT_FIELD_POLICY);
  const model = requireString(body.model, 'model', false);
  const messages = decodeChatMessages(body.messages);
  const { stream, streamUsage } = decodeStreamFlags(body, POLICY);
  const request: ChatRequest = { kind: 'chat', model, messages, stream };
  if (streamUsage !== undefined) request.streamUsage = streamUsage;
  decodeSamplingParams(body, request);
  // `max_completion_tokens` replaces the deprecated `max_tokens`; it wins when both are set.
  const maxTokens =
    optionalInteger(body.max_completion_tokens, 'max_completion_tokens', 1) ??
    optionalInteger(body.max_tokens, 'max_tokens', 1);
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  const tools = decodeTools(body.tools);
  if (tools !== undefined) request.tools = tools;
  const toolChoice = decodeToolChoice(body.tool_choice);
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  const parallelToolCalls = optionalBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  if (parallelToolCalls !== undefined) request.parallelToolCalls = parallelToolCalls;
  const responseFormat = decodeResponseFormat(body.response_format);
  if (responseFormat !== undefined) request.responseFormat = responseFormat;
  const reasoningEffort = decodeReasoningEffort(body.reasoning_effort);
  if (reasoningEffort !== undefined) request.reasoningEffort = reasoningEffort;
  decodeChatOptions(body, request);
  return request;
}

function rejectLegacyFunctions(body: JsonObject): void {
  if (body.functions !== undefined && body.functions !== null) {
    throw invalidRequest(
      'The legacy `functions` parameter is not supported; use `tools`',
      'functions',
    );
  }
  if (body.function_call !== undefined && body.function_call !== null) {
    throw invalidRequest(
      'The legacy `function_call` parameter is not supported; use `tool_choice`',
      'function_call',
    );
  }
}

function decodeTools(value: unknown): ToolDefinition[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = requireArray(value, 'tools');
  if (list.length === 0) return undefined;
  const tools: ToolDefinition[] = new Array<ToolDefinition>(list.length);
  for (let index = 0; index < list.length; index++) {
    const param = `tools[${index}]`;
    const tool = requireObject(list[index], param);
    refuseVariant(POLICY, 'tools', tool.type, param);
    if (tool.type !== 'function') {
      throw invalidRequest(
        `Tool type ${JSON.stringify(tool.type)} is not supported; only "function" tools are`,
        `${param}.type`,
      );
    }
    checkNestedFields(tool, POLICY, 'tools[function]', param);
    const functionSpec = requireObject(tool.function, `${param}.function`);
    checkNestedFields(functionSpec, POLICY, 'tools[function].function', `${param}.function`);
    const definition: ToolDefinition = {
      name: requireString(functionSpec.name, `${param}.function.name`, false),
      parameters: decodeParameters(functionSpec.parameters, `${param}.function.parameters`),
    };
    const description = optionalString(functionSpec.description, `${param}.function.description`);
    if (description !== undefined) definition.description = description;
    const strict = optionalBoolean(functionSpec.strict, `${param}.function.strict`);
    if (strict !== undefined) definition.strict = strict;
    tools[index] = definition;
  }
  return tools;
}

function decodeParameters(value: unknown, param: string): JsonObject {
  if (value === undefined || value === null) return { type: 'object', properties: {} };
  return requireToolSchema(value, param);
}

function decodeToolChoice(value: unknown): ToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  if (isObject(value)) refuseVariant(POLICY, 'tool_choice', value.type, 'tool_choice');
  if (isObject(value) && value.type === 'function') {
    checkNestedFields(value, POLICY, 'tool_choice[function]', 'tool_choice');
    const functionSpec = requireObject(value.function, 'tool_choice.function');
    checkNestedFields(
      functionSpec,
      POLICY,
      'tool_choice[function].function',
      'tool_choice.function',
    );
    return { name: requireString(functionSpec.name, 'tool_choice.function.name', false) };
  }
  if (isObject(value))
    throw invalidRequest('`tool_choice.type` must be "function"', 'tool_choice.type');
  throw invalidRequest(
    '`tool_choice` must be "auto", "none", "required" or {"type": "function", "function": {"name": …}}',
    'tool_choice',
  );
}

function decodeResponseFormat(value: unknown): ResponseFormat | undefined {
  if (value === undefined || value === null) return undefined;
  const format = requireObject(value, 'response_format');
  if (format.type === 'text' || format.type === 'json_object' || format.type === 'json_schema')
    checkNestedFields(format, POLICY, `response_format[${format.type}]`, 'response_format');
  switch (format.type) {
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      const definition = requireObject(format.json_schema, 'response_format.json_schema');
      checkNestedFields(
        definition,
        POLICY,
        'response_format[json_schema].json_schema',
        'response_format.json_schema',
      );
      const result: ResponseFormat = {
        type: 'json_schema',
        name: requireString(definition.name, 'response_format.json_schema.name', false),
        schema:
          definition.schema === undefined || definition.schema === null
            ? {}
            : requireObject(definition.schema, 'response_format.json_schema.schema'),
      };
      const strict = optionalBoolean(definition.strict, 'response_format.json_schema.strict');
      if (strict !== undefined) result.strict = strict;
      const description = optionalString(
        definition.description,
        'response_format.json_schema.description',
      );
      if (description !== undefined) result.description = description;
      return result;
    }
    default:
      throw invalidRequest(
        '`response_format.type` must be one of text, json_object, json_schema',
        'response_format.type',
      );
  }
}

/**
 * OpenAI's efforts beyond the canonical four map to the nearest one:
 * `none` → `minimal`, `xhigh` and `max` → `high`.
 */
function decodeReasoningEffort(value: unknown): ChatRequest['reasoningEffort'] {
  if (value === undefined || value === null) return undefined;
  switch (value) {
    case 'minimal':
      return 'minimal';
    case 'low':
      return 'low';
    case 'medium':
      return 'medium';
    case 'high':
      return 'high';
    case 'none':
      return 'minimal';
    case 'xhigh':
    case 'max':
      return 'high';
    default:
      throw invalidRequest(
        '`reasoning_effort` must be one of none, minimal, low, medium, high, xhigh',
        'reasoning_effort',
      );
  }
}
