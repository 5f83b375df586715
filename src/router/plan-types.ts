import type { Evaluation } from './rank-candidates.js';

/** What a policy decided, before the shared ordering (budget, health, exploration of latency). */
export interface Plan {
  evaluations: Evaluation[];
  tier?: string;
  budget?: number;
  latencySensitive: boolean;
  budgetMode: 'demote' | 'remove';
  /** The quality model's bucket, when the policy consulted it. */
  bucket?: string;
  /** A cascade's chosen rung. */
  rung?: { index: number; count: number };
}

export function budgetOf(budget: number | undefined): { budget?: number } {
  return budget === undefined ? {} : { budget };
}
