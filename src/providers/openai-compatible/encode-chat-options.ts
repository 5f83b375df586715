import { GatewayError } from '../../core/errors.js';
import type { ProviderQuirks } from '../../core/provider.js';
import type { ChatRequest, Message, ThinkingConfig } from '../../core/request.js';

type JsonObject = Record<string, unknown>;

/** The instruction added when `json_object` toward an upstream that needs the word "json" finds none. */
export const JSON_OBJECT_INSTRUCTION =
  'Respond with only a single valid JSON object. Do not add any text, explanation or Markdown code fences around it.';

/**
 * A thinking budget as an OpenAI reasoning effort, for upstreams that take efforts, not budgets:
 * up to 4,096 tokens low, up to 16,384 medium, more high. `adaptive` and `disabled` give none
 * (the model's own default; a client's explicit effort always wins).
 */
export function thinkingEffort(
  thinking: ThinkingConfig | undefined,
): 'low' | 'medium' | 'high' | undefined {
  if (thinking === undefined || thinking.type !== 'enabled') return undefined;
  if (thinking.budgetTokens <= 4096) return 'low';
  if (thinking.budgetTokens <= 16_384) return 'medium';
  return 'high';
}

/**
 * The chat fields beyond the core ones: reasoning controls, `top_k`, log probabilities, logit
 * bias, service tier, verbosity, prompt cache hints. The endpoint already refused the ones this
 * provider's quirks say it cannot take (src/dialects/field-policy.ts), so what is set is written.
 */
export function encodeChatOptions(
  request: ChatRequest,
  body: JsonObject,
  quirks: ProviderQuirks,
  providerId: string,
): void {
  refuseContextEdits(request, providerId);
  const effort = request.reasoningEffort ?? thinkingEffort(request.thinking);
  if (effort !== undefined) body['reasoning_effort'] = effort;
  if (quirks.thinkingParam && request.thinking !== undefined)
    body['thinking'] = { type: request.thinking.type === 'disabled' ? 'disabled' : 'enabled' };
  if (request.topK !== undefined) body['top_k'] = request.topK;
  if (request.logprobs !== undefined) body['logprobs'] = request.logprobs;
  if (request.topLogprobs !== undefined) body['top_logprobs'] = request.topLogprobs;
  if (request.logitBias !== undefined) body['logit_bias'] = request.logitBias;
  if (request.serviceTier !== undefined)
    body['service_tier'] =
      request.serviceTier === 'standard_only' ? 'default' : request.serviceTier;
  if (request.verbosity !== undefined) {
    if (!quirks.verbosity) {
      throw new GatewayError(
        'unsupported',
        `${providerId} has no verbosity control (\`text.verbosity\` / \`verbosity\`); leave it out, or use a model served by OpenAI.`,
        { param: 'verbosity', provider: providerId },
      );
    }
    body['verbosity'] = request.verbosity;
  }
  // A cache routing hint never changes the answer: left out where the upstream has no such key
  // (a chat client's prompt_cache_key is refused before the attempt by the field policy).
  if (quirks.promptCacheKey) {
    if (request.promptCacheKey !== undefined) body['prompt_cache_key'] = request.promptCacheKey;
    if (request.promptCacheRetention !== undefined)
      body['prompt_cache_retention'] = request.promptCacheRetention;
  }
}

/**
 * Anthropic `context_management` toward this wire: `clear_thinking_…` edits hold by construction
 * (earlier turns' reasoning is sent back only where the upstream asks for it), `clear_tool_uses_…`
 * edits would need the server to drop old tool results, which this wire cannot: refused.
 */
function refuseContextEdits(request: ChatRequest, providerId: string): void {
  const edits = request.contextManagement?.['edits'];
  if (!Array.isArray(edits)) return;
  for (const edit of edits) {
    const type = (edit as { type?: unknown }).type;
    if (typeof type === 'string' && type.startsWith('clear_tool_uses')) {
      throw new GatewayError(
        'unsupported',
        `\`context_management\` edit "${type}" is not supported by provider "${providerId}" (OpenAI-compatible wire: it cannot clear tool results server-side).`,
        { param: 'context_management', provider: providerId },
      );
    }
  }
}

/**
 * `json_object` toward an upstream that refuses it without the word "json" in the messages
 * (DeepSeek, OpenAI): when no message has the word, a system instruction that does is added after
 * the leading system messages. Other requests are returned unchanged.
 */
export function withJsonWord(request: ChatRequest, quirks: ProviderQuirks): Message[] {
  const messages = request.messages;
  if (!quirks.jsonWordRequired || request.responseFormat?.type !== 'json_object') return messages;
  if (messages.some(mentionsJson)) return messages;
  let at = 0;
  while (at < messages.length && messages[at]?.role === 'system') at += 1;
  return [
    ...messages.slice(0, at),
    { role: 'system', content: JSON_OBJECT_INSTRUCTION },
    ...messages.slice(at),
  ];
}

const JSON_WORD = /json/i;

function mentionsJson(message: Message): boolean {
  if (message.role === 'user')
    return message.content.some((part) => part.type === 'text' && JSON_WORD.test(part.text));
  return JSON_WORD.test(message.content);
}

/** The reasoning text of an earlier assistant turn, for upstreams that want it back (`reasoning_content`). */
export function historyReasoningText(message: Message): string | undefined {
  if (message.role !== 'assistant' || message.reasoning === undefined) return undefined;
  let text = '';
  for (const block of message.reasoning) if (block.type === 'thinking') text += block.text;
  return text === '' ? undefined : text;
}
