import type { Usage } from '../../core/response.js';

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  /** The writes by TTL, when the upstream reported the split (Anthropic upstreams do). */
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/**
 * Canonical usage → Anthropic usage. Anthropic counts cached and cache-written prompt tokens
 * apart from `input_tokens`, so they are taken out of it (never below zero). Unknown usage is zeros.
 * `cache_creation` splits the writes by TTL when the upstream said how many were 1-hour writes.
 */
export function encodeAnthropicUsage(usage: Usage | undefined): AnthropicUsage {
  if (usage === undefined) {
    return {
      input_tokens: 0,
      output_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    };
  }
  const cacheRead = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const encoded: AnthropicUsage = {
    input_tokens: Math.max(0, usage.inputTokens - cacheRead - cacheWrite),
    output_tokens: usage.outputTokens,
    cache_read_input_tokens: cacheRead,
    cache_creation_input_tokens: cacheWrite,
  };
  if (usage.cacheWrite1hTokens !== undefined) {
    const oneHour = Math.min(usage.cacheWrite1hTokens, cacheWrite);
    encoded.cache_creation = {
      ephemeral_5m_input_tokens: cacheWrite - oneHour,
      ephemeral_1h_input_tokens: oneHour,
    };
  }
  return encoded;
}
