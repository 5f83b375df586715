import type { IncomingHttpHeaders } from 'node:http';
import { explainPlan, type PlanExplanation } from '../router/explain-plan.js';
import type { Router } from '../core/route.js';
import {
  type CacheAffinity,
  lookupSession,
  SESSION_HEADER,
  sessionOf,
} from '../router/cache-affinity.js';
import { decodeChatRequest } from '../dialects/openai/index.js';
import { CHAT_FIELD_POLICY } from '../dialects/openai/chat-field-policy.js';
import { upstreamRefusals } from '../dialects/field-policy.js';
import { readLatencyBudget } from '../pipeline/route/route-summary.js';
import { keyScopeAllows } from '../pipeline/admission/admission.js';
import type { ClientIdentity } from '../keys/key-types.js';

export const ROUTE_EXPLAIN_PATH = '/v1/route/explain';

/** The explanation, and for a key scoped by `allowed_models` the targets its plan skips. */
export interface KeyedPlanExplanation extends PlanExplanation {
  /** Targets the calling key may not use, which a real request skips (admission), and why. */
  skipped_for_key?: Array<{ deployment: string; model: string; reason: string }>;
}

/**
 * POST /v1/route/explain: the body of a chat completion, decoded and validated the same way,
 * planned by the router and returned as JSON. No upstream call, no ledger row, no spend. With a
 * key scoped by `allowed_models`, `attempts` lists only the targets a real request with that key
 * may try, and `skipped_for_key` the others with the reason (budgets are not judged here: they
 * depend on the spend at the time of the request).
 */
export async function explainRoute(
  body: unknown,
  headers: IncomingHttpHeaders,
  router: Router,
  requestId: string,
  identity: ClientIdentity,
  context: { affinity?: CacheAffinity | undefined } = {},
): Promise<KeyedPlanExplanation> {
  const request = decodeChatRequest(body);
  const latencyBudgetMs = readLatencyBudget(headers['x-switchyard-latency-budget-ms']);
  // The session's warm deployment, as the request itself would see it (the session header or
  // the conversation prefix); explaining never changes the session's memory.
  const found = await lookupSession(
    context.affinity,
    context.affinity && sessionOf(request, headers[SESSION_HEADER], identity.keyId),
  );
  const refusals = upstreamRefusals(CHAT_FIELD_POLICY, request);
  const plan = router.plan(request, {
    requestId,
    explain: true,
    ...(refusals === undefined ? {} : { refusedFields: refusals }),
    ...(latencyBudgetMs === undefined ? {} : { latencyBudgetMs }),
    ...(found === undefined ? {} : { session: found.cache }),
  });
  const explanation = explainPlan(plan);
  const key = identity.key;
  if (!key?.allowedModels) return explanation;
  const allowed = key.allowedModels;
  const skipped = plan.attempts.filter(
    (target) => !keyScopeAllows(key, request.model, target.model.name),
  );
  return {
    ...explanation,
    attempts: plan.attempts
      .filter((target) => !skipped.includes(target))
      .map((target) => target.key),
    skipped_for_key: skipped.map((target) => ({
      deployment: target.key,
      model: target.model.name,
      reason: `model not allowed for this key (allowed_models: ${allowed.join(', ')})`,
    })),
  };
}
