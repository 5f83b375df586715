import type { SimReplayTable } from './replay-table.js';

/**
 * Public types of the simulator fleet: simulated upstream providers served over real HTTP.
 */

/** Probabilities (0..1) of each fault, rolled per request. */
export interface SimFaultRates {
  /** 429 with retry-after headers. */
  rateLimited: number;
  /** 500. */
  serverError: number;
  /** 503 (openai-compatible) or 529 overloaded (anthropic). */
  unavailable: number;
  /** Socket destroyed without an answer. */
  reset: number;
  /** Stream: a few chunks then the socket is destroyed; JSON: half the body then destroyed. */
  cut: number;
  /** No answer at all until the client or the simulator closes. */
  hang: number;
  /** In JSON mode (response_format / JSON-only system prompt), the JSON text is broken. */
  malformedJson: number;
}

export interface SimModelSpec {
  name: string;
  /** Time to first token, milliseconds (× timeScale). */
  ttftMs: number;
  /** Output pace after the first token (÷ timeScale). */
  tokensPerSecond: number;
  contextWindow: number;
  maxOutputTokens: number;
  /** Emits reasoning before the answer (DeepSeek `reasoning_content`, Anthropic thinking when enabled). */
  reasoning?: boolean;
  /** Serves legacy and FIM `/completions` (openai-compatible wire only). */
  completions?: boolean;
  faults?: Partial<SimFaultRates>;
  /** Seconds announced in `retry-after` on 429; default 1. */
  retryAfterSeconds?: number;
}

/** An embedding model served at `POST /v1/embeddings` (openai-compatible wire only). */
export interface SimEmbeddingModelSpec {
  name: string;
  /** Length of a full vector. */
  dimensions: number;
  /** Accepts `dimensions` to shorten vectors (OpenAI text-embedding-3 does). */
  shortenable?: boolean;
}

export type SimWire = 'openai-compatible' | 'anthropic';
/** `openrouter`: OpenRouter's usage shape (cache reads and writes under `prompt_tokens_details`). */
export type SimFlavor = 'deepseek' | 'openai' | 'openrouter' | 'generic';
/**
 * How a simulated provider caches prompt prefixes: by `cache_control` marks (Anthropic; an
 * OpenRouter-like openai-compatible upstream), automatically (OpenAI, DeepSeek), or not at all.
 */
export type SimPromptCache = 'marks' | 'automatic-openai' | 'automatic-deepseek' | 'none';

export interface SimProviderSpec {
  /** URL prefix and provider id, e.g. `sim-deepseek`. */
  id: string;
  wire: SimWire;
  /** Usage-field dialect of openai-compatible providers; default `generic`. */
  flavor?: SimFlavor;
  /**
   * Prompt caching; default by wire and flavor: anthropic → marks, deepseek → automatic-deepseek,
   * openai → automatic-openai, openrouter → marks (its Anthropic models cache by mark), generic → none.
   */
  promptCache?: SimPromptCache;
  /** When set, a missing or wrong key is answered 401 in the wire's error shape. */
  apiKey?: string;
  models: SimModelSpec[];
  /** Embedding models (openai-compatible wire only). */
  embeddingModels?: SimEmbeddingModelSpec[];
  /** Also serves the OpenAI Responses API at `POST /v1/responses` (openai-compatible wire only). */
  responsesApi?: boolean;
}

export interface SimFleet {
  providers: SimProviderSpec[];
}

export interface StartSimulatorOptions {
  /** Default: DEFAULT_FLEET. */
  fleet?: SimFleet;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Multiplies every simulated delay taken from the fleet; 0 = instant. Default 1. */
  timeScale?: number;
  /** Seeds the fault dice (random faults become a reproducible sequence); default Math.random. */
  seed?: number;
  /** Recorded answers to replay for (model, last user message); see replay-table.ts. */
  replay?: SimReplayTable;
}

/** How a request ended, as counted in stats. */
export type SimOutcome =
  | 'ok'
  | 'rate_limited'
  | 'server_error'
  | 'unavailable'
  | 'overloaded'
  | 'reset'
  | 'cut'
  | 'hang'
  | 'stall'
  | 'stream_error'
  | 'malformed'
  | 'bad_request'
  | 'context_length'
  | 'unauthorized'
  | 'not_found'
  | 'client_closed';

export interface SimModelStats {
  requests: number;
  streamed: number;
  outcomes: Partial<Record<SimOutcome, number>>;
}

export interface SimProviderStats {
  requests: number;
  /** Per served model; requests naming an unknown model count under `(unknown)`. */
  models: Record<string, SimModelStats>;
  outcomes: Partial<Record<SimOutcome, number>>;
}

export interface SimStats {
  /** Generation requests (chat, completions, messages) received, all providers. */
  requests: number;
  /** Requests whose answer is still being produced (or hanging). */
  inFlight: number;
  providers: Record<string, SimProviderStats>;
  outcomes: Partial<Record<SimOutcome, number>>;
}

/** One recent generation request as received, for tests that check what the gateway sent upstream. */
export interface SimRecordedRequest {
  providerId: string;
  method: string;
  /** Path after the provider prefix, e.g. `/v1/chat/completions`. */
  path: string;
  /** Lower-cased header names; `authorization` and `x-api-key` values are redacted. */
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
}

export interface RunningSimulator {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  /** Base URL including the version path, e.g. `http://127.0.0.1:41234/sim-deepseek/v1`. */
  baseUrlFor(providerId: string): string;
  stats(): SimStats;
  resetStats(): void;
  /** The last generation requests received, oldest first (bounded). */
  recentRequests(): SimRecordedRequest[];
  /** Ends hanging and in-flight responses and frees the port. */
  close(): Promise<void>;
}

/** The provider's prompt-cache model (its `promptCache`, else the default of its wire and flavor). */
export function promptCacheOf(provider: SimProviderSpec): SimPromptCache {
  if (provider.promptCache !== undefined) return provider.promptCache;
  if (provider.wire === 'anthropic' || provider.flavor === 'openrouter') return 'marks';
  if (provider.flavor === 'deepseek') return 'automatic-deepseek';
  if (provider.flavor === 'openai') return 'automatic-openai';
  return 'none';
}
