import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { GatewayError } from '../core/errors.js';
import type { CanonicalRequest, JsonSchema } from '../core/request.js';
import type { ModelResponse } from '../core/response.js';

/**
 * Structured-output checks. A request asks for structure when it sets `response_format`
 * json_object / json_schema or offers tools; the answer is then checked: JSON text that parses
 * (to an object) and, with a schema, validates (ajv); tool calls that name an offered tool and
 * whose arguments parse and validate against its parameter schema.
 */
export interface OutputCheck {
  /** Undefined when the answer is valid, else what is wrong with it (for the error and the ledger). */
  problem(answer: ModelResponse): string | undefined;
}

/** Compiled validators by schema text; bounded, oldest dropped first. */
const MAX_CACHED_SCHEMAS = 256;

export class SchemaValidators {
  private readonly ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  /** For schemas that declare draft 2020-12 (`$schema`), as zod 4's JSON Schema output (LangChain) does. */
  private readonly ajv2020 = new Ajv2020({
    strict: false,
    allErrors: false,
    validateFormats: false,
  });
  /** For schemas that declare draft 2019-09 (`unevaluatedProperties`, `$recursiveRef`, `dependentRequired`…). */
  private readonly ajv2019 = new Ajv2019({
    strict: false,
    allErrors: false,
    validateFormats: false,
  });
  private readonly compiled = new Map<string, ValidateFunction>();

  /** By the declared `$schema`: 2020-12, 2019-09, else draft-07 (which also reads draft-06 and -04 schemas without their `$schema`). */
  private ajvFor(declared: unknown): Ajv {
    if (typeof declared !== 'string') return this.ajv;
    if (declared.includes('2020-12')) return this.ajv2020;
    if (declared.includes('2019-09')) return this.ajv2019;
    return this.ajv;
  }

  /** The validator of a schema; throws when the schema itself is invalid. */
  validator(schema: JsonSchema): ValidateFunction {
    const text = JSON.stringify(schema);
    let validate = this.compiled.get(text);
    if (validate) return validate;
    const ajv = this.ajvFor(schema.$schema);
    try {
      validate = ajv.compile(schema);
    } finally {
      // ajv keeps every compiled schema object forever; drop it, the function stays usable.
      ajv.removeSchema(schema);
    }
    if (this.compiled.size >= MAX_CACHED_SCHEMAS)
      this.compiled.delete(this.compiled.keys().next().value!);
    this.compiled.set(text, validate);
    return validate;
  }

  describeErrors(validate: ValidateFunction): string {
    const first = validate.errors?.[0];
    if (!first) return 'does not match the schema';
    return `${first.instancePath || '(root)'} ${first.message ?? 'is invalid'}`;
  }
}

/** The check for a request, or undefined when the request asks for no structure. */
export function outputCheckFor(
  request: CanonicalRequest,
  validators: SchemaValidators,
): OutputCheck | undefined {
  if (request.kind !== 'chat') return undefined;
  const format = request.responseFormat;
  const tools =
    request.tools !== undefined && request.tools.length > 0 && request.toolChoice !== 'none'
      ? request.tools
      : undefined;
  const jsonText = format?.type === 'json_object' || format?.type === 'json_schema';
  if (!jsonText && !tools) return undefined;

  let schema: ValidateFunction | undefined;
  if (format?.type === 'json_schema') {
    try {
      schema = validators.validator(format.schema);
    } catch (error) {
      throw new GatewayError(
        'invalid_request',
        `response_format.json_schema.schema is not a valid JSON Schema: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown problem'}`,
        { param: 'response_format' },
      );
    }
  }
  const toolValidators = new Map<string, ValidateFunction | undefined>();
  for (const tool of tools ?? []) {
    let validate: ValidateFunction | undefined;
    try {
      validate = validators.validator(tool.parameters);
    } catch {
      validate = undefined; // an odd parameter schema: arguments are still checked to be JSON objects
    }
    toolValidators.set(tool.name, validate);
  }

  return {
    problem(answer) {
      for (const choice of answer.choices) {
        // Cut by the client's own max_tokens: no model can meet the format within it, and another
        // try (or a stronger model) would be cut the same way. It goes out as it is, finish_reason
        // length, for the client to see.
        if (choice.finishReason === 'length') continue;
        const where = answer.choices.length > 1 ? `choice ${choice.index}: ` : '';
        if (jsonText && choice.toolCalls.length === 0) {
          const parsed = parseJson(choice.text);
          if (parsed === undefined) return `${where}the answer is not valid JSON`;
          if (
            typeof parsed.value !== 'object' ||
            parsed.value === null ||
            Array.isArray(parsed.value)
          ) {
            if (!schema) return `${where}the answer is not a JSON object`;
          }
          if (schema && !schema(parsed.value))
            return `${where}the answer ${validators.describeErrors(schema)}`;
        }
        if (tools) {
          for (const call of choice.toolCalls) {
            if (!toolValidators.has(call.name))
              return `${where}the answer calls an unknown tool "${call.name.slice(0, 64)}"`;
            const parsed = parseJson(call.arguments === '' ? '{}' : call.arguments);
            if (
              parsed === undefined ||
              typeof parsed.value !== 'object' ||
              parsed.value === null ||
              Array.isArray(parsed.value)
            ) {
              return `${where}the arguments of tool "${call.name}" are not a JSON object`;
            }
            const validate = toolValidators.get(call.name);
            if (validate && !validate(parsed.value))
              return `${where}the arguments of tool "${call.name}" ${validators.describeErrors(validate)}`;
          }
        }
      }
      return undefined;
    },
  };
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
