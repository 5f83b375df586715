/**
 * The OpenAI chat/completions wire shapes the adapter reads. Every field is optional: upstreams
 * differ (DeepSeek `reasoning_content` and `prompt_cache_*`, OpenRouter/vLLM `reasoning`, Groq
 * `x_groq.usage`, vLLM `stop_reason`), and decoding checks what it uses.
 */

export interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
  /** DeepSeek context caching. */
  prompt_cache_hit_tokens?: number;
  prompt_cache_miss_tokens?: number;
}

export interface WireToolCall {
  index?: number;
  id?: string | null;
  type?: string;
  function?: { name?: string | null; arguments?: string | Record<string, unknown> | null } | null;
}

/** Mistral reasoning models send content as chunks: text, and thinking with nested text. */
export interface WireContentChunk {
  type?: string;
  text?: string;
  thinking?: WireContentChunk[] | string;
}

export interface WireMessage {
  role?: string;
  content?: string | WireContentChunk[] | null;
  /** DeepSeek (and Qwen, Fireworks, Together) visible reasoning. */
  reasoning_content?: string | null;
  /** OpenRouter and recent vLLM visible reasoning. */
  reasoning?: string | null;
  tool_calls?: WireToolCall[] | null;
}

export interface WireChoice {
  index?: number;
  message?: WireMessage;
  delta?: WireMessage;
  /** Legacy completions. */
  text?: string | null;
  finish_reason?: string | null;
  /** vLLM: the stop string (or token id) that ended generation. */
  stop_reason?: string | number | null;
  /** Token log probabilities, when the request asked for them (kept as sent). */
  logprobs?: unknown;
}

export interface WireChunk {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  system_fingerprint?: string | null;
  choices?: WireChoice[] | null;
  usage?: WireUsage | null;
  /** Groq puts the stream's usage here on the final chunk. */
  x_groq?: { usage?: WireUsage | null } | null;
  error?: unknown;
}
