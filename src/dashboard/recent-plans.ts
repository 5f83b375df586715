import type { RoutePlan } from '../core/route.js';
import { explainPlan, type PlanExplanation } from '../router/explain-plan.js';

/**
 * The route plans of the last requests this process served, by request id, so the dashboard
 * can show a recent request's whole explanation (every candidate and why it won or lost). The
 * ledger keeps only the one-line route reason; this keeps the rest for the newest `capacity`.
 */
export class RecentPlans {
  private readonly plans = new Map<string, RoutePlan>();

  constructor(private readonly capacity = 500) {}

  remember(requestId: string, plan: RoutePlan): void {
    this.plans.delete(requestId);
    this.plans.set(requestId, plan);
    if (this.plans.size > this.capacity) {
      const oldest = this.plans.keys().next().value;
      if (oldest !== undefined) this.plans.delete(oldest);
    }
  }

  explain(requestId: string): PlanExplanation | undefined {
    const plan = this.plans.get(requestId);
    return plan === undefined ? undefined : explainPlan(plan);
  }

  has(requestId: string): boolean {
    return this.plans.has(requestId);
  }
}
