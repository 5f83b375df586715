import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/request.js';
import { resolveQuirks } from '../presets.js';
import { JSON_OBJECT_INSTRUCTION, thinkingEffort } from './encode-chat-options.js';
import { encodeChatBody } from './encode-request.js';

const base: ChatRequest = {
  kind: 'chat',
  model: 'm',
  stream: false,
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'list three fruits' }] },
  ],
};
const options = (quirks = resolveQuirks()) => ({
  providerId: 'p',
  upstreamModel: 'up',
  quirks,
  stream: false,
});

describe('OpenAI-compatible chat options', () => {
  it('maps a thinking budget to an effort; an explicit effort wins', () => {
    expect(thinkingEffort({ type: 'enabled', budgetTokens: 1024 })).toBe('low');
    expect(thinkingEffort({ type: 'enabled', budgetTokens: 16_384 })).toBe('medium');
    expect(thinkingEffort({ type: 'enabled', budgetTokens: 32_000 })).toBe('high');
    expect(thinkingEffort({ type: 'adaptive' })).toBeUndefined();
    const body = encodeChatBody(
      { ...base, thinking: { type: 'enabled', budgetTokens: 1024 }, reasoningEffort: 'high' },
      options(),
    );
    expect(body['reasoning_effort']).toBe('high');
    expect(body['thinking']).toBeUndefined();
  });

  it('gives DeepSeek-style upstreams their thinking switch and reasoning_content back in history', () => {
    const body = encodeChatBody(
      {
        ...base,
        thinking: { type: 'adaptive' },
        messages: [
          ...base.messages,
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }],
            reasoning: [{ type: 'thinking', text: 'why' }],
          },
          { role: 'tool', toolCallId: 'c1', content: 'ok' },
        ],
      },
      options(resolveQuirks({ thinkingParam: true })),
    );
    expect(body['thinking']).toEqual({ type: 'enabled' });
    expect((body['messages'] as Record<string, unknown>[])[2]).toMatchObject({
      reasoning_content: 'why',
    });
    const plain = encodeChatBody(
      {
        ...base,
        messages: [
          ...base.messages,
          {
            role: 'assistant',
            content: 'x',
            reasoning: [{ type: 'thinking', text: 'why' }],
            reasoningOptional: true,
          },
        ],
      },
      options(),
    );
    expect((plain['messages'] as Record<string, unknown>[])[2]).toEqual({
      role: 'assistant',
      content: 'x',
    });
  });

  it('adds the JSON instruction for json_object only where the upstream needs the word and no message has it', () => {
    const request: ChatRequest = { ...base, responseFormat: { type: 'json_object' } };
    const needs = encodeChatBody(request, options(resolveQuirks({ jsonWordRequired: true })));
    expect((needs['messages'] as { content: string }[])[0]!.content).toBe(
      `Be brief.\n${JSON_OBJECT_INSTRUCTION}`,
    );
    const without = encodeChatBody(request, options());
    expect((without['messages'] as { content: string }[])[0]!.content).toBe('Be brief.');
    const mentioned = encodeChatBody(
      {
        ...request,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'answer in JSON' }] }],
      },
      options(resolveQuirks({ jsonWordRequired: true })),
    );
    expect(mentioned['messages']).toHaveLength(1);
  });

  it('passes top_k, logprobs, logit_bias, service tier, verbosity and cache hints as given', () => {
    const body = encodeChatBody(
      {
        ...base,
        topK: 5,
        logprobs: true,
        topLogprobs: 2,
        logitBias: { '1': 5 },
        serviceTier: 'standard_only',
        verbosity: 'low',
        promptCacheKey: 'k',
      },
      options(resolveQuirks({ verbosity: true, promptCacheKey: true })),
    );
    expect(body).toMatchObject({
      top_k: 5,
      logprobs: true,
      top_logprobs: 2,
      logit_bias: { '1': 5 },
      service_tier: 'default',
      verbosity: 'low',
      prompt_cache_key: 'k',
    });
  });

  it('refuses clear_tool_uses context edits (this wire cannot clear tool results)', () => {
    expect(() =>
      encodeChatBody(
        { ...base, contextManagement: { edits: [{ type: 'clear_tool_uses_20250919' }] } },
        options(),
      ),
    ).toThrow(expect.objectContaining({ code: 'unsupported', param: 'context_management' }));
    expect(() =>
      encodeChatBody(
        { ...base, contextManagement: { edits: [{ type: 'clear_thinking_20251015' }] } },
        options(),
      ),
    ).not.toThrow();
  });
});
