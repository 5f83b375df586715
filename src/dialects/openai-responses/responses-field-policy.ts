import type { FieldPolicy } from '../field-policy.js';

const BOTH = { 'openai-compatible': 'translate', anthropic: 'translate' } as const;
const ECHO = { 'openai-compatible': 'echo', anthropic: 'echo' } as const;
const NEITHER = { 'openai-compatible': 'refuse', anthropic: 'refuse' } as const;

/**
 * The top-level fields of `POST /v1/responses` as decode-responses-request.ts treats them (its
 * KNOWN_FIELDS and REFUSED_FIELDS): the data behind docs/compatibility.md's Responses table, kept
 * in agreement with the decoder by test/e2e/field-policy.test.ts. Value-dependent
 * refusals (`background: true`, `top_logprobs > 0`, `service_tier` flex/priority/scale,
 * `truncation: auto`) are written in the docs.
 */
export const RESPONSES_FIELD_POLICY: FieldPolicy = {
  model: BOTH,
  input: BOTH,
  instructions: BOTH,
  tools: BOTH,
  tool_choice: BOTH,
  parallel_tool_calls: BOTH,
  text: BOTH,
  reasoning: BOTH,
  max_output_tokens: BOTH,
  temperature: BOTH,
  top_p: BOTH,
  user: BOTH,
  safety_identifier: BOTH,
  store: BOTH,
  stream: BOTH,
  stream_options: BOTH,
  previous_response_id: BOTH,
  include: BOTH,
  truncation: BOTH,
  metadata: ECHO,
  prompt_cache_key: BOTH,
  service_tier: ECHO,
  client_metadata: ECHO,
  background: BOTH,
  top_logprobs: BOTH,
  conversation: NEITHER,
  prompt: NEITHER,
  context_management: NEITHER,
  moderation: NEITHER,
  prompt_cache_options: NEITHER,
  prompt_cache_retention: NEITHER,
  max_tool_calls: NEITHER,
};
