import { estimateTokens } from '../../src/sim/generate-tokens.js';
import { BENCH_MODELS, type BenchModel } from './bench-fleet.js';
import { csvRecords, parsePythonStringList } from './parse-csv.js';
import type { BenchTask, TaskOutcome, Workload } from './workload.js';

/**
 * Token counts consistent with a recorded cost: the prompt as the simulator estimates it
 * (chars / 4), the answer as whatever the rest of the cost buys at the output price. When the
 * cost does not even cover that prompt, the prompt shrinks so that one answer token fits.
 */
export function tokensForCost(
  model: BenchModel,
  promptText: string,
  costUsd: number,
): { promptTokens: number; completionTokens: number } {
  let promptTokens = estimateTokens(promptText);
  const left = costUsd * 1e6 - promptTokens * model.inputPerMillion;
  let completionTokens = Math.round(left / model.outputPerMillion);
  if (completionTokens < 1) {
    completionTokens = 1;
    promptTokens = Math.max(
      0,
      Math.round((costUsd * 1e6 - model.outputPerMillion) / model.inputPerMillion),
    );
  }
  return { promptTokens, completionTokens };
}

function textOf(listText: string): string {
  try {
    return parsePythonStringList(listText).join('\n');
  } catch {
    return listText;
  }
}

/**
 * RouterBench's MBPP slice (`routerbench-mbpp-train.csv`): one task per row, the prompt from the
 * Python-list `prompt` column, and for each of the 11 models its answer, its pass/fail (1.0/0.0)
 * and its recorded cost, turned into token counts at the model's list price.
 */
export function parseRouterBench(csvText: string): Workload {
  const records = csvRecords(csvText);
  const tasks: BenchTask[] = records.map((record, index) => {
    const id = record['sample_id'];
    const promptList = record['prompt'];
    if (id === undefined || promptList === undefined)
      throw new Error('RouterBench CSV: sample_id and prompt columns are required');
    const prompt = parsePythonStringList(promptList).join('\n');
    const outcomes: Record<string, TaskOutcome> = {};
    for (const model of BENCH_MODELS) {
      const passed = record[model.name];
      const answer = record[`${model.name}|model_response`];
      const cost = Number(record[`${model.name}|total_cost`]);
      if (passed === undefined || answer === undefined || !Number.isFinite(cost)) {
        throw new Error(`RouterBench CSV row ${index + 2}: missing columns for ${model.name}`);
      }
      outcomes[model.name] = {
        passed: Number(passed) === 1,
        answer: textOf(answer),
        costUsd: cost,
        ...tokensForCost(model, prompt, cost),
      };
    }
    return { id, prompt, group: record['eval_name'] ?? 'mbpp', outcomes };
  });
  return {
    name: 'routerbench-mbpp',
    description:
      'RouterBench MBPP (0-shot) prompts with the recorded answers, costs and pass/fail of 11 models',
    tasks,
  };
}
