import { GatewayError } from '../../core/errors.js';
import type { ProviderQuirks } from '../../core/provider.js';
import type { AssistantMessage, ChatRequest, ReasoningBlock } from '../../core/request.js';

type JsonObject = Record<string, unknown>;

/** The smallest thinking budget the Messages API accepts. */
export const MIN_THINKING_BUDGET = 1024;

/**
 * The request options the Messages API takes natively: `thinking`, `output_config` (effort and,
 * where the provider has structured outputs, `format`), `top_k`, `service_tier`,
 * `context_management`. Writes them into `body` (whose `max_tokens` is already set).
 */
export function encodeAnthropicOptions(
  request: ChatRequest,
  body: JsonObject,
  providerId: string,
  quirks: ProviderQuirks | undefined,
): void {
  if (request.thinking !== undefined) body['thinking'] = encodeThinking(request, body);
  const outputConfig: JsonObject = {};
  if (request.reasoningEffort !== undefined)
    outputConfig['effort'] =
      request.reasoningEffort === 'minimal' ? 'low' : request.reasoningEffort;
  if (nativeFormat(request, quirks) && request.responseFormat?.type === 'json_schema')
    outputConfig['format'] = { type: 'json_schema', schema: request.responseFormat.schema };
  if (Object.keys(outputConfig).length > 0) body['output_config'] = outputConfig;
  if (request.topK !== undefined) body['top_k'] = request.topK;
  if (request.serviceTier !== undefined)
    body['service_tier'] = anthropicServiceTier(request.serviceTier, providerId);
  if (request.contextManagement !== undefined)
    body['context_management'] = request.contextManagement;
}

/** True when the JSON schema output goes upstream as `output_config.format` (no prompt instruction). */
export function nativeFormat(request: ChatRequest, quirks: ProviderQuirks | undefined): boolean {
  return request.responseFormat?.type === 'json_schema' && quirks?.structuredOutputs === true;
}

/** A budget at or above `max_tokens` (after an output clamp) is lowered to fit, never below the minimum. */
function encodeThinking(request: ChatRequest, body: JsonObject): JsonObject {
  const thinking = request.thinking as NonNullable<ChatRequest['thinking']>;
  if (thinking.type !== 'enabled') return { type: thinking.type };
  const maxTokens = body['max_tokens'] as number;
  const budget =
    thinking.budgetTokens < maxTokens
      ? thinking.budgetTokens
      : Math.max(MIN_THINKING_BUDGET, maxTokens - 1);
  return { type: 'enabled', budget_tokens: budget };
}

/** `auto` stays; OpenAI's `default` is Anthropic's `standard_only`; OpenAI's other tiers have no counterpart. */
function anthropicServiceTier(tier: string, providerId: string): string {
  if (tier === 'auto' || tier === 'standard_only') return tier;
  if (tier === 'default') return 'standard_only';
  throw new GatewayError(
    'unsupported',
    `\`service_tier\` "${tier}" is not supported by provider "${providerId}" (Anthropic wire takes auto and standard_only / default).`,
    { param: 'service_tier', provider: providerId },
  );
}

/**
 * The reasoning blocks of an earlier assistant turn that an Anthropic upstream takes back: signed
 * thinking blocks and redacted blocks, as they were issued. Unsigned reasoning (from another
 * upstream) is not sent: the API would refuse a block without a valid signature.
 */
export function encodeHistoryReasoning(
  message: AssistantMessage,
  providerId: string,
): JsonObject[] {
  const encoded: JsonObject[] = [];
  for (const block of message.reasoning ?? []) {
    if (block.type === 'redacted') encoded.push({ type: 'redacted_thinking', data: block.data });
    else if (block.type === 'thinking' && block.signature !== undefined && block.signature !== '')
      encoded.push({ type: 'thinking', thinking: block.text, signature: block.signature });
    else if (message.reasoningOptional !== true) {
      // Reasoning another upstream produced (Responses items passed back, ADR 0013): refused by name.
      throw new GatewayError(
        'unsupported',
        `${providerId} (Anthropic) takes earlier reasoning back only as thinking it signed; these \`reasoning\` input items come from another provider. Leave them out of the input.`,
        { param: 'input', provider: providerId },
      );
    }
    // Unsigned thinking an Anthropic client passes back (another upstream's reasoning, shown
    // with `signature: ""`) never goes back to Anthropic (docs/compatibility.md).
  }
  return encoded;
}

/**
 * The `anthropic-beta` header value for this provider, or undefined without betas. A beta not on
 * the provider's allow-list (`quirks.anthropic_betas`; `*` allows any) is refused by name, so the
 * executor tries a target that takes it.
 */
export function anthropicBetaHeader(
  request: ChatRequest,
  providerId: string,
  quirks: ProviderQuirks | undefined,
): string | undefined {
  const betas = request.anthropicBeta;
  if (betas === undefined || betas.length === 0) return undefined;
  const allowed = quirks?.anthropicBetas ?? [];
  if (!allowed.includes('*')) {
    const refused = betas.filter((beta) => !allowed.includes(beta));
    if (refused.length > 0) {
      throw new GatewayError(
        'unsupported',
        `\`anthropic-beta\` ${refused.map((beta) => `"${beta}"`).join(', ')} is not enabled for provider "${providerId}" (its quirks.anthropic_betas allow-list).`,
        { param: 'anthropic-beta', provider: providerId },
      );
    }
  }
  return betas.join(',');
}
