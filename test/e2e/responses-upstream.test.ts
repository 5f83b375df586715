import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/index.js';
import type { RunningSimulator, SimRecordedRequest } from '../../src/sim/index.js';
import { asInput, fresh, responsesClient, weatherTool } from '../helpers/responses-helpers.js';
import { startTestGateway, type TestGateway } from '../helpers/test-gateway.js';

/**
 * A Responses client and a chat client, both served natively by an upstream that speaks the
 * OpenAI Responses API (`type: openai-responses`): the simulator's OpenAI serves `/v1/responses`
 * over real HTTP, with a reasoning model that shows summaries and encrypted reasoning.
 */
let simulator: RunningSimulator;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  simulator = await startSimulator({
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
              contextWindow: 1_047_576,
              maxOutputTokens: 32_768,
            },
            {
              name: 'o4-mini',
              ttftMs: 0,
              tokensPerSecond: 0,
              contextWindow: 200_000,
              maxOutputTokens: 100_000,
              reasoning: true,
            },
          ],
        },
        {
          id: 'ds',
          wire: 'openai-compatible',
          flavor: 'deepseek',
          models: [
            {
              name: 'deepseek-chat',
              ttftMs: 0,
              tokensPerSecond: 0,
              contextWindow: 128_000,
              maxOutputTokens: 8_192,
            },
          ],
        },
      ],
    },
  });
  gateway = await startTestGateway({
    providers: {
      openai: { type: 'openai-responses', base_url: simulator.baseUrlFor('oai') },
      deepseek: { type: 'openai-compatible', base_url: simulator.baseUrlFor('ds') },
    },
    models: {
      'gpt-4.1': { deployments: [{ provider: 'openai' }] },
      'o4-mini': { deployments: [{ provider: 'openai' }] },
      'deepseek-chat': { deployments: [{ provider: 'deepseek' }] },
    },
    routing: {},
  });
  client = responsesClient(gateway.url);
});
afterAll(async () => {
  await gateway?.close();
  await simulator?.close();
});

/** The upstream calls since `before`, to the simulated OpenAI. */
function upstreamCalls(before: number): SimRecordedRequest[] {
  return simulator.recentRequests().slice(before);
}

function lastBody(): Record<string, unknown> {
  return simulator.recentRequests().at(-1)!.body as Record<string, unknown>;
}

