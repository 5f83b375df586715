/**
 * Canonical request types. Dialects (client side) decode into these; provider adapters
 * (upstream side) encode from these. Nothing else in the gateway sees a wire format.
 */

/** JSON Schema object, kept opaque: the gateway forwards it, it never interprets it here. */
export type JsonSchema = Record<string, unknown>;

/**
 * A provider prompt-cache breakpoint (Anthropic `cache_control`): the upstream may cache the
 * prompt up to and including the block that carries it. It never changes the answer, so it is
 * not part of the response-cache key. Toward upstreams that cache automatically it is dropped
 * (docs/cache.md has the table).
 */
export interface CacheControl {
  type: 'ephemeral';
  /** Anthropic's cache lifetime; absent means the provider's default (5 minutes). */
  ttl?: '5m' | '1h';
}

export type TextPart = { type: 'text'; text: string; cacheControl?: CacheControl };
/** An image by URL; `url` may be a `data:` URL (base64) — adapters convert as their wire needs. */
export type ImagePart = {
  type: 'image';
  url: string;
  mediaType?: string;
  /**
   * OpenAI's resolution hint (`low`, `high`, `original`; `auto`, the default, is not kept):
   * passed to the OpenAI wires; Anthropic's wire has no such control and scales images itself,
   * so the hint is left out there (docs/compatibility.md).
   */
  detail?: ImageDetail;
  cacheControl?: CacheControl;
};
export const IMAGE_DETAILS = ['auto', 'low', 'high', 'original'] as const;
export type ImageDetail = Exclude<(typeof IMAGE_DETAILS)[number], 'auto'>;
export type ContentPart = TextPart | ImagePart;

export interface ToolCall {
  /** Provider-issued id (e.g. `call_…` or `toolu_…`); tool results refer to it. */
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as the model produced them (may be invalid JSON). */
  arguments: string;
  /** Cache breakpoint on this tool call (an Anthropic `tool_use` block's `cache_control`). */
  cacheControl?: CacheControl;
}

/**
 * One system text block. An Anthropic `system` array becomes one SystemMessage per block, in
 * order, so block boundaries and their cache marks survive; a wire without system blocks joins
 * consecutive system messages.
 */
export type SystemMessage = { role: 'system'; content: string; cacheControl?: CacheControl };
export type UserMessage = { role: 'user'; content: ContentPart[] };
/**
 * A block of reasoning: in a response, what the upstream showed; in history, what the client sent
 * back. `thinking` blocks carry text and, when an Anthropic upstream issued one, its `signature`;
 * `redacted` blocks carry Anthropic's encrypted reasoning; `encrypted` blocks carry an OpenAI
 * Responses upstream's encrypted reasoning item (`data` is its `encrypted_content`, `id` its item
 * id) with the summary text it showed. Signed, redacted and encrypted blocks go back only to the
 * wire that produced them; unsigned reasoning only to upstreams that take it (docs/providers.md,
 * ADR 0013).
 */
export type ReasoningBlock =
  | { type: 'thinking'; text: string; signature?: string }
  | { type: 'redacted'; data: string }
  | { type: 'encrypted'; text: string; data: string; id?: string };

