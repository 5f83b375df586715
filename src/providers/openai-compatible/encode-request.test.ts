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
