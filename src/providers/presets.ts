import type { ProviderQuirks, ProviderSettings } from '../core/provider.js';

/** Quirks of a plain OpenAI-compatible upstream: stream usage, `max_tokens`, n, seed; no /completions. */
export const DEFAULT_QUIRKS: Readonly<ProviderQuirks> = Object.freeze({
  streamUsage: true,
  maxCompletionTokens: false,
  noMultipleChoices: false,
  completions: false,
  noSeed: false,
  cacheControl: false,
  topK: false,
  noLogprobs: false,
  noLogitBias: false,
  serviceTier: false,
  verbosity: false,
  promptCacheKey: false,
  thinkingParam: false,
  jsonWordRequired: false,
  structuredOutputs: false,
  anthropicBetas: Object.freeze([]) as readonly string[],
});

/**
 * `anthropic-beta` values the anthropic preset passes: those Claude Code sends by default (read
 * from its requests, 2.1.197) and the documented ones whose effect the gateway keeps (caching,
 * tool streaming, longer output, structured outputs, token counting: the beta name clients still
 * send to `/v1/messages/count_tokens?beta=true`, listed in the API reference's beta values).
 */
export const ANTHROPIC_PRESET_BETAS: readonly string[] = Object.freeze([
  'claude-code-20250219',
  'context-1m-2025-08-07',
  'interleaved-thinking-2025-05-14',
  'thinking-token-count-2026-05-13',
  'context-management-2025-06-27',
  'prompt-caching-scope-2026-01-05',
  'mid-conversation-system-2026-04-07',
  'effort-2025-11-24',
  'prompt-caching-2024-07-31',
  'extended-cache-ttl-2025-04-11',
  'token-efficient-tools-2025-02-19',
  'fine-grained-tool-streaming-2025-05-14',
  'output-128k-2025-02-19',
  'structured-outputs-2025-11-13',
  'token-counting-2024-11-01',
]);

/** Fills unspecified quirks from DEFAULT_QUIRKS (undefined values count as unspecified). */
export function resolveQuirks(partial: Partial<ProviderQuirks> = {}): ProviderQuirks {
  const quirks: Record<string, unknown> = { ...DEFAULT_QUIRKS };
  for (const key of Object.keys(DEFAULT_QUIRKS) as Array<keyof ProviderQuirks>) {
    const value = partial[key];
    if (value !== undefined) quirks[key] = value;
  }
  return quirks as unknown as ProviderQuirks;
}

/** A built-in provider: what config needs to reach it, and what its docs say it accepts. */
export interface ProviderPreset {
  wire: ProviderSettings['wire'];
  baseUrl: string;
  /** Environment variable conventionally holding the key. */
  apiKeyEnv: string;
  /** False for local servers that run without a key. */
  apiKeyRequired: boolean;
  quirks: ProviderQuirks;
  headers?: Record<string, string>;
  /** One line: where the facts come from and what to watch for. */
  notes: string;
}

function preset(
  fields: Omit<ProviderPreset, 'quirks'> & { quirks?: Partial<ProviderQuirks> },
): ProviderPreset {
  return { ...fields, quirks: resolveQuirks(fields.quirks) };
}

