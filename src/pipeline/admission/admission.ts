import type { ClientIdentity, Reservation, SpendGuard, VirtualKey } from '../../keys/key-types.js';
import type { Price } from '../../registry/catalog-types.js';
import { GatewayError, toStorageError } from '../../core/errors.js';
import type { CanonicalRequest } from '../../core/request.js';
import { costOfUsage } from '../../usage/cost/cost-of-usage.js';
import type { RouteTarget } from '../../core/route.js';
import type { RequestAdmission } from '../model-call.js';

/**
 * Output tokens reserved for a keyed request without max_tokens: the deployment's max output when
 * the catalog knows it, at most `auth.reserve_output_tokens` (default 32,768).
 */
export const DEFAULT_RESERVE_OUTPUT_TOKENS = 32_768;
const CHARACTERS_PER_TOKEN = 4;

export interface AdmissionOptions {
  guard?: SpendGuard | undefined;
  reserveOutputTokens?: number;
}

/**
 * Admission control for a keyed request, for every attempt of its plan: a target whose model the
 * key may not use is skipped (unless the key's allowed models name what the client asked for, an
 * alias or policy, which grants its routes); the first target admitted reserves its estimated
 * cost and tokens against the key's rate limits and budgets; a later target (failover, escalation)
 * that costs more extends the reservation by the difference, and a hedge (a concurrent attempt)
 * reserves its whole estimate; an extension the budget refuses skips that target. With no target
 * left, the request gets the refusal (403 model_not_allowed, 429 budget_exceeded or rate_limited).
 */
export function admitRequest(
  identity: ClientIdentity,
  request: CanonicalRequest,
  options: AdmissionOptions,
): RequestAdmission | undefined {
  return identity.key ? createAdmission(identity.key, request, options) : undefined;
}

/**
 * Whether a key may be served by `model` for a request that asked for `asked`: no scope, or its
 * allowed models name the model, or name what was asked (an alias or policy grants its routes).
 */
export function keyScopeAllows(
  key: Pick<VirtualKey, 'allowedModels'>,
  asked: string,
  model: string,
): boolean {
  return (
    !key.allowedModels || key.allowedModels.includes(asked) || key.allowedModels.includes(model)
  );
}

function createAdmission(
  key: VirtualKey,
  request: CanonicalRequest,
  options: AdmissionOptions,
): RequestAdmission {
  const guard = options.guard;
  const cap = options.reserveOutputTokens ?? DEFAULT_RESERVE_OUTPUT_TOKENS;
  const inputTokens = approximateInputTokens(request);
  const copies = (request.kind === 'completion' ? request.prompt.length : 1) * (request.n ?? 1);
  const reservations: Reservation[] = [];
  const skipped: string[] = [];
  let sequentialUsd = 0;
  let admittedAny = false;
  const verdicts = new Map<RouteTarget, GatewayError | undefined>();
  const scopeAllows = (model: string): boolean => keyScopeAllows(key, request.model, model);

  const estimate = (target: RouteTarget): { costUsd: number; tokens: number } => {
    const bound = request.maxTokens ?? Math.min(target.deployment.maxOutputTokens ?? cap, cap);
    const outputTokens = bound * copies;
    const price = target.deployment.price;
    return {
      costUsd: price ? costOfUsage({ inputTokens, outputTokens }, price).costUsd : 0,
      tokens: inputTokens + outputTokens,
    };
  };

  const admission: RequestAdmission = {
    skipped,
    async admitAttempt(target, concurrent) {
      // A target is judged once per request (the executor and the pre-flight check may both ask).
      if (!concurrent && verdicts.has(target)) return verdicts.get(target);
      const verdict = await judge(target, concurrent);
      if (!concurrent) verdicts.set(target, verdict);
      return verdict;
    },
    async admitFirst(targets) {
      let refusal: GatewayError | undefined;
      for (const target of targets) {
        refusal = await admission.admitAttempt(target, false);
        if (refusal === undefined) return;
      }
      throw refusal ?? new GatewayError('upstream_unavailable', 'The route plan has no target.');
    },
    async admitServed(servedModel) {
      const reservation = await admitKey(key, request, servedModel, undefined, guard);
      if (reservation) reservations.push(reservation);
    },
    settle(costUsd, tokens) {
      // The first reservation takes the actual spend; extensions are released (their part is in that spend).
      reservations.forEach((reservation, index) =>
        reservation.settle(index === 0 ? costUsd : 0, index === 0 ? tokens : 0),
      );
    },
  };
  return admission;

  async function judge(
    target: RouteTarget,
    concurrent: boolean,
  ): Promise<GatewayError | undefined> {
    if (!scopeAllows(target.model.name)) {
      skipped.push(`${target.key}: model not allowed for this key`);
      return new GatewayError(
        'model_not_allowed',
        `This API key may not use "${request.model}" (no model of its route is allowed). Allowed: ${key.allowedModels!.join(', ')}.`,
        { param: 'model' },
      );
    }
    // Keys without limits are reserved too: the guard's per-key spend is what the admin API shows.
    if (!guard) return undefined;
    const { costUsd, tokens } = estimate(target);
    const extraUsd = concurrent || !admittedAny ? costUsd : Math.max(0, costUsd - sequentialUsd);
    if (admittedAny && extraUsd === 0) return undefined;
    const result = await guard
      .reserve({
        keyId: key.id,
        limits: key.limits,
        estimatedCostUsd: extraUsd,
        estimatedTokens: admittedAny ? 0 : tokens,
        now: Date.now(),
        ...(admittedAny ? { extension: true } : {}),
      })
      .catch((error: unknown) => {
        // A key's first use loads its spend from the ledger (or Redis): an outage there is a 503, not a 500.
        throw error instanceof RangeError
          ? error
          : toStorageError(error, 'The store of key budgets and spend');
      });
    if (!result.ok) {
      skipped.push(`${target.key}: ${result.reason}`);
      return new GatewayError(
        result.reason === 'unavailable' ? 'storage_unavailable' : result.reason,
        result.message,
        result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs },
      );
    }
    reservations.push(result.reservation);
    if (!concurrent) sequentialUsd = Math.max(sequentialUsd, costUsd);
    admittedAny = true;
    return undefined;
  }
}

