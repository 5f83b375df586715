import { GatewayError } from '../../core/errors.js';
import type { ChatRequest, ThinkingConfig } from '../../core/request.js';
import {
  invalidRequest,
  optionalBoolean,
  optionalInteger,
  optionalString,
  requireObject,
  type JsonObject,
} from '../field-readers.js';
import { checkNestedFields } from '../nested-field-policy.js';
import { CHAT_NESTED_POLICY } from './chat-nested-field-policy.js';

const SERVICE_TIERS = new Set(['auto', 'default', 'flex', 'scale', 'priority']);
const VERBOSITIES = new Set(['low', 'medium', 'high']);

/**
 * The chat fields beyond messages, tools, sampling and formats: log probabilities, logit bias,
 * `top_k`, service tier, verbosity, prompt cache hints, DeepSeek-style `thinking`, and the
 * fields accepted only with their default value (`store: false`, `modalities: ["text"]`).
 */
export function decodeChatOptions(body: JsonObject, request: ChatRequest): void {
  // n = 1 is the default: absent, so that no upstream refuses it.
  if (request.n === 1) delete request.n;
  if (optionalBoolean(body.logprobs, 'logprobs') === true) request.logprobs = true;
  const topLogprobs = optionalInteger(body.top_logprobs, 'top_logprobs', 0, 20);
  if (topLogprobs !== undefined) {
    if (request.logprobs !== true)
      throw invalidRequest('`top_logprobs` needs `logprobs: true`', 'top_logprobs');
    request.topLogprobs = topLogprobs;
  }
  const logitBias = decodeLogitBias(body.logit_bias);
  if (logitBias !== undefined) request.logitBias = logitBias;
  const topK = optionalInteger(body.top_k, 'top_k', 0);
  if (topK !== undefined) request.topK = topK;
  const tier = optionalString(body.service_tier, 'service_tier');
  if (tier !== undefined) {
    if (!SERVICE_TIERS.has(tier))
      throw invalidRequest(
        '`service_tier` must be one of auto, default, flex, scale, priority',
        'service_tier',
      );
    request.serviceTier = tier;
  }
  const verbosity = optionalString(body.verbosity, 'verbosity');
  if (verbosity !== undefined) {
    if (!VERBOSITIES.has(verbosity))
      throw invalidRequest('`verbosity` must be one of low, medium, high', 'verbosity');
    request.verbosity = verbosity as NonNullable<ChatRequest['verbosity']>;
  }
  const cacheKey = optionalString(body.prompt_cache_key, 'prompt_cache_key');
  if (cacheKey !== undefined) request.promptCacheKey = cacheKey;
  const retention = optionalString(body.prompt_cache_retention, 'prompt_cache_retention');
  if (retention !== undefined) request.promptCacheRetention = retention;
  const thinking = decodeChatThinking(body.thinking);
  if (thinking !== undefined) request.thinking = thinking;
  if (optionalBoolean(body.store, 'store') === true) {
    throw new GatewayError(
      'unsupported',
      '`store: true` is not supported: stored completions are not served.',
      {
        param: 'store',
      },
    );
  }
  decodeModalities(body.modalities);
}

function decodeLogitBias(value: unknown): Record<string, number> | undefined {
  if (value === undefined || value === null) return undefined;
  const bias = requireObject(value, 'logit_bias');
  for (const [token, weight] of Object.entries(bias)) {
    if (typeof weight !== 'number' || !(weight >= -100 && weight <= 100))
      throw invalidRequest(
        `\`logit_bias.${token}\` must be a number between -100 and 100`,
        'logit_bias',
      );
  }
  return Object.keys(bias).length === 0 ? undefined : (bias as Record<string, number>);
}

/**
 * DeepSeek's chat `thinking` (`{type: "enabled" | "disabled"}`), optionally with Anthropic's
 * `budget_tokens`; `enabled` without a budget leaves the amount to the model (`adaptive`).
 */
function decodeChatThinking(value: unknown): ThinkingConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const thinking = requireObject(value, 'thinking');
  checkNestedFields(thinking, CHAT_NESTED_POLICY, 'thinking', 'thinking');
  const budget = optionalInteger(thinking.budget_tokens, 'thinking.budget_tokens', 1024);
  switch (thinking.type) {
    case 'enabled':
      return budget === undefined
        ? { type: 'adaptive' }
        : { type: 'enabled', budgetTokens: budget };
    case 'adaptive':
      return { type: 'adaptive' };
    case 'disabled':
      return { type: 'disabled' };
    default:
      throw invalidRequest(
        '`thinking.type` must be one of enabled, adaptive, disabled',
        'thinking.type',
      );
  }
}

function decodeModalities(value: unknown): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value) || value.some((entry) => entry !== 'text')) {
    const audio = Array.isArray(value) && value.includes('audio');
    if (audio) {
      throw new GatewayError(
        'unsupported',
        '`modalities` "audio" is not supported: audio output is not served.',
        {
          param: 'modalities',
        },
      );
    }
    throw invalidRequest('`modalities` must be an array of "text"', 'modalities');
  }
}