export type AssistantMessage = {
  role: 'assistant';
  /** Text of the answer; empty string when the turn was only tool calls. */
  content: string;
  toolCalls?: ToolCall[];
  /** Cache breakpoint on the answer text (an Anthropic assistant `text` block's `cache_control`). */
  cacheControl?: CacheControl;
  /**
   * The reasoning blocks the turn began with, as the client passed them back (Responses
   * `reasoning` items). Adapters send them where their wire takes earlier reasoning and refuse
   * them (`unsupported`) where it cannot (docs/providers.md, ADR 0013).
   */
  reasoning?: ReasoningBlock[];
  /**
   * The reasoning is optional context (Anthropic `thinking` blocks of earlier turns, which the
   * Anthropic API itself may ignore): an upstream that cannot take it back gets none, instead of
   * a refusal. Responses `reasoning` items are not optional: they are round-tripped or refused.
   */
  reasoningOptional?: true;
};
export type ToolMessage = {
  role: 'tool';
  toolCallId: string;
  content: string;
  /** The tool reported failure (Anthropic `is_error`); wires without a flag get an error prefix. */
  isError?: boolean;
  /** Cache breakpoint on the result (an Anthropic `tool_result` block's `cache_control`). */
  cacheControl?: CacheControl;
};
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: JsonSchema;
  strict?: boolean;
  /** Cache breakpoint after this tool (Anthropic: tools come first in the cached prefix). */
  cacheControl?: CacheControl;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name: string;
      schema: JsonSchema;
      strict?: boolean;
      description?: string;
    };

/** Sampling and limit parameters shared by chat and completion requests. */
export interface SamplingParams {
  /** Upper bound on generated tokens (OpenAI `max_tokens`/`max_completion_tokens`, Anthropic `max_tokens`). */
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  /** Number of choices to generate (OpenAI `n`). Absent means 1. */
  n?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** End-user identifier for abuse tracking; never part of a cache key. */
  user?: string;
}

export interface ChatRequest extends SamplingParams {
  kind: 'chat';
  /** The model the client asked for (a concrete model name or a routing alias). */
  model: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  stream: boolean;
  /** The client asked for usage in the stream (OpenAI `stream_options.include_usage`). */
  streamUsage?: boolean;
  /** Reasoning effort hint for models that support it (OpenAI `reasoning_effort`). */
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /** Reasoning summaries asked for (OpenAI Responses `reasoning.summary`). */
  reasoningSummary?: 'auto' | 'concise' | 'detailed';
  /** Extended thinking (Anthropic `thinking`); see ThinkingConfig. */
  thinking?: ThinkingConfig;
  /** Top-k sampling (Anthropic `top_k`; some OpenAI-compatible servers take `top_k` too). */
  topK?: number;
  /** Return the log probabilities of the output tokens (OpenAI `logprobs`). */
  logprobs?: boolean;
  /** With `logprobs`: this many most likely alternatives per token (OpenAI `top_logprobs`). */
  topLogprobs?: number;
  /** Processing tier: `auto`, `default` (Anthropic `standard_only`), or an OpenAI tier (`flex`, `priority`, `scale`). */
  serviceTier?: string;
  /** Anthropic `context_management` (server-side context editing), passed to Anthropic upstreams as sent. */
  contextManagement?: Record<string, unknown>;
  /** Anthropic beta features the client asked for (`anthropic-beta` header values). */
  anthropicBeta?: string[];
  /** Token id → bias (OpenAI `logit_bias`). */
  logitBias?: Record<string, number>;
  /** Answer length and detail (OpenAI `verbosity` / Responses `text.verbosity`). */
  verbosity?: 'low' | 'medium' | 'high';
  /** OpenAI prompt cache routing hint (`prompt_cache_key`) and retention (`prompt_cache_retention`); never changes the answer. */
  promptCacheKey?: string;
  promptCacheRetention?: string;
}

/**
 * Thinking as the client asked for it: a token budget (`enabled`), the model's own choice
 * (`adaptive`), or none (`disabled`). Upstreams without a budget get a reasoning effort derived
 * from it (thinkingEffort).
 */
export type ThinkingConfig =
  | { type: 'enabled'; budgetTokens: number }
  | { type: 'adaptive' }
  | { type: 'disabled' };

export interface CompletionRequest extends SamplingParams {
  kind: 'completion';
  model: string;
  /** One entry per prompt; a single string prompt becomes a one-element array. */
  prompt: string[];
  /** Fill-in-the-middle: the text after the insertion point. */
  suffix?: string;
  echo?: boolean;
  stream: boolean;
  streamUsage?: boolean;
}

export type CanonicalRequest = ChatRequest | CompletionRequest;
