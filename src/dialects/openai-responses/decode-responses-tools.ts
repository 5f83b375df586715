import { GatewayError } from '../../core/errors.js';
import type { ResponseFormat, ToolChoice, ToolDefinition } from '../../core/request.js';
import {
  invalidRequest,
  isObject,
  optionalBoolean,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  type JsonObject,
  requireToolSchema,
} from '../field-readers.js';
import { checkItem } from '../nested-field-policy.js';
import { HOSTED_TOOLS } from './hosted-tools.js';
import { RESPONSES_NESTED_POLICY as POLICY } from './responses-nested-field-policy.js';

export interface DecodedTools {
  tools: ToolDefinition[];
  /** Names of the custom (freeform) tools. */
  custom: Set<string>;
}

/**
 * `tools` → canonical tools. A function tool maps one to one. A custom tool (free text input,
 * optionally constrained by a grammar) becomes a function with one string argument `input`, its
 * grammar written into the description for the model; its calls map back to `custom_tool_call`.
 * Hosted tools are refused by name.
 */
export function decodeResponsesTools(value: unknown): DecodedTools {
  const decoded: DecodedTools = { tools: [], custom: new Set() };
  if (value === undefined || value === null) return decoded;
  const list = requireArray(value, 'tools');
  const names = new Set<string>();
  for (let index = 0; index < list.length; index++) {
    const param = `tools[${index}]`;
    const tool = requireObject(list[index], param);
    const type = tool.type;
    if (type === 'function' || type === 'custom') checkItem(tool, POLICY, 'tools', param);
    let definition: ToolDefinition;
    if (type === 'function') {
      definition = {
        name: requireString(tool.name, `${param}.name`, false),
        parameters:
          tool.parameters === undefined || tool.parameters === null
            ? { type: 'object', properties: {} }
            : requireToolSchema(tool.parameters, `${param}.parameters`),
      };
      const description = optionalString(tool.description, `${param}.description`);
      if (description !== undefined) definition.description = description;
      const strict = optionalBoolean(tool.strict, `${param}.strict`);
      if (strict !== undefined) definition.strict = strict;
    } else if (type === 'custom') {
      definition = customToolFunction(tool, param);
      decoded.custom.add(definition.name);
    } else if (typeof type === 'string' && HOSTED_TOOLS[type] !== undefined) {
      throw new GatewayError(
        'unsupported',
        `The hosted tool "${type}" (${HOSTED_TOOLS[type]}) is not supported: it runs on OpenAI's platform, and this gateway serves other upstreams. Use function or custom tools.`,
        { param: `${param}.type` },
      );
    } else {
      throw new GatewayError(
        'unsupported',
        `Tool type ${JSON.stringify(type)} is not supported; function and custom tools are.`,
        { param: `${param}.type` },
      );
    }
    if (names.has(definition.name))
      throw invalidRequest(
        `Tool names must be unique; "${definition.name}" appears twice`,
        `${param}.name`,
      );
    names.add(definition.name);
    decoded.tools.push(definition);
  }
  return decoded;
}

function customToolFunction(tool: JsonObject, param: string): ToolDefinition {
  const name = requireString(tool.name, `${param}.name`, false);
  const description = optionalString(tool.description, `${param}.description`);
  let inputDescription = 'The raw input text for the tool (free text, not JSON).';
  if (tool.format !== undefined && tool.format !== null) {
    const format = requireObject(tool.format, `${param}.format`);
    checkItem(format, POLICY, 'tools[custom].format', `${param}.format`);
    if (format.type === 'grammar') {
      const syntax = format.syntax;
      if (syntax !== 'lark' && syntax !== 'regex')
        throw invalidRequest(
          `\`${param}.format.syntax\` must be "lark" or "regex"`,
          `${param}.format.syntax`,
        );
      const definition = requireString(format.definition, `${param}.format.definition`, false);
      inputDescription = `The raw input text for the tool. It must match this ${syntax === 'lark' ? 'Lark grammar' : 'regular expression'}:\n${definition}`;
    } else if (format.type !== 'text') {
      throw invalidRequest(
        `\`${param}.format.type\` must be "text" or "grammar"`,
        `${param}.format.type`,
      );
    }
  }
  const result: ToolDefinition = {
    name,
    parameters: {
      type: 'object',
      properties: { input: { type: 'string', description: inputDescription } },
      required: ['input'],
      additionalProperties: false,
    },
  };
  if (description !== undefined) result.description = description;
  return result;
}

/** `tool_choice` → canonical; hosted tool types and `allowed_tools` are refused by name. */
export function decodeResponsesToolChoice(
  value: unknown,
  tools: DecodedTools,
): ToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  if (isObject(value)) {
    checkItem(value, POLICY, 'tool_choice', 'tool_choice');
    if (value.type === 'function' || value.type === 'custom') {
      const name = requireString(value.name, 'tool_choice.name', false);
      const known =
        tools.tools.some((tool) => tool.name === name) &&
        tools.custom.has(name) === (value.type === 'custom');
      if (!known)
        throw invalidRequest(
          `\`tool_choice\` names the ${value.type} tool "${name}", which is not among \`tools\``,
          'tool_choice.name',
        );
      return { name };
    }
    if (typeof value.type === 'string') {
      throw new GatewayError(
        'unsupported',
        `\`tool_choice\` of type ${JSON.stringify(value.type)} is not supported; use "auto", "none", "required", or a function or custom tool by name.`,
        { param: 'tool_choice.type' },
      );
    }
  }
  throw invalidRequest(
    '`tool_choice` must be "auto", "none", "required" or {"type": "function" | "custom", "name": …}',
    'tool_choice',
  );
}

/** `text.format` → canonical response format (validated like chat `response_format`). */
export function decodeTextFormat(value: unknown): ResponseFormat | undefined {
  if (value === undefined || value === null) return undefined;
  const format = requireObject(value, 'text.format');
  checkItem(format, POLICY, 'text.format', 'text.format');
  switch (format.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      const result: ResponseFormat = {
        type: 'json_schema',
        name: requireString(format.name, 'text.format.name', false),
        schema: requireObject(format.schema, 'text.format.schema'),
      };
      const strict = optionalBoolean(format.strict, 'text.format.strict');
      if (strict !== undefined) result.strict = strict;
      const description = optionalString(format.description, 'text.format.description');
      if (description !== undefined) result.description = description;
      return result;
    }
    default:
      throw invalidRequest(
        '`text.format.type` must be one of text, json_object, json_schema',
        'text.format.type',
      );
  }
}
