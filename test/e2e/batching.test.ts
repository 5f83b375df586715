import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/** Micro-batching of small /v1/completions to one deployment, against the simulator. */
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway({
    models: {
      coder: {
        deployments: [
          { provider: 'sim-qwen', model: 'qwen2.5-coder-7b-instruct' },
          { provider: 'sim-deepseek', model: 'deepseek-chat' },
        ],
      },
    },
    routing: { default_model: 'coder' },
    batching: { deployments: { 'sim-qwen/coder': { window_ms: 100, max_prompts: 8 } } },
    // No retries on the same deployment: a retried member could land in a batch of its own and
    // succeed there, which would make the failover below depend on timing.
    resilience: { retries: { max_per_deployment: 0 } },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => gateway.close());

describe('micro-batching', () => {
  it('sends concurrent small completions as one upstream call with a prompt array and splits the answers and usage back', async () => {
    const run = randomUUID();
    const prompts = ['def add(a, b):', 'def parse_date(text):', 'class Stack:', 'def fib(n):'].map(
      (prompt) => `# ${run}\n${prompt}`,
    );
    const before = gateway.simulator!.stats().requests;
    const answers = await Promise.all(
      prompts.map((prompt) =>
        client.completions.create({ model: 'coder', prompt, max_tokens: 40 }).withResponse(),
      ),
    );
    expect(gateway.simulator!.stats().requests).toBe(before + 1);
    const upstream = gateway.simulator!.recentRequests().at(-1)!;
    expect(upstream.body).toMatchObject({ prompt: prompts, max_tokens: 40 });

    for (const { data } of answers)
      expect(data.choices[0]!.text).toContain('[simulated qwen2.5-coder-7b-instruct via sim-qwen]');
    for (const { data } of answers) {
      expect(data.choices).toHaveLength(1);
      expect(data.choices[0]!.index).toBe(0);
      expect(data.usage!.completion_tokens).toBeGreaterThan(0);
    }
    const records = gateway.records.slice(-4);
    const totalOutput = answers.reduce((sum, { data }) => sum + data.usage!.completion_tokens, 0);
    expect(records.reduce((sum, record) => sum + record.usage!.outputTokens, 0)).toBe(totalOutput);
    expect(records.every((record) => record.costUsd! > 0 && record.attempts!.length === 1)).toBe(
      true,
    );
  });

  it('fails every member of a failed batch over, each on its own, to the next deployment', async () => {
    const run = randomUUID();
    // The simulator reads directives from the last prompt of an array: the whole batch fails.
    const prompts = [`# ${run} a`, `# ${run} b [[sim:fault=503@sim-qwen]]`];
    const answers = await Promise.all(
      prompts.map((prompt) =>
        client.completions.create({ model: 'coder', prompt, max_tokens: 10 }).withResponse(),
      ),
    );
    expect(answers.map(({ response }) => response.headers.get('x-switchyard-provider'))).toEqual([
      'sim-deepseek',
      'sim-deepseek',
    ]);
    for (const record of gateway.records.slice(-2)) {
      expect(
        record.attempts!.map((attempt) => [attempt.provider, attempt.errorCode ?? 'ok']),
      ).toEqual([
        ['sim-qwen', 'upstream_unavailable'],
        ['sim-deepseek', 'ok'],
      ]);
    }
  });
});