/** Built-in presets, keyed by provider id. Operators may override any field in config. */
export const PROVIDER_PRESETS: Readonly<Record<string, ProviderPreset>> = Object.freeze({
  deepseek: preset({
    wire: 'openai-compatible',
    baseUrl: 'https://api.deepseek.com',
    apiKeyEnv: 'DEEPSEEK_API_KEY',
    apiKeyRequired: true,
    quirks: { noMultipleChoices: true, noSeed: true, thinkingParam: true, jsonWordRequired: true },
    notes:
      'api-docs.deepseek.com: base_url https://api.deepseek.com (/v1 also accepted); request params list no n or seed; ' +
      'reasoning in reasoning_content (passed back on assistant messages in tool-call turns, "Thinking Mode"); cache usage as prompt_cache_hit/miss_tokens; FIM /completions only under /beta (see deepseek-beta).',
  }),
  'deepseek-beta': preset({
    wire: 'openai-compatible',
    baseUrl: 'https://api.deepseek.com/beta',
    apiKeyEnv: 'DEEPSEEK_API_KEY',
    apiKeyRequired: true,
    quirks: {
      noMultipleChoices: true,
      noSeed: true,
      completions: true,
      thinkingParam: true,
      jsonWordRequired: true,
    },
    notes:
      'api-docs.deepseek.com FIM Completion (Beta): POST https://api.deepseek.com/beta/completions with prompt + suffix, max 4K tokens.',
  }),
  qwen: preset({
    wire: 'openai-compatible',
    baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
    apiKeyEnv: 'DASHSCOPE_API_KEY',
    apiKeyRequired: true,
    notes:
      'Alibaba Cloud Model Studio "OpenAI compatible" (Singapore); /completions (Qwen Coder FIM) is documented for the ' +
      'China (Beijing) endpoint only, so not enabled here; thinking models stream reasoning_content.',
  }),
  mistral: preset({
    wire: 'openai-compatible',
    baseUrl: 'https://api.mistral.ai/v1',
    apiKeyEnv: 'MISTRAL_API_KEY',
    apiKeyRequired: true,
    quirks: { streamUsage: false, noSeed: true },
    notes:
      'docs.mistral.ai: extra fields are rejected with 422 extra_forbidden (stream_options, seed: Mistral calls it random_seed, ' +
      'max_completion_tokens); usage is sent in the final stream chunk anyway; FIM is /v1/fim/completions, not OpenAI-shaped.',
  }),
  together: preset({
    wire: 'openai-compatible',
    baseUrl: 'https://api.together.xyz/v1',
    apiKeyEnv: 'TOGETHER_API_KEY',
    apiKeyRequired: true,
    quirks: { completions: true, topK: true },
    notes:
      'docs.together.ai OpenAI compatibility: chat/completions and completions supported (docs also show api.together.ai/v1).',
  }),
  fireworks: preset({
    wire: 'openai-compatible',
    baseUrl: 'https://api.fireworks.ai/inference/v1',
    apiKeyEnv: 'FIREWORKS_API_KEY',
    apiKeyRequired: true,
    quirks: { completions: true, topK: true },
    notes:
      'docs.fireworks.ai OpenAI compatibility: completions supported; streaming usage arrives in the finish_reason chunk; ' +
      'stop text is included in the output; max_tokens is truncated to fit the context instead of failing.',
  }),
  groq: preset({
    wire: 'openai-compatible',
    baseUrl: 'https://api.groq.com/openai/v1',
    apiKeyEnv: 'GROQ_API_KEY',
    apiKeyRequired: true,
    quirks: { noMultipleChoices: true, noLogprobs: true, noLogitBias: true, serviceTier: true },
    notes:
      'console.groq.com/docs/openai: n must be 1, logprobs/logit_bias/messages[].name rejected, no text completions; ' +
      'stream usage also reported under x_groq.usage.',
  }),
  openrouter: preset({
    wire: 'openai-compatible',
    baseUrl: 'https://openrouter.ai/api/v1',
    apiKeyEnv: 'OPENROUTER_API_KEY',
    apiKeyRequired: true,
    quirks: { noMultipleChoices: true, completions: true, cacheControl: true, topK: true },
    notes:
      'openrouter.ai/docs: usage always in the last SSE message (stream_options accepted, now a no-op); n not among its ' +
      'parameters; /completions takes prompt; reasoning in `reasoning`; may send ": OPENROUTER PROCESSING" comments; ' +
      'prompt caching (openrouter.ai/docs/features/prompt-caching): cache_control on content parts for Anthropic and Gemini models.',
  }),
  openai: preset({
    wire: 'openai-compatible',
    baseUrl: 'https://api.openai.com/v1',
    apiKeyEnv: 'OPENAI_API_KEY',
    apiKeyRequired: true,
    quirks: {
      maxCompletionTokens: true,
      completions: true,
      serviceTier: true,
      verbosity: true,
      promptCacheKey: true,
      jsonWordRequired: true,
    },
    notes:
      'platform.openai.com API reference: max_tokens deprecated for max_completion_tokens (o-series reject max_tokens); ' +
      'verbosity and prompt_cache_key on chat completions; ' +
      'legacy /completions serves gpt-3.5-turbo-instruct/davinci-002; retry-after-ms on 429.',
  }),
  'openai-responses': preset({
    wire: 'openai-responses',
    baseUrl: 'https://api.openai.com/v1',
    apiKeyEnv: 'OPENAI_API_KEY',
    apiKeyRequired: true,
    quirks: { maxCompletionTokens: true, completions: true, verbosity: true, promptCacheKey: true },
    notes:
      'platform.openai.com API reference, Responses: POST /v1/responses (stateless here: store false, ' +
      'include reasoning.encrypted_content); reasoning summaries and encrypted reasoning items; embeddings and ' +
      '/completions through the same base URL.',
  }),
  anthropic: preset({
    wire: 'anthropic',
    baseUrl: 'https://api.anthropic.com/v1',
    apiKeyEnv: 'ANTHROPIC_API_KEY',
    apiKeyRequired: true,
    quirks: {
      streamUsage: false,
      noMultipleChoices: true,
      noSeed: true,
      structuredOutputs: true,
      anthropicBetas: ANTHROPIC_PRESET_BETAS,
    },
    notes:
      'docs.anthropic.com Messages API: POST /v1/messages, x-api-key + anthropic-version; 529 overloaded_error; no n, seed or completions.',
  }),
  vllm: preset({
    wire: 'openai-compatible',
    baseUrl: 'http://127.0.0.1:8000/v1',
    apiKeyEnv: 'VLLM_API_KEY',
    apiKeyRequired: false,
    quirks: { completions: true, topK: true },
    notes:
      'docs.vllm.ai OpenAI-compatible server: chat and completions, stream_options.include_usage, n and seed; ' +
      'reasoning parsers emit reasoning_content (newer: reasoning); stop_reason names the stop string.',
  }),
  ollama: preset({
    wire: 'openai-compatible',
    baseUrl: 'http://127.0.0.1:11434/v1',
    apiKeyEnv: 'OLLAMA_API_KEY',
    apiKeyRequired: false,
    quirks: { noMultipleChoices: true, completions: true, topK: true },
    notes:
      'docs.ollama.com OpenAI compatibility: /v1/chat/completions and /v1/completions, stream_options.include_usage and seed ' +
      'supported, n not supported; key ignored locally.',
  }),
  llamacpp: preset({
    wire: 'openai-compatible',
    baseUrl: 'http://127.0.0.1:8080/v1',
    apiKeyEnv: 'LLAMA_API_KEY',
    apiKeyRequired: false,
    quirks: { noMultipleChoices: true, completions: true, topK: true },
    notes:
      'llama.cpp tools/server README: OpenAI-compatible /v1/chat/completions and /v1/completions; only one choice; ' +
      'stream usage comes in the finish_reason chunk; key only with --api-key.',
  }),
});
