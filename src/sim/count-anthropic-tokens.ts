import { estimateTokens } from './generate-tokens.js';
import { readAnthropicMessages } from './read-anthropic-messages.js';
import type { SimProviderSpec } from './sim-types.js';
import { invalidRequest, modelNotFound } from './wire-errors.js';

/**
 * `POST /v1/messages/count_tokens` on an Anthropic-wire provider: the same prompt count the
 * simulated `/v1/messages` reports as `input_tokens` (system, messages and tool definitions),
 * without generating. Throws SimHttpError (Anthropic shape) on bad input.
 */
export function countAnthropicTokens(
  provider: SimProviderSpec,
  body: unknown,
): { input_tokens: number } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidRequest('anthropic', 'Request body must be a JSON object');
  const fields = body as Record<string, unknown>;
  const name = fields['model'];
  if (typeof name !== 'string' || name === '')
    throw invalidRequest('anthropic', 'model: Field required');
  if (!provider.models.some((model) => model.name === name)) throw modelNotFound('anthropic', name);
  if (fields['max_tokens'] !== undefined)
    throw invalidRequest('anthropic', 'max_tokens: Extra inputs are not permitted');
  const summary = readAnthropicMessages(fields['messages'], fields['system']);
  const toolsText = fields['tools'] === undefined ? '' : JSON.stringify(fields['tools']);
  return { input_tokens: estimateTokens(summary.promptText) + estimateTokens(toolsText) };
}
