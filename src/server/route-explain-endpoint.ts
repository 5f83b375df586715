import type { IncomingHttpHeaders } from 'node:http';
import { explainPlan, type PlanExplanation } from '../router/explain-plan.js';
import type { Router } from '../core/route.js';
import { decodeChatRequest } from '../dialects/openai/index.js';
import { readLatencyBudget } from '../pipeline/route/route-summary.js';

export const ROUTE_EXPLAIN_PATH = '/v1/route/explain';

/**
 * POST /v1/route/explain: the body of a chat completion, decoded and validated the same way,
 * planned by the router and returned as JSON. No upstream call, no ledger row, no spend.
 */
export function explainRoute(
  body: unknown,
  headers: IncomingHttpHeaders,
  router: Router,
  requestId: string,
): PlanExplanation {
  const request = decodeChatRequest(body);
  const latencyBudgetMs = readLatencyBudget(headers['x-switchyard-latency-budget-ms']);
  return explainPlan(
    router.plan(
      request,
      latencyBudgetMs === undefined
        ? { requestId, explain: true }
        : { latencyBudgetMs, requestId, explain: true },
    ),
  );
}
