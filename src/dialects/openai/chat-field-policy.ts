import { BOTH, NEITHER, type FieldPolicy } from '../field-policy.js';

/** Sampling fields chat and legacy completions share, with the same rule per wire. */
export const SAMPLING_RULES: FieldPolicy = {
  n: {
    'openai-compatible': { quirk: 'noMultipleChoices', passWhen: false },
    anthropic: 'refuse',
    canonical: 'n',
    reason: 'the upstream returns one choice per request',
  },
  seed: {
    'openai-compatible': { quirk: 'noSeed', passWhen: false },
    anthropic: 'refuse',
    canonical: 'seed',
    reason: 'the upstream has no seed',
  },
  presence_penalty: {
    'openai-compatible': 'pass',
    anthropic: 'refuse',
    canonical: 'presencePenalty',
    reason: 'the Messages API has no penalties',
  },
  frequency_penalty: {
    'openai-compatible': 'pass',
    anthropic: 'refuse',
    canonical: 'frequencyPenalty',
    reason: 'the Messages API has no penalties',
  },
};

/**
 * Every request field of `POST /v1/chat/completions` and what happens to it per upstream wire
 * (see src/dialects/field-policy.ts; docs/compatibility.md has the same table).
 */
export const CHAT_FIELD_POLICY: FieldPolicy = {
  model: BOTH,
  messages: BOTH,
  max_tokens: BOTH,
  max_completion_tokens: BOTH,
  temperature: BOTH,
  top_p: BOTH,
  stop: BOTH,
  stream: BOTH,
  stream_options: BOTH,
  tools: BOTH,
  tool_choice: BOTH,
  parallel_tool_calls: BOTH,
  response_format: BOTH,
  reasoning_effort: BOTH,
  thinking: BOTH,
  user: BOTH,
  safety_identifier: BOTH,
  store: BOTH,
  modalities: BOTH,
  ...SAMPLING_RULES,
  logit_bias: {
    'openai-compatible': { quirk: 'noLogitBias', passWhen: false },
    anthropic: 'refuse',
    canonical: 'logitBias',
    reason: 'the upstream takes no logit bias',
  },
  logprobs: {
    'openai-compatible': { quirk: 'noLogprobs', passWhen: false },
    anthropic: 'refuse',
    canonical: 'logprobs',
    reason: 'the upstream returns no log probabilities',
  },
  top_logprobs: {
    'openai-compatible': { quirk: 'noLogprobs', passWhen: false },
    anthropic: 'refuse',
    canonical: 'topLogprobs',
    reason: 'the upstream returns no log probabilities',
  },
  top_k: {
    'openai-compatible': { quirk: 'topK', passWhen: true },
    anthropic: 'pass',
    canonical: 'topK',
    reason: 'the upstream takes no top_k',
  },
  service_tier: {
    'openai-compatible': { quirk: 'serviceTier', passWhen: true },
    anthropic: 'translate',
    canonical: 'serviceTier',
    reason: 'the upstream has no service tiers',
  },
  verbosity: {
    'openai-compatible': { quirk: 'verbosity', passWhen: true },
    anthropic: 'refuse',
    'openai-responses': 'translate',
    canonical: 'verbosity',
    reason: 'the upstream takes no verbosity',
  },
  prompt_cache_key: {
    'openai-compatible': { quirk: 'promptCacheKey', passWhen: true },
    anthropic: 'refuse',
    'openai-responses': 'translate',
    canonical: 'promptCacheKey',
    reason: 'the upstream takes no prompt cache key (Anthropic caches by cache_control marks)',
  },
  prompt_cache_retention: {
    'openai-compatible': { quirk: 'promptCacheKey', passWhen: true },
    anthropic: 'refuse',
    canonical: 'promptCacheRetention',
    reason: 'the upstream takes no prompt cache retention',
  },
  metadata: { ...NEITHER, reason: 'stored completions are not served' },
  audio: { ...NEITHER, reason: 'audio output is not served' },
  prediction: { ...NEITHER, reason: 'predicted outputs are not served' },
  web_search_options: { ...NEITHER, reason: 'hosted web search is not served' },
  functions: { ...NEITHER, reason: 'the legacy `functions` parameter is replaced by `tools`' },
  function_call: {
    ...NEITHER,
    reason: 'the legacy `function_call` parameter is replaced by `tool_choice`',
  },
};
