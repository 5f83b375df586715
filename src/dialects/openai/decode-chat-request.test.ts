import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import { decodeChatRequest } from './decode-chat-request.js';

const base = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };

function expectInvalid(body: unknown, param: string, message?: string | RegExp): GatewayError {
  let caught: unknown;
  try {
    decodeChatRequest(body);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GatewayError);
  const error = caught as GatewayError;
  expect(error.code).toBe('invalid_request');
  expect(error.status).toBe(400);
  expect(error.param).toBe(param);
  if (message !== undefined) expect(error.message).toMatch(message);
  return error;
}

describe('decodeChatRequest', () => {
  it('decodes a minimal request', () => {
    expect(decodeChatRequest(base)).toEqual({
      kind: 'chat',
      model: 'gpt-4o',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      stream: false,
    });
  });

  it('decodes a realistic agent conversation', () => {
    const request = decodeChatRequest({
      model: 'coder',
      messages: [
        { role: 'system', content: 'You are a coding agent.' },
        {
          role: 'developer',
          content: [
            { type: 'text', text: 'Rule 1' },
            { type: 'text', text: 'Rule 2' },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'auto' } },
            { type: 'image_url', image_url: 'https://example.com/cat.jpg' },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'read', arguments: '{"p":1}' } },
          ],
          refusal: null,
        },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'file body' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Done' },
            { type: 'refusal', refusal: 'No more' },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'system', content: 'You are a coding agent.' },
      { role: 'system', content: 'Rule 1\nRule 2' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image', url: 'data:image/png;base64,AAAA', mediaType: 'image/png' },
          { type: 'image', url: 'https://example.com/cat.jpg' },
        ],
      },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'read', arguments: '{"p":1}' }],
      },
      { role: 'tool', toolCallId: 'call_1', content: 'file body' },
      { role: 'assistant', content: 'Done\nNo more' },
    ]);
  });

  it('decodes every optional field', () => {
    const request = decodeChatRequest({
      ...base,
      tools: [
        {
          type: 'function',
          function: {
            name: 'read',
            description: 'Read a file',
            parameters: { type: 'object' },
            strict: true,
          },
        },
        { type: 'function', function: { name: 'now' } },
      ],
      tool_choice: { type: 'function', function: { name: 'read' } },
      parallel_tool_calls: false,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'answer',
          schema: { type: 'object' },
          strict: true,
          description: 'The answer',
        },
      },
      n: 2,
      stop: 'END',
      seed: -7,
      max_tokens: 50,
      temperature: 1.5,
      top_p: 0.9,
      presence_penalty: -1,
      frequency_penalty: 2,
      user: 'u-1',
      stream: true,
      stream_options: { include_usage: true },
      reasoning_effort: 'low',
      logprobs: true,
      top_logprobs: 3,
      logit_bias: { '50256': -100 },
      top_k: 40,
      service_tier: 'flex',
      verbosity: 'low',
      prompt_cache_key: 'session-1',
      thinking: { type: 'enabled', budget_tokens: 2048 },
      modalities: ['text'],
      store: false,
    });
    expect(request).toEqual({
      kind: 'chat',
      model: 'gpt-4o',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      tools: [
        { name: 'read', description: 'Read a file', parameters: { type: 'object' }, strict: true },
        { name: 'now', parameters: { type: 'object', properties: {} } },
      ],
      toolChoice: { name: 'read' },
      parallelToolCalls: false,
      responseFormat: {
        type: 'json_schema',
        name: 'answer',
        schema: { type: 'object' },
        strict: true,
        description: 'The answer',
      },
      n: 2,
      stop: ['END'],
      seed: -7,
      maxTokens: 50,
      temperature: 1.5,
      topP: 0.9,
      presencePenalty: -1,
      frequencyPenalty: 2,
      user: 'u-1',
      stream: true,
      streamUsage: true,
      reasoningEffort: 'low',
      logprobs: true,
      topLogprobs: 3,
      logitBias: { '50256': -100 },
      topK: 40,
      serviceTier: 'flex',
      verbosity: 'low',
      promptCacheKey: 'session-1',
      thinking: { type: 'enabled', budgetTokens: 2048 },
    });
  });

  it('treats null optional fields as absent, as the SDKs send them', () => {
    const request = decodeChatRequest({
      ...base,
      tools: null,
      tool_choice: null,
      parallel_tool_calls: null,
      response_format: null,
      n: null,
      stop: null,
      seed: null,
      max_tokens: null,
      max_completion_tokens: null,
      temperature: null,
      top_p: null,
      presence_penalty: null,
      frequency_penalty: null,
      user: null,
      stream: null,
      stream_options: null,
      reasoning_effort: null,
      functions: null,
      function_call: null,
    });
    expect(request).toEqual(decodeChatRequest(base));
  });

  it('prefers max_completion_tokens over max_tokens', () => {
    expect(
      decodeChatRequest({ ...base, max_tokens: 10, max_completion_tokens: 20 }).maxTokens,
    ).toBe(20);
    expect(decodeChatRequest({ ...base, max_completion_tokens: 30 }).maxTokens).toBe(30);
  });

  it('maps tool_choice strings, response formats and stop arrays', () => {
    for (const choice of ['auto', 'none', 'required'] as const) {
      expect(decodeChatRequest({ ...base, tool_choice: choice }).toolChoice).toBe(choice);
    }
    expect(
      decodeChatRequest({ ...base, response_format: { type: 'json_object' } }).responseFormat,
    ).toEqual({
      type: 'json_object',
    });
    expect(
      decodeChatRequest({ ...base, response_format: { type: 'text' } }).responseFormat,
    ).toEqual({ type: 'text' });
    expect(
      decodeChatRequest({
        ...base,
        response_format: { type: 'json_schema', json_schema: { name: 'x' } },
      }).responseFormat,
    ).toEqual({ type: 'json_schema', name: 'x', schema: {} });
    expect(decodeChatRequest({ ...base, stop: ['a', 'b', 'c', 'd'] }).stop).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(decodeChatRequest({ ...base, stop: [] }).stop).toBeUndefined();
    expect(decodeChatRequest({ ...base, tools: [] }).tools).toBeUndefined();
  });

  it('maps reasoning efforts outside the canonical four to the nearest one', () => {
    expect(decodeChatRequest({ ...base, reasoning_effort: 'none' }).reasoningEffort).toBe(
      'minimal',
    );
    expect(decodeChatRequest({ ...base, reasoning_effort: 'minimal' }).reasoningEffort).toBe(
      'minimal',
    );
    expect(decodeChatRequest({ ...base, reasoning_effort: 'xhigh' }).reasoningEffort).toBe('high');
  });

  it('uses safety_identifier as the user when user is absent', () => {
    expect(decodeChatRequest({ ...base, safety_identifier: 'hash' }).user).toBe('hash');
    expect(decodeChatRequest({ ...base, safety_identifier: 'hash', user: 'u' }).user).toBe('u');
  });

  it('accepts assistant messages without content and tool_call type', () => {
    const request = decodeChatRequest({
      model: 'm',
      messages: [
        { role: 'assistant', tool_calls: [{ id: 'c', function: { name: 'f', arguments: '' } }] },
        { role: 'assistant', content: 'plain', tool_calls: [] },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'f', arguments: '' }] },
      { role: 'assistant', content: 'plain' },
    ]);
  });
});

