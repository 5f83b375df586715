import { createSeededRandom, hashText } from '../../src/sim/hash-text.js';
import { BENCH_MODELS, cheapestModel, PREMIUM_MODEL } from './bench-fleet.js';
import type { RoutingSection } from './bench-config.js';
import { oracleModel } from './scoring.js';
import type { BenchTask } from './workload.js';

/** One way of choosing a model per request: what the client sends as `model`, under which routing config. */
export interface Strategy {
  name: string;
  kind: 'oracle' | 'baseline' | 'policy';
  /** The `model` field sent for this task (a concrete model, or `auto` / an alias for a policy). */
  modelFor(task: BenchTask): string;
  /** Routing config merged into the bench config's `routing:` (policies); baselines need none. */
  routing?: Partial<RoutingSection>;
  /** One line on how it chooses, for the report. */
  note: string;
}

const MODEL_NAMES = BENCH_MODELS.map((model) => model.name);

/** A uniformly random model per task, fixed by the seed and the task id. */
export function randomModel(task: BenchTask, seed: number): string {
  return createSeededRandom(hashText(task.id, seed)).pick(MODEL_NAMES);
}

/** The oracle and the three baselines; they name concrete models, so they work with any router. */
export function baselineStrategies(seed: number): Strategy[] {
  const cheapest = cheapestModel().name;
  return [
    {
      name: 'oracle',
      kind: 'oracle',
      modelFor: (task) => oracleModel(task, MODEL_NAMES),
      note: 'cheapest model whose recorded answer passes (knows the outcomes)',
    },
    {
      name: 'always-premium',
      kind: 'baseline',
      modelFor: () => PREMIUM_MODEL,
      note: PREMIUM_MODEL,
    },
    {
      name: 'always-cheapest',
      kind: 'baseline',
      modelFor: () => cheapest,
      note: `${cheapest} (lowest list price)`,
    },
    {
      name: 'random',
      kind: 'baseline',
      modelFor: (task) => randomModel(task, seed),
      note: `uniform over the ${MODEL_NAMES.length} models, seed ${seed}`,
    },
  ];
}
