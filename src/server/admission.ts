import type { Reservation, SpendGuard } from '../keys/key-types.js';
import type { Price } from '../registry/catalog-types.js';
import { GatewayError, toStorageError } from '../core/errors.js';
import type { CanonicalRequest } from '../core/request.js';
import { costOfUsage } from '../usage/cost/cost-of-usage.js';
import type { ClientIdentity } from './authenticate.js';

/** Output tokens assumed for the budget reservation when the request sets no max_tokens. */
export const DEFAULT_EXPECTED_OUTPUT_TOKENS = 1000;
const CHARACTERS_PER_TOKEN = 4;

/**
 * Admission control for a keyed request: the key's allowed models, then an atomic reservation
 * of the estimated cost and tokens against its rate limits and budgets. The returned reservation
 * must be settled with what the request actually spent.
 */
export async function admit(
  identity: ClientIdentity,
  request: CanonicalRequest,
  servedModel: string,
  price: Price | undefined,
  guard: SpendGuard | undefined,
): Promise<Reservation | undefined> {
  const key = identity.key;
  if (!key) return undefined;
  if (key.allowedModels && !key.allowedModels.includes(request.model) && !key.allowedModels.includes(servedModel)) {
    throw new GatewayError('model_not_allowed', `This API key may not use "${request.model}". Allowed: ${key.allowedModels.join(', ')}.`, { param: 'model' });
  }
  // Keys without limits are reserved too: the guard's per-key spend is what the admin API shows.
  if (!guard) return undefined;
  const limits = key.limits;
  const inputTokens = approximateInputTokens(request);
  const outputTokens = (request.maxTokens ?? DEFAULT_EXPECTED_OUTPUT_TOKENS) * (request.kind === 'completion' ? request.prompt.length : 1) * (request.n ?? 1);
  const estimatedCostUsd = price ? costOfUsage({ inputTokens, outputTokens }, price).costUsd : 0;
  const result = await guard.reserve({ keyId: key.id, limits, estimatedCostUsd, estimatedTokens: inputTokens + outputTokens, now: Date.now() }).catch((error: unknown) => {
    // A key's first use loads its spend from the ledger (or Redis): an outage there is a 503, not a 500.
    throw error instanceof RangeError ? error : toStorageError(error, 'The store of key budgets and spend');
  });
  if (result.ok) return result.reservation;
  throw new GatewayError(result.reason, result.message, result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs });
}

/** Prompt tokens by character count: cheap enough for every request, close enough for a reservation. */
function approximateInputTokens(request: CanonicalRequest): number {
  let characters = 0;
  if (request.kind === 'completion') {
    for (const prompt of request.prompt) characters += prompt.length;
    characters += request.suffix?.length ?? 0;
  } else {
    for (const message of request.messages) {
      if (message.role === 'user') {
        for (const part of message.content) if (part.type === 'text') characters += part.text.length;
      } else {
        characters += message.content.length;
        if (message.role === 'assistant') for (const call of message.toolCalls ?? []) characters += call.arguments.length;
      }
    }
  }
  return Math.ceil(characters / CHARACTERS_PER_TOKEN);
}