/** Admission of a request served without an upstream call (a cache hit): the asked or stored model's scope, a reservation at no price. */
export function admit(
  identity: ClientIdentity,
  request: CanonicalRequest,
  servedModel: string,
  price: Price | undefined,
  guard: SpendGuard | undefined,
): Promise<Reservation | undefined> {
  return identity.key
    ? admitKey(identity.key, request, servedModel, price, guard)
    : Promise.resolve(undefined);
}

async function admitKey(
  key: VirtualKey,
  request: CanonicalRequest,
  servedModel: string,
  price: Price | undefined,
  guard: SpendGuard | undefined,
): Promise<Reservation | undefined> {
  if (
    key.allowedModels &&
    !key.allowedModels.includes(request.model) &&
    !key.allowedModels.includes(servedModel)
  ) {
    throw new GatewayError(
      'model_not_allowed',
      `This API key may not use "${request.model}". Allowed: ${key.allowedModels.join(', ')}.`,
      { param: 'model' },
    );
  }
  if (!guard) return undefined;
  const inputTokens = approximateInputTokens(request);
  const outputTokens =
    (request.maxTokens ?? 0) *
    (request.kind === 'completion' ? request.prompt.length : 1) *
    (request.n ?? 1);
  const estimatedCostUsd = price ? costOfUsage({ inputTokens, outputTokens }, price).costUsd : 0;
  const result = await guard
    .reserve({
      keyId: key.id,
      limits: key.limits,
      estimatedCostUsd,
      estimatedTokens: inputTokens + outputTokens,
      now: Date.now(),
    })
    .catch((error: unknown) => {
      throw error instanceof RangeError
        ? error
        : toStorageError(error, 'The store of key budgets and spend');
    });
  if (result.ok) return result.reservation;
  throw new GatewayError(
    result.reason === 'unavailable' ? 'storage_unavailable' : result.reason,
    result.message,
    result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs },
  );
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
        for (const part of message.content)
          if (part.type === 'text') characters += part.text.length;
      } else {
        characters += message.content.length;
        if (message.role === 'assistant')
          for (const call of message.toolCalls ?? []) characters += call.arguments.length;
      }
    }
  }
  return Math.ceil(characters / CHARACTERS_PER_TOKEN);
}
