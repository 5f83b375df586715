import type { Router } from '../../core/route.js';
import { releaseAfter, type Stage } from '../model-call.js';
import { attemptsSummary, LATENCY_BUDGET_HEADER, readLatencyBudget } from './route-summary.js';

/**
 * Route: the router's plan for the call (within the client's latency budget header), put on the
 * call for execute. The record names the plan's first target until an attempt answers; once the
 * response is done, the route reason lists the attempts when there was more than one.
 */
export const routeStage =
  (router: Router): Stage =>
  (next) =>
  async (call) => {
    const { record } = call;
    const latencyBudgetMs = readLatencyBudget(call.headers[LATENCY_BUDGET_HEADER]);
    const plan = router.plan(
      call.request,
      latencyBudgetMs === undefined
        ? { requestId: record.requestId }
        : { latencyBudgetMs, requestId: record.requestId },
    );
    call.plan = plan;
    record.route = plan.summary;
    const first = plan.attempts[0]!;
    record.model = first.model.name;
    record.provider = first.deployment.provider;
    return releaseAfter(next(call), () => {
      const attempts = record.attempts ?? [];
      if (attempts.length > 1) record.route = `${record.route}; ${attemptsSummary(attempts)}`;
    });
  };
