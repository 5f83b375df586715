import OpenAI from 'openai';
import { scoreAnswer, type RequestResult } from './scoring.js';
import type { BenchTask } from './workload.js';

export interface SendOptions {
  /** The gateway's OpenAI base URL, e.g. `http://127.0.0.1:4000/v1`. */
  baseUrl: string;
  concurrency: number;
  /** Extra request headers (e.g. a latency budget). */
  headers?: Record<string, string>;
}

/** What a sent request came back with, for the replay fidelity check. */
export interface SentAnswer {
  result: RequestResult;
  /** The answer text, to compare with the serving model's recorded answer. */
  text: string;
}

/**
 * Sends each task's prompt as one user message through the gateway with the official `openai`
 * client (no retries: the gateway does those), at most `concurrency` at a time, and scores each
 * answer by the serving model's recorded outcome. Results come back in task order.
 */
export async function sendWorkload(
  tasks: readonly BenchTask[],
  modelFor: (task: BenchTask) => string,
  options: SendOptions,
): Promise<SentAnswer[]> {
  const client = new OpenAI({
    baseURL: options.baseUrl,
    apiKey: 'sk-routing-bench',
    maxRetries: 0,
    timeout: 60_000,
    defaultHeaders: options.headers ?? {},
  });
  const answers: SentAnswer[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      const task = tasks[index];
      if (task === undefined) return;
      const started = performance.now();
      try {
        const { data, response } = await client.chat.completions
          .create({ model: modelFor(task), messages: [{ role: 'user', content: task.prompt }] })
          .withResponse();
        const latencyMs = performance.now() - started;
        const model = response.headers.get('x-switchyard-model') ?? data.model;
        const costUsd = Number(response.headers.get('x-switchyard-cost-usd') ?? 'NaN');
        answers[index] = {
          result: {
            taskId: task.id,
            model,
            passed: scoreAnswer(task, model),
            costUsd: Number.isFinite(costUsd) ? costUsd : 0,
            latencyMs,
          },
          text: data.choices[0]?.message.content ?? '',
        };
      } catch (error) {
        const latencyMs = performance.now() - started;
        const message = error instanceof Error ? error.message : String(error);
        answers[index] = {
          result: {
            taskId: task.id,
            passed: false,
            costUsd: 0,
            latencyMs,
            error: message.slice(0, 200),
          },
          text: '',
        };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return answers;
}
