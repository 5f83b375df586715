import { BOTH, NEITHER, ECHO, type FieldPolicy } from '../field-policy.js';

/**
 * Every top-level field of `POST /v1/responses`; decode-responses-request.ts refuses the others
 * (and the refused ones) with checkBodyFields. The data behind docs/compatibility.md's Responses
 * table, kept in agreement with the decoder by test/e2e/field-policy.test.ts. Value-dependent
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
  conversation: {
    ...NEITHER,
    reason: 'the Conversations API is not served; use previous_response_id or send the items',
  },
  prompt: { ...NEITHER, reason: "prompt templates live on OpenAI's platform" },
  context_management: { ...NEITHER, reason: 'server-side context compaction is not offered' },
  moderation: { ...NEITHER, reason: 'moderation is not offered' },
  prompt_cache_options: { ...NEITHER, reason: 'prompt cache options are OpenAI-specific' },
  prompt_cache_retention: { ...NEITHER, reason: 'prompt cache retention is OpenAI-specific' },
  max_tool_calls: {
    ...NEITHER,
    reason: 'it limits hosted tool calls, which are not served',
  },
};
