import type { Strategy } from './strategies.js';
import type { BenchTask } from './workload.js';

/**
 * Switchyard's routing policies under test, configured from the tuning split only.
 *
 * This is the place to add policies: each returns a Strategy whose `routing` is merged into the
 * bench config's `routing:` section and whose `modelFor` names the alias the policy serves
 * (`auto`, or a tier alias). Tuning may read `tuning` (prompts and every model's recorded
 * outcome) but never the holdout.
 */
export function policyStrategies(_tuning: readonly BenchTask[], _workload: string): Strategy[] {
  return [];
}
