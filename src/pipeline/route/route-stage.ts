import type { Router } from '../../core/route.js';
import {
  type CacheAffinity,
  lookupSession,
  namedSession,
  SESSION_HEADER,
} from '../../router/cache-affinity.js';
import { releaseAfter, sessionOfCall, type Stage } from '../model-call.js';
import { attemptsSummary, LATENCY_BUDGET_HEADER, readLatencyBudget } from './route-summary.js';

/**
 * Route: the router's plan for the call (within the client's latency budget header; in an agent
 * session, with what its previous turn left warm — cache affinity), put on the call for execute. The record names the plan's first target until an attempt answers; once the
 * response is done, the route reason lists the attempts when there was more than one.
 */
export const routeStage =
  (router: Router, affinity?: CacheAffinity): Stage =>
  (next) =>
  async (call) => {
    const { record } = call;
    const latencyBudgetMs = readLatencyBudget(call.headers[LATENCY_BUDGET_HEADER]);
    // Cache affinity: the agent session this request belongs to, and where its cache is warm,
    // when the plan can weigh that (a policy, or a model on several deployments). The turn is
    // remembered once served where a later turn reads it: a session derived from the prefix
    // includes the model asked, so only the same model's turns can; a named session's may ask
    // another model.
    const weighs = router.weighsSession?.(call.request.model) !== false;
    const session = affinity && sessionOfCall(call);
    if (session !== undefined && (weighs || namedSession(call.headers[SESSION_HEADER])))
      record.session = session;
    const found = weighs ? await lookupSession(affinity, session) : undefined;
    // The fields some upstream wire refuses (most requests set none): those targets rank last.
    const refusals = call.endpoint.upstreamRefusals?.(call.request);
    const plan = router.plan(call.request, {
      requestId: record.requestId,
      ...(refusals === undefined ? {} : { refusedFields: refusals }),
      ...(latencyBudgetMs === undefined ? {} : { latencyBudgetMs }),
      ...(found === undefined ? {} : { session: found.cache }),
      ...(call.arrival === undefined ? {} : { conversation: call.arrival.conversation }),
    });
    call.plan = plan;
    record.route = plan.summary;
    record.plan = plan; // the dashboard's explanation of recent requests
    const first = plan.attempts[0]!;
    record.model = first.model.name;
    record.provider = first.deployment.provider;
    return releaseAfter(next(call), () => {
      const attempts = record.attempts ?? [];
      if (attempts.length > 1) record.route = `${record.route}; ${attemptsSummary(attempts)}`;
    });
  };
