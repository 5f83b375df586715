import type { Dispatcher } from 'undici';
import type { CancelSignal } from './cancel.js';
import type { EmbeddingRequest, EmbeddingResponse } from './embedding.js';
import type { ChatRequest, CompletionRequest } from './request.js';
import type { ModelResponse, StreamPart } from './response.js';

/** What an adapter needs to make one upstream call. */
export interface CallContext {
  /** The upstream model name to send (the deployment's name for the model at this provider). */
  upstreamModel: string;
  /** Aborted when the client disconnects or a timeout fires; adapters must pass it to the HTTP call. */
  signal: CancelSignal;
  /** Gateway request id, forwarded upstream as `x-request-id` for correlation. */
  requestId: string;
  /** W3C `traceparent` of this attempt's span, sent upstream when the request is traced. */
  traceparent?: string;
}

/**
 * A stream of canonical parts from upstream. The promise of `stream*` resolves only once the
 * upstream accepted the call (HTTP 2xx headers received), so errors before the first byte reject
 * it and can be failed over; errors after that are thrown from the iterator.
 */
export type PartStream = AsyncIterable<StreamPart>;

/**
 * Optional fast path of a PartStream: the same parts, handed out in the groups they were decoded
 * in (all the parts of one upstream body chunk at once), so a consumer can encode and write them
 * with one socket write and one await per group instead of per part. Consume a stream once,
 * either part by part or by batches, never both. Batches are never empty.
 */
export interface BatchedPartStream extends PartStream {
  batches(): AsyncIterable<readonly StreamPart[]>;
}

/**
 * The parts of a stream in batches: its own batches when it offers them (BatchedPartStream),
 * else one part per batch.
 */
export function partBatches(parts: PartStream): AsyncIterable<readonly StreamPart[]> {
  const batched = parts as Partial<BatchedPartStream>;
  return typeof batched.batches === 'function' ? batched.batches() : oneByOne(parts);
}

async function* oneByOne(parts: PartStream): AsyncGenerator<readonly StreamPart[]> {
  for await (const part of parts) yield [part];
}

/**
 * One upstream wire dialect, bound to one provider's settings (base URL, key, headers, quirks).
 * Adapters translate canonical ⇄ wire and nothing else: no routing, retries or accounting.
 */
/** The upstream wire formats an adapter can speak. */
export type UpstreamWire = 'openai-compatible' | 'openai-responses' | 'anthropic';

export interface ProviderAdapter {
  /** The provider id from config (e.g. `deepseek`). */
  readonly id: string;
  /** The wire format this adapter speaks. */
  readonly wire: UpstreamWire;
  /** The provider's quirks, when the adapter has them: which optional request fields it takes. */
  readonly quirks?: ProviderQuirks;
  chat(request: ChatRequest, context: CallContext): Promise<ModelResponse>;
  streamChat(request: ChatRequest, context: CallContext): Promise<PartStream>;
  /** Legacy/FIM completions, when the upstream has them. */
  complete?(request: CompletionRequest, context: CallContext): Promise<ModelResponse>;
  streamComplete?(request: CompletionRequest, context: CallContext): Promise<PartStream>;
  /** Embeddings (`POST /v1/embeddings` upstream), when the wire has them (OpenAI-compatible). */
  embed?(request: EmbeddingRequest, context: CallContext): Promise<EmbeddingResponse>;
  /**
   * The upstream's own count of a request's input tokens without generating (Anthropic
   * `POST /v1/messages/count_tokens`), when the wire has one.
   */
  countTokens?(request: ChatRequest, context: CallContext): Promise<number>;
  /** Release pooled connections. */
  close(): Promise<void>;
}

/** Provider settings an adapter is built from: the resolved, validated config entry. */
export interface ProviderSettings {
  id: string;
  wire: UpstreamWire;
  /** Base URL including the version path, e.g. `https://api.deepseek.com/v1`. */
  baseUrl: string;
  /** The resolved secret. Never logged, never put in an error message. */
  apiKey?: string;
  /** Extra headers sent on every upstream call (operator config only). */
  headers: Record<string, string>;
  /** Anthropic `anthropic-version` header value. */
  anthropicVersion?: string;
  quirks: ProviderQuirks;
}

/** Known differences between OpenAI-compatible upstreams, switched on per provider in config. */
export interface ProviderQuirks {
  /** Upstream accepts `stream_options: {include_usage: true}` (most do; some self-hosted servers reject it). */
  streamUsage: boolean;
  /** Send `max_completion_tokens` instead of `max_tokens` (OpenAI o-series / gpt-5). */
  maxCompletionTokens: boolean;
  /** Upstream rejects `n` > 1 (Anthropic-native always does; some compatible servers too). */
  noMultipleChoices: boolean;
  /** Upstream has `/completions` (legacy and FIM). */
  completions: boolean;
  /** Upstream rejects `seed`. */
  noSeed: boolean;
  /**
   * Upstream takes Anthropic-style `cache_control` marks on chat content parts (OpenRouter, for
   * the models it caches by mark). Off: marks are dropped (OpenAI, DeepSeek cache automatically).
   */
  cacheControl: boolean;
  /** Upstream takes `top_k` on chat (vLLM, OpenRouter, Together, Fireworks, Ollama, llama.cpp). */
  topK: boolean;
  /** Upstream rejects `logprobs` / `top_logprobs` (Groq). */
  noLogprobs: boolean;
  /** Upstream rejects `logit_bias` (Groq). */
  noLogitBias: boolean;
  /** Upstream takes `service_tier` (OpenAI, Groq). */
  serviceTier: boolean;
  /** Upstream takes `verbosity` (OpenAI gpt-5). */
  verbosity: boolean;
  /** Upstream takes `prompt_cache_key` / `prompt_cache_retention` (OpenAI). */
  promptCacheKey: boolean;
  /**
   * DeepSeek-style thinking: the upstream takes `thinking: {type: enabled|disabled}` on chat and
   * wants the `reasoning_content` of earlier assistant turns back (its tool loops require it).
   */
  thinkingParam: boolean;
  /** `json_object` needs the word "json" in the prompt, or the upstream refuses (DeepSeek, OpenAI). */
  jsonWordRequired: boolean;
  /** Anthropic structured outputs: the upstream takes `output_config.format` (a JSON schema). */
  structuredOutputs: boolean;
  /** `anthropic-beta` values passed to this Anthropic upstream; `*` passes any. Others are refused. */
  anthropicBetas: readonly string[];
}

/** Factory signature: the HTTP dispatcher is injected so tests can point it anywhere. */
export type AdapterFactory = (
  settings: ProviderSettings,
  dispatcher: Dispatcher,
) => ProviderAdapter;
