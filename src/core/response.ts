import type { ReasoningBlock, ToolCall } from './request.js';

/**
 * Why generation stopped, in canonical terms. OpenAI `finish_reason` and Anthropic
 * `stop_reason` both map onto this set:
 *   stop          ← OpenAI "stop"; Anthropic "end_turn" | "stop_sequence"
 *   length        ← OpenAI "length"; Anthropic "max_tokens" | "model_context_window_exceeded"
 *   tool_calls    ← OpenAI "tool_calls" | "function_call"; Anthropic "tool_use"
 *   content_filter← OpenAI "content_filter"; Anthropic "refusal"
 *   pause         ← Anthropic "pause_turn"
 */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'pause';

/**
 * Token usage as the provider reported it, normalized.
 * `inputTokens` is the whole prompt, cached part included (Anthropic reports the cached part
 * separately; adapters add it back). `outputTokens` includes reasoning tokens.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens read from the provider's prompt cache (DeepSeek `prompt_cache_hit_tokens`, Anthropic `cache_read_input_tokens`, OpenAI `prompt_tokens_details.cached_tokens`). */
  cachedInputTokens?: number;
  /** Prompt tokens written to the provider's cache (Anthropic `cache_creation_input_tokens`), every TTL. */
  cacheWriteTokens?: number;
  /**
   * The part of `cacheWriteTokens` written with the 1-hour TTL (Anthropic
   * `cache_creation.ephemeral_1h_input_tokens`), priced at the 1-hour write price; the rest are
   * 5-minute writes. Absent when the upstream does not report the split.
   */
  cacheWrite1hTokens?: number;
  /** Part of `outputTokens` spent on hidden reasoning. */
  reasoningTokens?: number;
}

export interface Choice {
  index: number;
  text: string;
  /** Visible reasoning text (DeepSeek `reasoning_content`, Anthropic thinking blocks). */
  reasoning?: string;
  /**
   * The reasoning as the upstream's blocks, when it gave signed, redacted or encrypted ones
   * (Anthropic, OpenAI Responses): their text joined is `reasoning`. Absent for unsigned
   * reasoning (the text is all there is).
   */
  reasoningBlocks?: ReasoningBlock[];
  /** Token log probabilities as the OpenAI-compatible upstream returned them (`choices[].logprobs`), when asked. */
  logprobs?: unknown;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** The stop sequence that ended generation, when the provider says which one. */
  stopSequence?: string;
}

export interface ModelResponse {
  /** Upstream response id, when the provider gave one. */
  id: string;
  /** The upstream model name that actually answered. */
  model: string;
  /** Unix seconds. */
  created: number;
  choices: Choice[];
  usage?: Usage;
  systemFingerprint?: string;
}

/**
 * Streams are async iterables of these parts. A stream ends normally when the iterable ends;
 * it ends abnormally by throwing a GatewayError. `index` is the choice index (OpenAI `n`).
 * Per choice the order is: text/reasoning/tool deltas in any interleaving, then `finish`.
 * `usage` comes at most once, after every `finish`.
 */
export type StreamPart =
  | { type: 'start'; id: string; model: string; created: number }
  | { type: 'text-delta'; index: number; text: string }
  | { type: 'reasoning-delta'; index: number; text: string }
  /** Ends the current reasoning block with the Anthropic upstream's signature. */
  | { type: 'reasoning-signature'; index: number; signature: string }
  /** A whole redacted (encrypted) reasoning block from an Anthropic upstream. */
  | { type: 'reasoning-redacted'; index: number; data: string }
  /** Log probabilities of the tokens of the latest deltas (OpenAI `choices[].logprobs` of a chunk). */
  | { type: 'logprobs'; index: number; logprobs: unknown }
  /** Ends the current reasoning block as an OpenAI Responses upstream's encrypted reasoning item. */
  | { type: 'reasoning-encrypted'; index: number; data: string; id?: string }
  | { type: 'tool-call-start'; index: number; toolIndex: number; id: string; name: string }
  | { type: 'tool-call-delta'; index: number; toolIndex: number; argumentsDelta: string }
  | { type: 'finish'; index: number; finishReason: FinishReason; stopSequence?: string }
  | { type: 'usage'; usage: Usage };
