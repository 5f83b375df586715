import type { IncomingHttpHeaders } from 'node:http';
import { explainPlan, type PlanExplanation } from '../router/explain-plan.js';
import type { Router } from '../core/route.js';
import { type CacheAffinity, lookupSession } from '../router/cache-affinity.js';
import { decodeChatRequest } from '../dialects/openai/index.js';
import { readLatencyBudget } from '../pipeline/route/route-summary.js';

export const ROUTE_EXPLAIN_PATH = '/v1/route/explain';

/**
 * POST /v1/route/explain: the body of a chat completion, decoded and validated the same way,
 * planned by the router and returned as JSON. No upstream call, no ledger row, no spend.
 */
export async function explainRoute(
  body: unknown,
  headers: IncomingHttpHeaders,
  router: Router,
  requestId: string,
  context: { affinity?: CacheAffinity | undefined; keyId?: string | null | undefined } = {},
): Promise<PlanExplanation> {
  const request = decodeChatRequest(body);
  const latencyBudgetMs = readLatencyBudget(headers['x-switchyard-latency-budget-ms']);
  // The session's warm deployment, as the request itself would see it (the session header or
  // the conversation prefix); explaining never changes the session's memory.
  const found = await lookupSession(context.affinity, request, headers, context.keyId);
  return explainPlan(
    router.plan(request, {
      requestId,
      explain: true,
      ...(latencyBudgetMs === undefined ? {} : { latencyBudgetMs }),
      ...(found === undefined ? {} : { session: found.cache }),
    }),
  );
}
