import type { CanonicalRequest } from '../core/request.js';
import type { RouteTarget } from '../core/route.js';

/** The response header naming the `max_tokens` actually sent, when it was lowered to the serving deployment's max output. */
export const MAX_TOKENS_CLAMPED_HEADER = 'x-switchyard-max-tokens-clamped';

/**
 * The `max_tokens` an attempt on `target` sends: the request's, lowered to the deployment's max
 * output when `routing.output_limit` is `clamp` and the request asked for more; undefined = unchanged.
 */
export function clampedMaxTokens(
  request: CanonicalRequest,
  target: RouteTarget,
): number | undefined {
  const limit = target.clampOutputTo;
  return limit !== undefined && request.maxTokens !== undefined && request.maxTokens > limit
    ? limit
    : undefined;
}

/** The request as sent to `target`: the same object unless its `max_tokens` must be clamped. */
export function requestFor<R extends CanonicalRequest>(request: R, target: RouteTarget): R {
  const clamped = clampedMaxTokens(request, target);
  return clamped === undefined ? request : { ...request, maxTokens: clamped };
}
