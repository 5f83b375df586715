import type { PromptPrefix } from './prompt-prefixes.js';
import type { SimDirectives } from './parse-directives.js';
import type { SimChoicePlan } from './plan-response.js';
import type { SimFlavor, SimModelSpec, SimOutcome } from './sim-types.js';

/**
 * A validated generation request and its planned answer. Everything here is a pure function of
 * (provider, endpoint, body), so it is cached per raw body; per-request state (faults, prompt
 * cache hits, ids) is applied when serving.
 */
export interface PreparedRequest {
  endpoint: 'chat' | 'completion' | 'messages' | 'responses';
  model: SimModelSpec;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  streamUsage: boolean;
  directives: SimDirectives;
  /** Hash of the canonical request (determinism seed, fault counters). */
  seed: number;
  choices: SimChoicePlan[];
  /** JSON mode was asked for (response_format, or a JSON-only Anthropic system prompt). */
  jsonMode: boolean;
  /** Reasoning is sent as text (`reasoning_content` / thinking blocks) rather than hidden. */
  visibleReasoning: boolean;
  promptTokens: number;
  /** Where cached prompt prefixes may end (prompt-cache simulation); empty for completions. */
  prefixes: PromptPrefix[];
  /** Legacy completions with `echo`: the prompt text shown before each choice. */
  echo?: string[];
  /** Responses API: reasoning items carry `encrypted_content` (`include`). */
  encryptedReasoning?: boolean;
}

export interface SimUsage {
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  /** Prompt tokens read from the simulated prompt cache. */
  cachedTokens: number;
  /** Prompt tokens written to it (Anthropic-style caching by marks). */
  cacheWriteTokens: number;
  /** The part of `cacheWriteTokens` written under 1-hour marks. */
  cacheWrite1hTokens: number;
}

/** Everything an encoder needs to write one answer. */
export interface SimAnswer {
  prepared: PreparedRequest;
  choices: SimChoicePlan[];
  id: string;
  created: number;
  usage: SimUsage;
  flavor: SimFlavor;
}

/** One SSE event and the number of generated tokens it carries (for pacing). */
export interface SimStreamEvent {
  text: string;
  tokens: number;
}

export interface SimAnswerEncoder {
  json(answer: SimAnswer): string;
  stream(answer: SimAnswer): SimStreamEvent[];
  /** The SSE text of an error reported after the stream began. */
  streamError(): string;
  /** Response id prefix, e.g. `chatcmpl-`. */
  idPrefix: string;
}

/** An HTTP error answer already in the wire's shape. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly outcome: SimOutcome,
    readonly headers: Record<string, string> = {},
  ) {
    super(`simulated ${status}`);
  }
}
