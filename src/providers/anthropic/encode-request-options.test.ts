import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/request.js';
import { resolveQuirks } from '../presets.js';
import { encodeAnthropicBody } from './encode-request.js';
import { anthropicBetaHeader } from './encode-request-options.js';

const base: ChatRequest = {
  kind: 'chat',
  model: 'claude',
  stream: false,
  maxTokens: 4000,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
};
const options = { providerId: 'claude', upstreamModel: 'claude-x', stream: false };

describe('Anthropic request options', () => {
  it('writes thinking, effort, top_k, service tier and context management natively', () => {
    const body = encodeAnthropicBody(
      {
        ...base,
        thinking: { type: 'enabled', budgetTokens: 2048 },
        reasoningEffort: 'minimal',
        topK: 5,
        serviceTier: 'default',
        contextManagement: { edits: [{ type: 'clear_thinking_20251015' }] },
      },
      options,
    );
    expect(body).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 2048 },
      output_config: { effort: 'low' },
      top_k: 5,
      service_tier: 'standard_only',
      context_management: { edits: [{ type: 'clear_thinking_20251015' }] },
    });
  });

  it('lowers a thinking budget that no longer fits a clamped max_tokens', () => {
    const body = encodeAnthropicBody(
      { ...base, maxTokens: 1500, thinking: { type: 'enabled', budgetTokens: 4000 } },
      options,
    );
    expect(body['thinking']).toEqual({ type: 'enabled', budget_tokens: 1499 });
  });

  it('sends a JSON schema as output_config.format where the provider has structured outputs, else as an instruction', () => {
    const request: ChatRequest = {
      ...base,
      responseFormat: { type: 'json_schema', name: 'r', schema: { type: 'object' } },
    };
    const native = encodeAnthropicBody(request, {
      ...options,
      quirks: resolveQuirks({ structuredOutputs: true }),
    });
    expect(native['output_config']).toEqual({
      format: { type: 'json_schema', schema: { type: 'object' } },
    });
    expect(native['system']).toBeUndefined();
    const prompted = encodeAnthropicBody(request, { ...options, quirks: resolveQuirks() });
    expect(prompted['output_config']).toBeUndefined();
    expect(JSON.stringify(prompted['system'])).toContain('JSON Schema');
  });

  it('sends back signed and redacted thinking first in the assistant turn, never unsigned thinking', () => {
    const body = encodeAnthropicBody(
      {
        ...base,
        messages: [
          ...base.messages,
          {
            role: 'assistant',
            content: 'Done.',
            reasoning: [
              { type: 'thinking', text: 'signed', signature: 'S' },
              { type: 'thinking', text: 'from deepseek' },
              { type: 'redacted', data: 'R' },
            ],
            reasoningOptional: true,
          },
          { role: 'user', content: [{ type: 'text', text: 'more' }] },
        ],
      },
      options,
    );
    const turns = body['messages'] as { content: unknown[] }[];
    expect(turns[1]!.content).toEqual([
      { type: 'thinking', thinking: 'signed', signature: 'S' },
      { type: 'redacted_thinking', data: 'R' },
      { type: 'text', text: 'Done.' },
    ]);
  });

  it('passes betas on the allow-list and refuses the others by name', () => {
    const request = { ...base, anthropicBeta: ['a-1', 'b-2'] };
    expect(
      anthropicBetaHeader(request, 'p', resolveQuirks({ anthropicBetas: ['a-1', 'b-2'] })),
    ).toBe('a-1,b-2');
    expect(anthropicBetaHeader(request, 'p', resolveQuirks({ anthropicBetas: ['*'] }))).toBe(
      'a-1,b-2',
    );
    expect(() =>
      anthropicBetaHeader(request, 'p', resolveQuirks({ anthropicBetas: ['a-1'] })),
    ).toThrow(
      expect.objectContaining({
        code: 'unsupported',
        param: 'anthropic-beta',
        message: expect.stringContaining('"b-2"'),
      }),
    );
    expect(anthropicBetaHeader(base, 'p', resolveQuirks())).toBeUndefined();
  });
});
