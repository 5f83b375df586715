import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../core/request.js';
import type { ProviderQuirks } from '../core/provider.js';
import {
  checkBodyFields,
  type FieldPolicy,
  refuseForUpstream,
  wireAction,
} from './field-policy.js';

const POLICY: FieldPolicy = {
  model: { 'openai-compatible': 'translate', anthropic: 'translate' },
  seed: {
    'openai-compatible': { quirk: 'noSeed', passWhen: false },
    anthropic: 'refuse',
    canonical: 'seed',
    reason: 'no seed there',
  },
  top_k: {
    'openai-compatible': { quirk: 'topK', passWhen: true },
    anthropic: 'pass',
    canonical: 'topK',
  },
  audio: { 'openai-compatible': 'refuse', anthropic: 'refuse', reason: 'no audio' },
  'anthropic-beta': { 'openai-compatible': 'translate', anthropic: 'pass', header: true },
};

/** Only the quirks a rule reads matter here. */
const resolveQuirks = (set: Partial<ProviderQuirks> = {}): ProviderQuirks =>
  ({ noSeed: false, topK: false, ...set }) as ProviderQuirks;

const request = (fields: Partial<ChatRequest>): ChatRequest => ({
  kind: 'chat',
  model: 'm',
  messages: [],
  stream: false,
  ...fields,
});

describe('field policy', () => {
  it('resolves quirk gates per provider', () => {
    expect(wireAction(POLICY.seed!, 'openai-compatible', resolveQuirks())).toBe('pass');
    expect(wireAction(POLICY.seed!, 'openai-compatible', resolveQuirks({ noSeed: true }))).toBe(
      'refuse',
    );
    expect(wireAction(POLICY.top_k!, 'openai-compatible', resolveQuirks())).toBe('refuse');
    expect(wireAction(POLICY.top_k!, 'openai-compatible', resolveQuirks({ topK: true }))).toBe(
      'pass',
    );
    // An adapter without quirks takes no quirk-gated field.
    expect(wireAction(POLICY.top_k!, 'openai-compatible', undefined)).toBe('refuse');
    expect(wireAction(POLICY.top_k!, 'anthropic', undefined)).toBe('pass');
  });

  it('refuses unknown fields, header names in the body, and fields no wire takes, by name', () => {
    expect(() => checkBodyFields({ model: 'm', audio: null }, POLICY)).not.toThrow();
    expect(() => checkBodyFields({ colour: 1 }, POLICY)).toThrow(
      expect.objectContaining({
        code: 'invalid_request',
        param: 'colour',
        message: 'Unknown field `colour`',
      }),
    );
    expect(() => checkBodyFields({ 'anthropic-beta': 'x' }, POLICY)).toThrow(
      expect.objectContaining({ param: 'anthropic-beta' }),
    );
    expect(() => checkBodyFields({ audio: {} }, POLICY)).toThrow(
      expect.objectContaining({
        code: 'unsupported',
        param: 'audio',
        message: '`audio` is not supported: no audio.',
      }),
    );
  });

  it('refuses before an attempt a field the wire cannot take, naming the field and provider', () => {
    const adapter = { id: 'claude', wire: 'anthropic' as const, quirks: resolveQuirks() };
    expect(() => refuseForUpstream(POLICY, request({ topK: 5 }), adapter)).not.toThrow();
    expect(() => refuseForUpstream(POLICY, request({ seed: 1 }), adapter)).toThrow(
      expect.objectContaining({ code: 'unsupported', param: 'seed', provider: 'claude' }),
    );
    const deepseek = {
      id: 'deepseek',
      wire: 'openai-compatible' as const,
      quirks: resolveQuirks({ noSeed: true }),
    };
    expect(() => refuseForUpstream(POLICY, request({ seed: 1 }), deepseek)).toThrow(
      /`seed` is not supported by provider "deepseek" \(OpenAI-compatible wire\): no seed there/,
    );
    expect(() => refuseForUpstream(POLICY, request({}), deepseek)).not.toThrow();
  });
});
