import { BOTH, NEITHER, type FieldPolicy } from '../field-policy.js';
import { SAMPLING_RULES } from './chat-field-policy.js';
import type { NestedPolicy } from '../nested-field-policy.js';

/**
 * Every request field of `POST /v1/completions` (legacy and fill-in-the-middle) and what happens
 * to it per upstream wire (see src/dialects/field-policy.ts; docs/compatibility.md has the same
 * table). Only OpenAI-compatible upstreams serve completions: toward an Anthropic deployment the
 * request is refused naming `model`, whatever its fields; the Anthropic column says what the
 * field would need there.
 */
export const COMPLETION_FIELD_POLICY: FieldPolicy = {
  model: BOTH,
  prompt: BOTH,
  suffix: BOTH,
  echo: BOTH,
  max_tokens: BOTH,
  temperature: BOTH,
  top_p: BOTH,
  stop: BOTH,
  stream: BOTH,
  stream_options: BOTH,
  user: BOTH,
  ...SAMPLING_RULES,
  best_of: { ...NEITHER, reason: 'server-side best-of sampling is not served (`1` is accepted)' },
  logprobs: { ...NEITHER, reason: 'completion log probabilities are not served' },
  logit_bias: { ...NEITHER, reason: 'logit bias is not served on completions' },
};

/** The nested fields of `POST /v1/completions`. */
export const COMPLETION_NESTED_POLICY: NestedPolicy = {
  'stream_options.include_usage': BOTH,
  'stream_options.include_obfuscation': BOTH,
};
