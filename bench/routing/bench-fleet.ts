import type { SimFleet, SimModelSpec, SimProviderSpec } from '../../src/sim/sim-types.js';

/**
 * The 11 RouterBench models as simulated deployments. Prices are the list prices RouterBench
 * billed (USD per million tokens; a least-squares fit of its recorded `total_cost` on prompt and
 * answer length agrees with them). Latencies are assumptions for 2023-era serving (time to first
 * token, tokens/s), not measurements: they only give the latency columns something to compare.
 */
export interface BenchModel {
  name: string;
  provider: 'rb-openai' | 'rb-anthropic' | 'rb-together';
  inputPerMillion: number;
  outputPerMillion: number;
  /** Registry strength tier (1 small … 4 frontier). */
  tier: 1 | 2 | 3 | 4;
  ttftMs: number;
  tokensPerSecond: number;
  contextWindow: number;
}

export const BENCH_MODELS: readonly BenchModel[] = [
  {
    name: 'gpt-4-1106-preview',
    provider: 'rb-openai',
    inputPerMillion: 10,
    outputPerMillion: 30,
    tier: 4,
    ttftMs: 700,
    tokensPerSecond: 30,
    contextWindow: 128_000,
  },
  {
    name: 'gpt-3.5-turbo-1106',
    provider: 'rb-openai',
    inputPerMillion: 1,
    outputPerMillion: 2,
    tier: 2,
    ttftMs: 350,
    tokensPerSecond: 80,
    contextWindow: 16_385,
  },
  {
    name: 'claude-v2',
    provider: 'rb-anthropic',
    inputPerMillion: 8,
    outputPerMillion: 24,
    tier: 3,
    ttftMs: 1000,
    tokensPerSecond: 35,
    contextWindow: 100_000,
  },
  {
    name: 'claude-v1',
    provider: 'rb-anthropic',
    inputPerMillion: 8,
    outputPerMillion: 24,
    tier: 3,
    ttftMs: 900,
    tokensPerSecond: 35,
    contextWindow: 100_000,
  },
  {
    name: 'claude-instant-v1',
    provider: 'rb-anthropic',
    inputPerMillion: 0.8,
    outputPerMillion: 2.4,
    tier: 2,
    ttftMs: 450,
    tokensPerSecond: 90,
    contextWindow: 100_000,
  },
  {
    name: 'meta/llama-2-70b-chat',
    provider: 'rb-together',
    inputPerMillion: 0.9,
    outputPerMillion: 0.9,
    tier: 2,
    ttftMs: 500,
    tokensPerSecond: 35,
    contextWindow: 4_096,
  },
  {
    name: 'mistralai/mixtral-8x7b-chat',
    provider: 'rb-together',
    inputPerMillion: 0.6,
    outputPerMillion: 0.6,
    tier: 2,
    ttftMs: 300,
    tokensPerSecond: 90,
    contextWindow: 32_768,
  },
  {
    name: 'zero-one-ai/Yi-34B-Chat',
    provider: 'rb-together',
    inputPerMillion: 0.8,
    outputPerMillion: 0.8,
    tier: 2,
    ttftMs: 400,
    tokensPerSecond: 45,
    contextWindow: 4_096,
  },
  {
    name: 'meta/code-llama-instruct-34b-chat',
    provider: 'rb-together',
    inputPerMillion: 0.776,
    outputPerMillion: 0.776,
    tier: 2,
    ttftMs: 400,
    tokensPerSecond: 45,
    contextWindow: 16_384,
  },
  {
    name: 'WizardLM/WizardLM-13B-V1.2',
    provider: 'rb-together',
    inputPerMillion: 0.3,
    outputPerMillion: 0.3,
    tier: 1,
    ttftMs: 250,
    tokensPerSecond: 70,
    contextWindow: 4_096,
  },
  {
    name: 'mistralai/mistral-7b-chat',
    provider: 'rb-together',
    inputPerMillion: 0.2,
    outputPerMillion: 0.2,
    tier: 1,
    ttftMs: 200,
    tokensPerSecond: 110,
    contextWindow: 8_192,
  },
];

export const PREMIUM_MODEL = 'gpt-4-1106-preview';

export function benchModel(name: string): BenchModel {
  const model = BENCH_MODELS.find((candidate) => candidate.name === name);
  if (model === undefined) throw new Error(`not a benchmark model: ${name}`);
  return model;
}

/** The model with the lowest price (input + output per million). */
export function cheapestModel(): BenchModel {
  return [...BENCH_MODELS].sort(
    (a, b) => a.inputPerMillion + a.outputPerMillion - (b.inputPerMillion + b.outputPerMillion),
  )[0]!;
}

/** USD for a request of these token counts at the model's list price. */
export function listCost(
  model: BenchModel,
  promptTokens: number,
  completionTokens: number,
): number {
  return (promptTokens * model.inputPerMillion + completionTokens * model.outputPerMillion) / 1e6;
}

/** The simulator fleet serving the benchmark models: OpenAI and Together on the OpenAI wire, Claude on Anthropic's. */
export function benchFleet(): SimFleet {
  const providers: SimProviderSpec[] = [
    { id: 'rb-openai', wire: 'openai-compatible', flavor: 'openai', models: [] },
    { id: 'rb-anthropic', wire: 'anthropic', models: [] },
    { id: 'rb-together', wire: 'openai-compatible', models: [] },
  ];
  for (const model of BENCH_MODELS) {
    const spec: SimModelSpec = {
      name: model.name,
      ttftMs: model.ttftMs,
      tokensPerSecond: model.tokensPerSecond,
      contextWindow: model.contextWindow,
      maxOutputTokens: 4096,
    };
    providers.find((provider) => provider.id === model.provider)!.models.push(spec);
  }
  return { providers };
}
