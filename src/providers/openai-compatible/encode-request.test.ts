import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/request.js';
import { resolveQuirks } from '../presets.js';
import { encodeChatBody, encodeCompletionBody, type EncodeOptions } from './encode-request.js';

const options = (overrides: Partial<EncodeOptions> = {}): EncodeOptions => ({
  providerId: 'p',
  upstreamModel: 'upstream-model',
  quirks: resolveQuirks(),
  stream: false,
  ...overrides,
});

const chat = (overrides: Partial<ChatRequest> = {}): ChatRequest => ({
  kind: 'chat',
  model: 'client-model',
  stream: false,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  ...overrides,
});

describe('encodeChatBody', () => {
  it('sends verbosity and prompt_cache_key where the quirks say so; refuses verbosity, leaves the key out elsewhere', () => {
    const hinted = chat({ verbosity: 'low', promptCacheKey: 'session-1' });
    const openai = resolveQuirks({ verbosity: true, promptCacheKey: true });
    expect(encodeChatBody(hinted, options({ quirks: openai }))).toMatchObject({
      verbosity: 'low',
      prompt_cache_key: 'session-1',
    });
    expect(() => encodeChatBody(hinted, options())).toThrow(
      expect.objectContaining({ code: 'unsupported', param: 'verbosity', provider: 'p' }),
    );
    expect(encodeChatBody(chat({ promptCacheKey: 'k' }), options())).not.toHaveProperty(
      'prompt_cache_key',
    );
  });

  it('passes earlier reasoning back as reasoning_content under the quirk, and refuses it elsewhere', () => {
    const request = chat({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        {
          role: 'assistant',
          content: '',
          reasoning: [{ type: 'thinking', text: 'Plan: call read.' }],
          toolCalls: [{ id: 'c1', name: 'read', arguments: '{}' }],
        },
        { role: 'tool', toolCallId: 'c1', content: 'ok' },
      ],
    });
    const deepseek = options({ quirks: resolveQuirks({ thinkingParam: true }) });
    expect((encodeChatBody(request, deepseek)['messages'] as unknown[])[1]).toEqual({
      role: 'assistant',
      content: null,
      reasoning_content: 'Plan: call read.',
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read', arguments: '{}' } }],
    });
    expect(() => encodeChatBody(request, options())).toThrow(
      expect.objectContaining({ code: 'unsupported', param: 'input' }),
    );
    // Only another wire's token, no text: nothing this wire can take.
    const tokenOnly = chat({
      messages: [
        {
          role: 'assistant',
          content: 'x',
          reasoning: [{ type: 'encrypted', text: '', data: 'gAAAA' }],
        },
      ],
    });
    expect(() => encodeChatBody(tokenOnly, deepseek)).toThrow(
      expect.objectContaining({ code: 'unsupported' }),
    );
  });

  it('uses the upstream model and sends n only when above one', () => {
    expect(encodeChatBody(chat({ n: 1 }), options())).toEqual({
      model: 'upstream-model',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(encodeChatBody(chat({ n: 3 }), options())['n']).toBe(3);
  });

  it('rejects n > 1 with `unsupported` under noMultipleChoices', () => {
    expect(() =>
      encodeChatBody(
        chat({ n: 2 }),
        options({ quirks: resolveQuirks({ noMultipleChoices: true }) }),
      ),
    ).toThrow(expect.objectContaining({ code: 'unsupported', param: 'n', provider: 'p' }));
  });

  it('drops seed under noSeed and picks the max-tokens field by quirk', () => {
    const body = encodeChatBody(
      chat({ seed: 1, maxTokens: 10 }),
      options({ quirks: resolveQuirks({ noSeed: true, maxCompletionTokens: true }) }),
    );
    expect(body).not.toHaveProperty('seed');
    expect(body).not.toHaveProperty('max_tokens');
    expect(body['max_completion_tokens']).toBe(10);
  });

  it('always asks for stream usage when the quirk allows, never otherwise', () => {
    expect(
      encodeChatBody(chat({ stream: true, streamUsage: false }), options({ stream: true })),
    ).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    const noUsage = encodeChatBody(
      chat({ stream: true, streamUsage: true }),
      options({ stream: true, quirks: resolveQuirks({ streamUsage: false }) }),
    );
    expect(noUsage['stream']).toBe(true);
    expect(noUsage).not.toHaveProperty('stream_options');
  });

  it('keeps assistant text alongside tool calls, and sends parallel_tool_calls only with tools', () => {
    const body = encodeChatBody(
      chat({
        parallelToolCalls: false,
        toolChoice: 'none',
        messages: [
          {
            role: 'assistant',
            content: 'Checking.',
            toolCalls: [{ id: 'c', name: 'f', arguments: '{}' }],
          },
          { role: 'assistant', content: '' },
          { role: 'user', content: [] },
        ],
      }),
      options(),
    );
    expect(body['messages']).toEqual([
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'assistant', content: '' },
      { role: 'user', content: '' },
    ]);
    expect(body['tool_choice']).toBe('none');
    expect(body).not.toHaveProperty('parallel_tool_calls');
  });

  it('encodes json_object and text response formats as is', () => {
    expect(
      encodeChatBody(chat({ responseFormat: { type: 'json_object' } }), options())[
        'response_format'
      ],
    ).toEqual({ type: 'json_object' });
    expect(
      encodeChatBody(chat({ responseFormat: { type: 'text' } }), options())['response_format'],
    ).toEqual({ type: 'text' });
  });
});

describe('encodeCompletionBody', () => {
  it('always uses max_tokens, even for providers that want max_completion_tokens on chat', () => {
    const body = encodeCompletionBody(
      { kind: 'completion', model: 'x', prompt: ['a', 'b'], stream: false, maxTokens: 5, n: 2 },
      options({ quirks: resolveQuirks({ maxCompletionTokens: true }) }),
    );
    expect(body).toEqual({ model: 'upstream-model', prompt: ['a', 'b'], max_tokens: 5, n: 2 });
  });
});
