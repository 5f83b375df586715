import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './start-simulator.js';
import type { RunningSimulator } from './sim-types.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({
    timeScale: 0,
    fleet: {
      providers: [
        {
          id: 'oai',
          wire: 'openai-compatible',
          flavor: 'openai',
          responsesApi: true,
          models: [
            {
              name: 'gpt-4.1',
              ttftMs: 0,
              tokensPerSecond: 0,
              contextWindow: 1000,
              maxOutputTokens: 500,
            },
            {
              name: 'o4-mini',
              ttftMs: 0,
              tokensPerSecond: 0,
              contextWindow: 1000,
              maxOutputTokens: 500,
              reasoning: true,
            },
          ],
        },
        {
          id: 'plain',
          wire: 'openai-compatible',
          models: [
            { name: 'm', ttftMs: 0, tokensPerSecond: 0, contextWindow: 1000, maxOutputTokens: 500 },
          ],
        },
      ],
    },
  });
});
afterAll(() => sim.close());

async function post(provider: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${sim.baseUrlFor(provider)}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe('the simulated Responses API (POST /v1/responses)', () => {
  it('answers a response object with a reasoning item (summary, encrypted content) and usage', async () => {
    const { status, text } = await post('oai', {
      model: 'o4-mini',
      input: 'Plan it [[sim:tokens=30]]',
      reasoning: { effort: 'low', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
    });
    expect(status).toBe(200);
    const body = JSON.parse(text) as {
      object: string;
      status: string;
      output: Array<Record<string, unknown>>;
      usage: { output_tokens: number; output_tokens_details: { reasoning_tokens: number } };
    };
    expect(body).toMatchObject({ object: 'response', status: 'completed' });
    expect(body.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(body.output[0]).toMatchObject({
      summary: [{ type: 'summary_text' }],
      encrypted_content: expect.stringMatching(/^sim-enc-/),
    });
    expect(body.usage.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
  });

  it('streams the event sequence, each event numbered, ending with response.completed', async () => {
    const { text } = await post('oai', {
      model: 'gpt-4.1',
      input: 'Hi [[sim:tokens=5]]',
      stream: true,
    });
    const events = [...text.matchAll(/^data: (.+)$/gm)].map(
      (match) => JSON.parse(match[1]!) as { type: string; sequence_number: number },
    );
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array(5).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
  });

  it('refuses what OpenAI refuses: unknown fields, reasoning on a non-reasoning model, foreign encrypted reasoning, malformed input items', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ model: 'gpt-4.1', input: 'x', stop: ['y'] }, 'stop'],
      [{ model: 'gpt-4.1', input: 'x', reasoning: { effort: 'low' } }, 'reasoning.effort'],
      [
        {
          model: 'o4-mini',
          input: [{ type: 'reasoning', summary: [], encrypted_content: 'swy2.x' }],
        },
        'input[0].encrypted_content',
      ],
      // Input items are read by the gateway's own Responses decoder: bad fields by path.
      [
        { model: 'gpt-4.1', input: [{ role: 'user', content: 'x', colour: 'red' }] },
        'input[0].colour',
      ],
      [
        { model: 'gpt-4.1', input: [{ role: 'user', content: [{ type: 'input_text' }] }] },
        'input[0].content[0].text',
      ],
      [
        { model: 'gpt-4.1', input: [{ type: 'function_call_output', output: 'x' }] },
        'input[0].call_id',
      ],
    ];
    for (const [body, param] of cases) {
      const { status, text } = await post('oai', body);
      expect(status).toBe(400);
      expect(JSON.parse(text)).toMatchObject({ error: { param } });
    }
  });

  it('is served only by providers that have the Responses API', async () => {
    expect((await post('plain', { model: 'm', input: 'x' })).status).toBe(404);
  });
});
