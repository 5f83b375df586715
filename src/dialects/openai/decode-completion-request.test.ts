import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import { decodeCompletionRequest } from './decode-completion-request.js';

function expectInvalid(body: unknown, param: string, message?: RegExp): void {
  let caught: unknown;
  try {
    decodeCompletionRequest(body);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GatewayError);
  expect((caught as GatewayError).code).toBe('invalid_request');
  expect((caught as GatewayError).param).toBe(param);
  if (message !== undefined) expect((caught as GatewayError).message).toMatch(message);
}

describe('decodeCompletionRequest', () => {
  it('decodes a string prompt and applies the legacy 16-token default', () => {
    expect(decodeCompletionRequest({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi' })).toEqual({
      kind: 'completion',
      model: 'gpt-3.5-turbo-instruct',
      prompt: ['Say hi'],
      stream: false,
      maxTokens: 16,
    });
  });

  it('decodes a fill-in-the-middle request with every field', () => {
    expect(
      decodeCompletionRequest({
        model: 'deepseek-coder',
        prompt: ['def add(a, b):', 'def sub(a, b):'],
        suffix: '\n\nprint(add(1, 2))',
        echo: false,
        max_tokens: 64,
        temperature: 0,
        top_p: 1,
        n: 1,
        stop: ['\n\n'],
        seed: 42,
        presence_penalty: 0.5,
        frequency_penalty: 0.5,
        user: 'u',
        stream: true,
        stream_options: { include_usage: false },
        logprobs: null,
        best_of: null,
      }),
    ).toEqual({
      kind: 'completion',
      model: 'deepseek-coder',
      prompt: ['def add(a, b):', 'def sub(a, b):'],
      suffix: '\n\nprint(add(1, 2))',
      echo: false,
      maxTokens: 64,
      temperature: 0,
      topP: 1,
      n: 1,
      stop: ['\n\n'],
      seed: 42,
      presencePenalty: 0.5,
      frequencyPenalty: 0.5,
      user: 'u',
      stream: true,
      streamUsage: false,
    });
  });

  it('treats null optional fields as absent', () => {
    expect(
      decodeCompletionRequest({
        model: 'm',
        prompt: 'p',
        suffix: null,
        echo: null,
        max_tokens: null,
        stream: null,
      }),
    ).toEqual({ kind: 'completion', model: 'm', prompt: ['p'], stream: false, maxTokens: 16 });
  });

  it.each([
    [{ prompt: 'p' }, 'model', undefined],
    [{ model: 'm' }, 'prompt', /string or a non-empty array/],
    [{ model: 'm', prompt: [] }, 'prompt', /non-empty array/],
    [{ model: 'm', prompt: [1, 2, 3] }, 'prompt', /Token-array prompts are not supported/],
    [{ model: 'm', prompt: [[1, 2]] }, 'prompt', /Token-array prompts are not supported/],
    [{ model: 'm', prompt: ['a', {}] }, 'prompt[1]', /must be a string/],
    [{ model: 'm', prompt: 'p', suffix: 1 }, 'suffix', /string/],
    [{ model: 'm', prompt: 'p', echo: 'yes' }, 'echo', /boolean/],
    [{ model: 'm', prompt: 'p', max_tokens: 0 }, 'max_tokens', /positive integer/],
    [{ model: 'm', prompt: 'p', temperature: 3 }, 'temperature', /between 0 and 2/],
    [{ model: 'm', prompt: 'p', stop: ['1', '2', '3', '4', '5'] }, 'stop', /at most 4/],
  ])('rejects %j naming %s', (body, param, message) => {
    expectInvalid(body, param, message);
  });
});
