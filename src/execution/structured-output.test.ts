import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../core/request.js';
import type { ModelResponse } from '../core/response.js';
import { outputCheckFor, SchemaValidators } from './structured-output.js';

const base: ChatRequest = {
  kind: 'chat',
  model: 'm',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  stream: false,
};
const answer = (
  text: string,
  toolCalls: ModelResponse['choices'][number]['toolCalls'] = [],
): ModelResponse => ({
  id: 'x',
  model: 'm',
  created: 1,
  choices: [{ index: 0, text, toolCalls, finishReason: toolCalls.length ? 'tool_calls' : 'stop' }],
});

describe('structured-output checks', () => {
  const validators = new SchemaValidators();

  it('an answer cut by max_tokens (finish_reason length) is not checked: another try would be cut the same way (found by the fuzz suite)', () => {
    const check = outputCheckFor({ ...base, responseFormat: { type: 'json_object' } }, validators)!;
    const cut: ModelResponse = {
      ...answer('{"a": '),
      choices: [{ index: 0, text: '{"a": ', toolCalls: [], finishReason: 'length' }],
    };
    expect(check.problem(cut)).toBeUndefined();
    expect(check.problem(answer('{"a": '))).toBe('the answer is not valid JSON');
  });

  it('asks nothing of plain requests', () => {
    expect(outputCheckFor(base, validators)).toBeUndefined();
  });

  it('json_object: the answer must parse to an object', () => {
    const check = outputCheckFor({ ...base, responseFormat: { type: 'json_object' } }, validators)!;
    expect(check.problem(answer('{"a": 1}'))).toBeUndefined();
    expect(check.problem(answer('{"a": 1'))).toBe('the answer is not valid JSON');
    expect(check.problem(answer('[1]'))).toBe('the answer is not a JSON object');
  });

  it('json_schema: schemas declaring draft 2020-12 (zod 4, LangChain) compile and validate', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
      additionalProperties: false,
    };
    const check = outputCheckFor(
      { ...base, responseFormat: { type: 'json_schema', name: 'fruit', schema } },
      validators,
    )!;
    expect(check.problem(answer('{"name": "apple"}'))).toBeUndefined();
    expect(check.problem(answer('{"count": 1}'))).toContain("must have required property 'name'");
  });

  it.each([
    ['draft-07', 'http://json-schema.org/draft-07/schema#'],
    ['2019-09', 'https://json-schema.org/draft/2019-09/schema'],
    ['2020-12', 'https://json-schema.org/draft/2020-12/schema'],
  ])('json_schema: a schema declaring %s compiles and validates', (_draft, $schema) => {
    const schema = {
      $schema,
      type: 'object',
      properties: { name: { type: 'string' }, unit: { type: 'string' } },
      required: ['name'],
      // 2019-09 and 2020-12 keyword; draft-07 ignores it (unknown keywords are allowed).
      dependentRequired: { unit: ['name'] },
    };
    const check = outputCheckFor(
      { ...base, responseFormat: { type: 'json_schema', name: 'fruit', schema } },
      validators,
    )!;
    expect(check.problem(answer('{"name": "apple"}'))).toBeUndefined();
    expect(check.problem(answer('{"count": 1}'))).toContain("must have required property 'name'");
  });

  it('json_schema: 2019-09 `unevaluatedProperties` is enforced', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2019-09/schema',
      type: 'object',
      allOf: [{ properties: { name: { type: 'string' } } }],
      unevaluatedProperties: false,
    };
    const check = outputCheckFor(
      { ...base, responseFormat: { type: 'json_schema', name: 'fruit', schema } },
      validators,
    )!;
    expect(check.problem(answer('{"name": "apple"}'))).toBeUndefined();
    expect(check.problem(answer('{"name": "apple", "extra": 1}'))).toContain('unevaluated');
  });

  it('tools: the call must name an offered tool and its arguments must match its parameter schema', () => {
    const check = outputCheckFor(
      {
        ...base,
        tools: [
          {
            name: 'get',
            parameters: {
              type: 'object',
              required: ['path'],
              properties: { path: { type: 'string' } },
            },
          },
        ],
      },
      validators,
    )!;
    expect(
      check.problem(answer('', [{ id: '1', name: 'get', arguments: '{"path": "a"}' }])),
    ).toBeUndefined();
    expect(
      check.problem(answer('', [{ id: '1', name: 'get', arguments: '{"path": 1}' }])),
    ).toContain('/path must be string');
    expect(
      check.problem(answer('', [{ id: '1', name: 'get', arguments: '{"path": "a"' }])),
    ).toContain('are not a JSON object');
    expect(check.problem(answer('', [{ id: '1', name: 'put', arguments: '{}' }]))).toContain(
      'unknown tool "put"',
    );
    expect(check.problem(answer('just text'))).toBeUndefined(); // tools offered, none called: fine
  });
});