describe('decodeChatRequest validation', () => {
  it.each([
    [null, 'body'],
    [[], 'body'],
    ['text', 'body'],
    [{ messages: base.messages }, 'model'],
    [{ model: '', messages: base.messages }, 'model'],
    [{ model: 5, messages: base.messages }, 'model'],
    [{ model: 'm' }, 'messages'],
    [{ model: 'm', messages: [] }, 'messages'],
    [{ model: 'm', messages: {} }, 'messages'],
  ])('rejects %j naming %s', (body, param) => {
    expectInvalid(body, param);
  });

  it.each<[Record<string, unknown>, string, (string | RegExp)?]>([
    [{ temperature: 2.5 }, 'temperature', '`temperature` must be a number between 0 and 2'],
    [{ temperature: '1' }, 'temperature', '`temperature` must be a number between 0 and 2'],
    [{ temperature: Number.NaN }, 'temperature', /between 0 and 2/],
    [{ top_p: 1.1 }, 'top_p', '`top_p` must be a number between 0 and 1'],
    [{ presence_penalty: -3 }, 'presence_penalty', /between -2 and 2/],
    [{ frequency_penalty: 3 }, 'frequency_penalty', /between -2 and 2/],
    [{ n: 0 }, 'n', '`n` must be an integer between 1 and 16'],
    [{ n: 17 }, 'n', /between 1 and 16/],
    [{ n: 1.5 }, 'n', /integer/],
    [{ seed: 1.5 }, 'seed', '`seed` must be an integer'],
    [{ max_tokens: 0 }, 'max_tokens', '`max_tokens` must be a positive integer'],
    [{ max_completion_tokens: -1 }, 'max_completion_tokens', /positive integer/],
    [{ stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', /at most 4 strings/],
    [{ stop: 5 }, 'stop', /string or an array/],
    [{ stop: ['a', 1] }, 'stop[1]', /must be a string/],
    [{ user: 1 }, 'user', '`user` must be a string'],
    [{ stream: 'yes' }, 'stream', '`stream` must be a boolean'],
    [{ stream_options: 'x' }, 'stream_options', /object/],
    [{ stream_options: { include_usage: 1 } }, 'stream_options.include_usage', /boolean/],
    [{ parallel_tool_calls: 'no' }, 'parallel_tool_calls', /boolean/],
    [{ reasoning_effort: 'extreme' }, 'reasoning_effort', /must be one of/],
    [{ tools: {} }, 'tools', /array/],
    [{ tools: [{ type: 'function' }] }, 'tools[0].function', /object/],
    [{ tools: [{ type: 'function', function: { name: '' } }] }, 'tools[0].function.name', /empty/],
    [
      { tools: [{ type: 'function', function: { name: 'f', parameters: 'x' } }] },
      'tools[0].function.parameters',
      /object/,
    ],
    [
      { tools: [{ type: 'function', function: { name: 'f', strict: 'x' } }] },
      'tools[0].function.strict',
      /boolean/,
    ],
    [{ tool_choice: 'any' }, 'tool_choice', /"auto", "none", "required"/],
    [{ tool_choice: { type: 'function', function: {} } }, 'tool_choice.function.name', /string/],
    [
      { response_format: { type: 'xml' } },
      'response_format.type',
      /text, json_object, json_schema/,
    ],
    [{ response_format: { type: 'json_schema' } }, 'response_format.json_schema', /object/],
    [
      { response_format: { type: 'json_schema', json_schema: {} } },
      'response_format.json_schema.name',
      /string/,
    ],
    [
      { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: [] } } },
      'response_format.json_schema.schema',
    ],
    [{ functions: [{ name: 'f' }] }, 'functions', /legacy `functions`/],
    [{ function_call: 'auto' }, 'function_call', /legacy `function_call`/],
  ])('rejects %j naming %s', (extra, param, message) => {
    expectInvalid({ ...base, ...extra }, param, message);
  });
});
