import { scoreAnswer } from './scoring.js';
import type { BenchTask } from './workload.js';
import type { RowOutcome } from './strategy-metrics.js';

export interface ClientOptions {
  /** The gateway's base URL, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  concurrency: number;
  /** Report each answer's recorded outcome through POST /v1/feedback. */
  feedback: boolean;
  /**
   * Play a client that retries a failed answer (`x-switchyard-retry-of`, same `x-switchyard-session`),
   * at most this many requests per task; 1 = never retry.
   */
  maxAttempts: number;
  /** Stop retrying once one of these models answered (the top rung). */
  topModels?: ReadonlySet<string>;
}

interface Answer {
  requestId: string;
  model: string;
  costUsd: number;
}

async function ask(
  options: ClientOptions,
  model: string,
  task: BenchTask,
  headers: Record<string, string>,
): Promise<Answer | undefined> {
  const response = await fetch(`${options.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: task.prompt }] }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) return undefined;
  const cost = Number(response.headers.get('x-switchyard-cost-usd') ?? 'NaN');
  return {
    requestId: response.headers.get('x-request-id') ?? '',
    model: response.headers.get('x-switchyard-model') ?? '',
    costUsd: Number.isFinite(cost) ? cost : 0,
  };
}

async function report(options: ClientOptions, answer: Answer, passed: boolean): Promise<void> {
  const response = await fetch(`${options.baseUrl}/v1/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      request_id: answer.requestId,
      outcome: passed ? 'pass' : 'fail',
      source: 'bench',
    }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`feedback answered ${response.status}`);
}

/**
 * The benchmark as a client: each task's prompt as one user message, the answer scored by the
 * serving model's recorded outcome; with `feedback`, that outcome goes back through
 * `POST /v1/feedback`; with `maxAttempts` > 1, a failed answer is retried in the same session
 * (every attempt's cost is counted). Results in task order.
 */
export async function runClient(
  tasks: readonly BenchTask[],
  model: string,
  options: ClientOptions,
): Promise<RowOutcome[]> {
  const results: RowOutcome[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      const task = tasks[index];
      if (task === undefined) return;
      const started = performance.now();
      let costUsd = 0;
      let attempts = 0;
      let passed = false;
      let last: Answer | undefined;
      const session = { 'x-switchyard-session': `bench-${task.id}` };
      while (attempts < options.maxAttempts) {
        const answer = await ask(options, model, task, {
          ...session,
          ...(last === undefined ? {} : { 'x-switchyard-retry-of': last.requestId }),
        });
        attempts++;
        if (answer === undefined) break;
        last = answer;
        costUsd += answer.costUsd;
        passed = scoreAnswer(task, answer.model);
        if (options.feedback) await report(options, answer, passed);
        if (passed || options.topModels?.has(answer.model)) break;
      }
      results[index] = {
        taskId: task.id,
        passed,
        costUsd,
        latencyMs: performance.now() - started,
        attempts,
        ...(last === undefined ? {} : { model: last.model }),
      };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return results;
}
