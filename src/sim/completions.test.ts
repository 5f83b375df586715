import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimTestClient, type OpenAiErrorBody } from '../../test/helpers/sim-test-client.js';
import { startSimulator } from './start-simulator.js';
import type { RunningSimulator } from './sim-types.js';

let sim: RunningSimulator;
let client: SimTestClient;
beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0 });
  client = new SimTestClient(sim);
});
afterAll(() => sim.close());

describe('legacy and FIM /completions', () => {
  it('answers a text_completion (default max_tokens 16, finish length)', async () => {
    const { status, body } = await client.post<OpenAI.Completion>('sim-deepseek', '/completions', {
      model: 'deepseek-chat',
      prompt: 'def fib(n):',
    });
    expect(status).toBe(200);
    expect(body.object).toBe('text_completion');
    expect(body.id).toMatch(/^cmpl-/);
    expect(body.choices[0]?.text).toMatch(/^\[simulated deepseek-chat via sim-deepseek\] /);
    expect(body.choices[0]?.finish_reason).toBe('length');
    expect(body.usage?.completion_tokens).toBe(16);
  });

  it('does fill-in-the-middle with suffix, in the language of the code', async () => {
    const body = {
      model: 'codestral-latest',
      prompt: 'fn main() {\n',
      suffix: '\n}\n',
      max_tokens: 200,
      stop: ['\n\n\n'],
    };
    const first = await client.post<OpenAI.Completion>('sim-mistral', '/completions', body);
    const again = await client.post<OpenAI.Completion>('sim-mistral', '/completions', body);
    expect(first.body.choices[0]?.text).toContain('fn ');
    expect(again.body.choices[0]?.text).toBe(first.body.choices[0]?.text);
    expect(first.body.usage?.prompt_tokens).toBe(
      Math.ceil('fn main() {\n'.length / 4) + Math.ceil('\n}\n'.length / 4),
    );
  });

  it('supports several prompts × n, echo and stop', async () => {
    const { body } = await client.post<OpenAI.Completion>('sim-qwen', '/completions', {
      model: 'qwen2.5-coder-7b-instruct',
      prompt: ['# a\n', '# b\n'],
      n: 2,
      echo: true,
      max_tokens: 30,
    });
    expect(body.choices).toHaveLength(4);
    expect(body.choices[0]?.text.startsWith('# a\n')).toBe(true);
    expect(body.choices[3]?.text.startsWith('# b\n')).toBe(true);
    const stopped = await client.post<OpenAI.Completion>('sim-qwen', '/completions', {
      model: 'qwen2.5-coder-7b-instruct',
      prompt: 'def x():',
      max_tokens: 100,
      stop: ['return'],
    });
    expect(stopped.body.choices[0]?.finish_reason).toBe('stop');
    expect(stopped.body.choices[0]?.text).not.toContain('return');
  });

  it('streams text_completion chunks, usage only when asked, then [DONE]', async () => {
    const request = { model: 'deepseek-chat', prompt: 'def fib(n):', max_tokens: 10 };
    const json = await client.post<OpenAI.Completion>('sim-deepseek', '/completions', request);
    const plain = await client.stream('sim-deepseek', '/completions', { ...request, stream: true });
    const chunks = plain.events.slice(0, -1).map((event) => event.data as OpenAI.Completion);
    expect(plain.events.at(-1)?.data).toBe('[DONE]');
    expect(chunks.every((chunk) => chunk.object === 'text_completion')).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.text ?? '').join('')).toBe(
      json.body.choices[0]?.text,
    );
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('length');
    expect(chunks.some((chunk) => chunk.usage !== undefined)).toBe(false);
    const withUsage = await client.stream('sim-deepseek', '/completions', {
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    const usageChunk = withUsage.events.at(-2)?.data as OpenAI.Completion;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage?.completion_tokens).toBe(10);
  });

  it('rejects chat-only models with 404 in the OpenAI shape', async () => {
    const { status, body } = await client.post<OpenAiErrorBody>('sim-openai', '/completions', {
      model: 'gpt-4o-mini',
      prompt: 'x',
    });
    expect(status).toBe(404);
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.param).toBe('model');
  });

  it('has no /completions on the anthropic wire', async () => {
    const { status, body } = await client.post<{ type: string; error: { type: string } }>(
      'sim-anthropic',
      '/completions',
      { model: 'x', prompt: 'x' },
    );
    expect(status).toBe(404);
    expect(body.error.type).toBe('not_found_error');
  });
});