describe('a Responses client served natively by a Responses upstream', () => {
  it('calls POST /v1/responses upstream, stateless, and answers with the response object and usage', async () => {
    const before = simulator.recentRequests().length;
    const { data, response } = await client.responses
      .create({ model: 'gpt-4.1', input: fresh('Write a function'), instructions: 'Be brief.' })
      .withResponse();
    expect(data.status).toBe('completed');
    expect(data.output_text).toContain('[simulated gpt-4.1 via oai]');
    expect(data.usage!.input_tokens).toBeGreaterThan(0);
    const calls = upstreamCalls(before);
    expect(calls.map((call) => call.path)).toEqual(['/v1/responses']);
    const body = calls[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model: 'gpt-4.1',
      store: false,
      include: ['reasoning.encrypted_content'],
    });
    expect(body.input).toEqual([
      { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'Be brief.' }] },
      { type: 'message', role: 'user', content: [expect.objectContaining({ type: 'input_text' })] },
    ]);
    expect(response.headers.get('x-switchyard-provider')).toBe('openai');
    expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeGreaterThan(0);
  });

  it('streams reasoning summaries and text, and reports cached and reasoning tokens', async () => {
    const instructions = `You are a careful assistant. ${randomUUID()} `.repeat(120);
    const ask = () =>
      client.responses
        .stream({
          model: 'o4-mini',
          instructions,
          input: fresh('Explain recursion'),
          reasoning: { effort: 'low', summary: 'auto' },
        })
        .finalResponse();
    const first = await ask();
    const second = await ask();
    expect(second.status).toBe('completed');
    expect(second.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    const reasoning = second.output[0] as OpenAI.Responses.ResponseReasoningItem;
    expect(reasoning.summary[0]!.text.length).toBeGreaterThan(0);
    expect(second.usage!.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(first.usage!.input_tokens_details.cached_tokens).toBe(0);
    expect(second.usage!.input_tokens_details.cached_tokens).toBeGreaterThan(0);
    expect(lastBody()).toMatchObject({
      reasoning: { effort: 'low', summary: 'auto' },
      stream: true,
    });
  });

  it('makes a function tool round trip (stream, then JSON) through the Responses wire', async () => {
    const stream = client.responses.stream({
      model: 'gpt-4.1',
      input: fresh('Weather in Paris? [[sim:tool=get_weather]] [[sim:args={"city":"Paris"}]]'),
      tools: [weatherTool],
    });
    const deltas: string[] = [];
    stream.on('response.function_call_arguments.delta', (event) => deltas.push(event.delta));
    const first = await stream.finalResponse();
    const call = first.output.find(
      (item) => item.type === 'function_call',
    ) as OpenAI.Responses.ResponseFunctionToolCall;
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(deltas.join('')).toBe('{"city":"Paris"}');
    expect(lastBody().tools).toEqual([
      {
        type: 'function',
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: weatherTool.parameters,
        strict: true,
      },
    ]);
    const second = await client.responses.create({
      model: 'gpt-4.1',
      input: [
        ...asInput(first.output),
        { type: 'function_call_output', call_id: call.call_id, output: '18°C, sunny' },
      ],
      tools: [weatherTool],
      store: false,
    });
    expect(second.output_text).toContain('[simulated gpt-4.1 via oai]');
    const upstreamInput = lastBody().input as Array<Record<string, unknown>>;
    expect(upstreamInput.map((item) => item.type)).toEqual([
      'function_call',
      'function_call_output',
    ]);
    expect(upstreamInput[1]).toEqual({
      type: 'function_call_output',
      call_id: call.call_id,
      output: '18°C, sunny',
    });
  });

  it('passes reasoning items back to the upstream that made them (include, and previous_response_id)', async () => {
    const first = await client.responses.create({
      model: 'o4-mini',
      input: fresh('Plan a refactor'),
      reasoning: { effort: 'medium' },
      include: ['reasoning.encrypted_content'],
      store: false,
    });
    const reasoning = first.output[0] as OpenAI.Responses.ResponseReasoningItem;
    expect(reasoning.type).toBe('reasoning');
    expect(reasoning.encrypted_content).toMatch(/^swy2\./);
    await client.responses.create({
      model: 'o4-mini',
      input: [...asInput(first.output), { role: 'user', content: fresh('Go on') }],
      reasoning: { effort: 'medium' },
      store: false,
    });
    const sent = (lastBody().input as Array<Record<string, unknown>>)[0]!;
    expect(sent).toMatchObject({
      type: 'reasoning',
      id: expect.stringMatching(/^rs_/),
      encrypted_content: expect.stringMatching(/^sim-enc-/),
    });

    // Stored (no include): the client sees no encrypted_content, the follow-up still carries it upstream.
    const stored = await client.responses.create({
      model: 'o4-mini',
      input: fresh('Plan a migration'),
      reasoning: { effort: 'low' },
    });
    expect(stored.output[0]).toMatchObject({ type: 'reasoning' });
    expect(
      (stored.output[0] as OpenAI.Responses.ResponseReasoningItem).encrypted_content,
    ).toBeUndefined();
    const next = await client.responses.create({
      model: 'o4-mini',
      previous_response_id: stored.id,
      input: fresh('And then?'),
      reasoning: { effort: 'low' },
    });
    expect(next.status).toBe('completed');
    const carried = (lastBody().input as Array<Record<string, unknown>>).find(
      (item) => item.type === 'reasoning',
    );
    expect(carried).toMatchObject({ encrypted_content: expect.stringMatching(/^sim-enc-/) });
  });

  it('refuses reasoning from the Responses upstream toward a chat upstream that cannot take it, naming the items', async () => {
    const first = await client.responses.create({
      model: 'o4-mini',
      input: fresh('Think first'),
      reasoning: { effort: 'low' },
      include: ['reasoning.encrypted_content'],
      store: false,
    });
    const error = await client.responses
      .create({
        model: 'deepseek-chat',
        input: [...asInput(first.output), { role: 'user', content: fresh('More') }],
        store: false,
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(
      /`reasoning` input items/,
    );
  });

  it('sends text.verbosity and prompt_cache_key natively; refuses verbosity toward an upstream without it', async () => {
    await client.responses.create({
      model: 'gpt-4.1',
      input: fresh('Summarize'),
      text: { verbosity: 'low' },
      prompt_cache_key: 'session-42',
    });
    expect(lastBody()).toMatchObject({
      text: { verbosity: 'low' },
      prompt_cache_key: 'session-42',
    });
    const error = await client.responses
      .create({ model: 'deepseek-chat', input: fresh('Summarize'), text: { verbosity: 'low' } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/verbosity/);
    // prompt_cache_key is a hint: left out toward an upstream without it, the call is served.
    const served = await client.responses.create({
      model: 'deepseek-chat',
      input: fresh('Summarize'),
      prompt_cache_key: 'k',
    });
    expect(served.status).toBe('completed');
    expect(lastBody().prompt_cache_key).toBeUndefined();
  });

  it('turns a failure after the first byte into an error event and response.failed', async () => {
    const response = await fetch(`${gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
      body: JSON.stringify({
        model: 'gpt-4.1',
        stream: true,
        input: fresh('Break [[sim:fault=midstream]] [[sim:tokens=40]]'),
      }),
    });
    const text = await response.text();
    const events = [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);
    expect(events[0]).toBe('response.created');
    expect(events.slice(-2)).toEqual(['error', 'response.failed']);
    expect(events).not.toContain('response.completed');
  });
});

describe('a chat client served by a Responses upstream', () => {
  it('answers chat.completions (JSON) with usage incl. cached and reasoning tokens', async () => {
    const system = `Long stable system prompt ${randomUUID()} `.repeat(120);
    const ask = () =>
      client.chat.completions.create({
        model: 'o4-mini',
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: fresh('Hello') },
        ],
        reasoning_effort: 'low',
      });
    await ask();
    const second = await ask();
    expect(second.choices[0]!.message.content).toContain('[simulated o4-mini via oai]');
    expect(second.usage!.completion_tokens_details!.reasoning_tokens).toBeGreaterThan(0);
    expect(second.usage!.prompt_tokens_details!.cached_tokens).toBeGreaterThan(0);
    expect(simulator.recentRequests().at(-1)!.path).toBe('/v1/responses');
  });

  it('streams chat, and makes a tool round trip through the Responses wire', async () => {
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: weatherTool.parameters as Record<string, unknown>,
        },
      },
    ];
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      {
        role: 'user',
        content: fresh('Weather in Oslo? [[sim:tool=get_weather]] [[sim:args={"city":"Oslo"}]]'),
      },
    ];
    const stream = await client.chat.completions.create({
      model: 'gpt-4.1',
      messages,
      tools,
      stream: true,
      stream_options: { include_usage: true },
    });
    let argumentsText = '';
    let id = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta;
      const call = delta?.tool_calls?.[0];
      if (call?.id) id = call.id;
      argumentsText += call?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(argumentsText).toBe('{"city":"Oslo"}');
    expect(finish).toBe('tool_calls');
    expect(usage!.prompt_tokens).toBeGreaterThan(0);
    const answer = await client.chat.completions.create({
      model: 'gpt-4.1',
      tools,
      messages: [
        ...messages,
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id, type: 'function', function: { name: 'get_weather', arguments: argumentsText } },
          ],
        },
        { role: 'tool', tool_call_id: id, content: '-2°C' },
      ],
    });
    expect(answer.choices[0]!.finish_reason).toBe('stop');
    expect((lastBody().input as Array<Record<string, unknown>>).map((item) => item.type)).toEqual([
      'message',
      'function_call',
      'function_call_output',
    ]);
  });

  it('refuses what the Responses API lacks (stop) by name', async () => {
    const error = await client.chat.completions
      .create({
        model: 'gpt-4.1',
        messages: [{ role: 'user', content: fresh('Count') }],
        stop: ['5'],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/stop/);
  });
});
