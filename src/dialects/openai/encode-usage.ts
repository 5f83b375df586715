import type { Usage } from '../../core/response.js';

/** OpenAI `usage` object (`CompletionUsage`). */
export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; cache_write_tokens?: number };
  completion_tokens_details: { reasoning_tokens: number };
}

/**
 * Canonical usage → OpenAI usage. `cache_write_tokens` (a field the openai SDK knows) is added
 * only when the upstream reported cache writes (Anthropic-style prompt caching).
 */
export function encodeUsage(usage: Usage): OpenAIUsage {
  const promptDetails: OpenAIUsage['prompt_tokens_details'] = {
    cached_tokens: usage.cachedInputTokens ?? 0,
  };
  if (usage.cacheWriteTokens !== undefined)
    promptDetails.cache_write_tokens = usage.cacheWriteTokens;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}
