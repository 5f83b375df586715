import { join } from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asInput,
  fresh,
  responsesClient,
  storeFlag,
  weatherTool,
} from '../helpers/responses-helpers.js';
import { startTestGateway } from '../helpers/test-gateway.js';
import type { TestGateway } from '../helpers/test-gateway.js';

let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway();
  client = responsesClient(gateway.url);
});
afterAll(() => gateway.close());

const upstreams = [
  { wire: 'openai-compatible', model: 'deepseek-chat', provider: 'sim-deepseek' },
  { wire: 'anthropic', model: 'claude-3-5-haiku-20241022', provider: 'sim-anthropic' },
];

describe.each(upstreams)(
  'openai SDK → /v1/responses over the $wire wire',
  ({ model, provider }) => {
    it('answers responses.create with the response object, usage and the x-switchyard headers', async () => {
      const { data, response } = await client.responses
        .create({
          model,
          input: fresh('Write a Python function that adds two numbers'),
          instructions: 'Be brief.',
          metadata: { run: 'e2e' },
        })
        .withResponse();
      expect(data.object).toBe('response');
      expect(data.id).toMatch(/^resp_[0-9a-f]{32}$/);
      expect(data.status).toBe('completed');
      expect(data.model).toBe(model);
      expect(data.instructions).toBe('Be brief.');
      expect(data.metadata).toEqual({ run: 'e2e' });
      expect(data.output).toHaveLength(1);
      const message = data.output[0]!;
      expect(message).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
      expect(data.output_text).toContain(`[simulated ${model} via ${provider}]`);
      expect(data.usage!.input_tokens).toBeGreaterThan(0);
      expect(data.usage!.output_tokens).toBeGreaterThan(0);
      expect(data.usage!.total_tokens).toBe(data.usage!.input_tokens + data.usage!.output_tokens);
      expect(data.usage!.input_tokens_details.cached_tokens).toBeGreaterThanOrEqual(0);
      expect(data.usage!.output_tokens_details.reasoning_tokens).toBe(0);
      expect(response.headers.get('x-switchyard-model')).toBe(model);
      expect(response.headers.get('x-switchyard-provider')).toBe(provider);
      expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeGreaterThan(0);
      // The instructions went upstream as the system prompt.
      const upstream = gateway.simulator!.recentRequests().at(-1)!.body as Record<string, unknown>;
      expect(JSON.stringify(upstream)).toContain('Be brief.');
    });

    it('streams with responses.stream: the event sequence, deltas that add up, and a final response', async () => {
      const stream = client.responses.stream({
        model,
        input: fresh('Explain recursion in one sentence'),
      });
      const types: string[] = [];
      const numbers: number[] = [];
      let deltas = '';
      for await (const event of stream) {
        types.push(event.type);
        numbers.push(event.sequence_number);
        if (event.type === 'response.output_text.delta') deltas += event.delta;
      }
      const final = await stream.finalResponse();
      expect(types.slice(0, 5)).toEqual([
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.delta',
      ]);
      expect(types.slice(-4)).toEqual([
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ]);
      expect(numbers).toEqual(numbers.map((_, index) => index));
      expect(final.status).toBe('completed');
      expect(final.output_text).toBe(deltas);
      expect(final.output_text).toContain(`[simulated ${model} via ${provider}]`);
      expect(final.usage!.output_tokens).toBeGreaterThan(0);
    });

    it('makes a function tool round trip: function_call out, function_call_output back, text at the end', async () => {
      const question = fresh('What is the weather in Paris?');
      const first = await client.responses.create({ model, input: question, tools: [weatherTool] });
      const call = first.output.find((item) => item.type === 'function_call');
      expect(call).toMatchObject({
        type: 'function_call',
        name: 'get_weather',
        status: 'completed',
      });
      if (call?.type !== 'function_call') throw new Error('no function call');
      expect(call.id).toMatch(/^fc_/);
      expect(JSON.parse(call.arguments)).toHaveProperty('city');
      const second = await client.responses.create({
        model,
        tools: [weatherTool],
        input: [
          { role: 'user', content: question },
          ...asInput(first.output),
          { type: 'function_call_output', call_id: call.call_id, output: '{"temperature_c": 21}' },
        ],
      });
      expect(second.status).toBe('completed');
      expect(second.output_text).toContain('[simulated');
      const upstream = JSON.stringify(gateway.simulator!.recentRequests().at(-1)!.body);
      expect(upstream).toContain('temperature_c');
      expect(upstream).toContain(call.call_id);
    });

    it('streams a function call: arguments deltas, then .done with the whole arguments', async () => {
      const stream = client.responses.stream({
        model,
        input: fresh('Weather in Oslo?'),
        tools: [weatherTool],
        tool_choice: { type: 'function', name: 'get_weather' },
      });
      let deltas = '';
      let done: string | undefined;
      for await (const event of stream) {
        if (event.type === 'response.function_call_arguments.delta') deltas += event.delta;
        if (event.type === 'response.function_call_arguments.done') done = event.arguments;
      }
      const final = await stream.finalResponse();
      const call = final.output.find((item) => item.type === 'function_call');
      expect(done).toBe(deltas);
      expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: deltas });
    });

    it('serves a custom (freeform) tool as a one-string function upstream and answers with custom_tool_call', async () => {
      const patchTool: OpenAI.Responses.CustomTool = {
        type: 'custom',
        name: 'apply_patch',
        description: 'Apply a patch',
        format: {
          type: 'grammar',
          syntax: 'lark',
          definition: 'start: "*** Begin Patch" /(.|\\n)*/ "*** End Patch"',
        },
      };
      const data = await client.responses.create({
        model,
        input: fresh('Patch the file'),
        tools: [patchTool],
        tool_choice: { type: 'custom', name: 'apply_patch' },
      });
      const call = data.output.find((item) => item.type === 'custom_tool_call');
      expect(call).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch' });
      if (call?.type !== 'custom_tool_call') throw new Error('no custom tool call');
      expect(typeof call.input).toBe('string');
      const upstream = JSON.stringify(gateway.simulator!.recentRequests().at(-1)!.body);
      expect(upstream).toContain('Lark grammar');
      // The call and its output go back as a custom tool turn.
      const next = await client.responses.create({
        model,
        tools: [patchTool],
        input: [
          { role: 'user', content: 'Patch the file' },
          call,
          {
            type: 'custom_tool_call_output',
            call_id: call.call_id,
            output: 'Done: 1 file changed',
          },
        ],
      });
      expect(next.output_text).toContain('[simulated');
      expect(JSON.stringify(gateway.simulator!.recentRequests().at(-1)!.body)).toContain(
        '1 file changed',
      );
    });
  },
);

describe.each(upstreams)('stored responses over the $wire wire', ({ model }) => {
  it('continues a stored response with previous_response_id: its input and output come first', async () => {
    const question = fresh('Write a function that reverses a string');
    const first = await client.responses.create({
      model,
      input: question,
      instructions: 'Answer in Python.',
    });
    expect(storeFlag(first)).toBe(true);
    const follow = await client.responses.create({
      model,
      input: fresh('Now add a docstring'),
      previous_response_id: first.id,
    });
    expect(follow.previous_response_id).toBe(first.id);
    expect(follow.output_text).toContain('[simulated');
    const upstream = JSON.stringify(gateway.simulator!.recentRequests().at(-1)!.body);
    expect(upstream).toContain(question);
    expect(upstream).toContain(first.output_text.slice(0, 60));
    // instructions are not carried over, as on OpenAI.
    expect(upstream).not.toContain('Answer in Python.');
  });

  it('stores a streamed response too, and a function call round trip continues through previous_response_id', async () => {
    const stream = client.responses.stream({
      model,
      input: fresh('Weather in Rome?'),
      tools: [weatherTool],
    });
    for await (const event of stream) void event;
    const first = await stream.finalResponse();
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('no function call');
    const second = await client.responses.create({
      model,
      tools: [weatherTool],
      previous_response_id: first.id,
      input: [
        { type: 'function_call_output', call_id: call.call_id, output: '{"sky": "clear-42"}' },
      ],
    });
    expect(second.status).toBe('completed');
    expect(second.output_text).toContain('[simulated');
    const upstream = JSON.stringify(gateway.simulator!.recentRequests().at(-1)!.body);
    expect(upstream).toContain('clear-42');
    expect(upstream).toContain(call.call_id);
  });

  it('serves GET, input_items and DELETE for a stored response, then 404', async () => {
    const created = await client.responses.create({
      model,
      input: fresh('Name a loop variable'),
      metadata: { ticket: 'T-1' },
    });
    const fetched = await client.responses.retrieve(created.id);
    expect(fetched.id).toBe(created.id);
    expect(fetched.metadata).toEqual({ ticket: 'T-1' });
    expect(fetched.output_text).toBe(created.output_text);
    const items = await client.responses.inputItems.list(created.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ type: 'message', role: 'user' });
    await client.responses.delete(created.id);
    const gone = await client.responses.retrieve(created.id).catch((caught: unknown) => caught);
    expect(gone).toBeInstanceOf(OpenAI.NotFoundError);
    expect((gone as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('response_not_found');
    const follow = await client.responses
      .create({ model, input: 'again', previous_response_id: created.id })
      .catch((caught: unknown) => caught);
    expect(follow).toBeInstanceOf(OpenAI.NotFoundError);
    expect((follow as InstanceType<typeof OpenAI.NotFoundError>).param).toBe(
      'previous_response_id',
    );
  });

  it('does not store a response sent with store: false', async () => {
    const created = await client.responses.create({ model, input: fresh('Say hi'), store: false });
    expect(storeFlag(created)).toBe(false);
    await expect(client.responses.retrieve(created.id)).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
  });
});

describe('/v1/responses with storing off', () => {
  it('answers, says store: false, and refuses previous_response_id with a clear 400', async () => {
    const off = await startTestGateway({ responses: { store: false } });
    try {
      const offClient = new OpenAI({ baseURL: `${off.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
      const created = await offClient.responses.create({
        model: 'deepseek-chat',
        input: fresh('hi'),
      });
      expect(storeFlag(created)).toBe(false);
      const error = await offClient.responses
        .create({ model: 'deepseek-chat', input: 'more', previous_response_id: created.id })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(
        'previous_response_id',
      );
      expect((error as Error).message).toContain('does not store');
      await expect(offClient.responses.retrieve(created.id)).rejects.toBeInstanceOf(
        OpenAI.NotFoundError,
      );
    } finally {
      await off.close();
    }
  });
});

describe('/v1/responses: reasoning, failures and refusals', () => {
  it('streams an upstream reasoning as reasoning summary events and counts reasoning tokens', async () => {
    const stream = client.responses.stream({
      model: 'deepseek-reasoner',
      input: fresh('Write a sorting function'),
      include: ['reasoning.encrypted_content'],
    });
    const types = new Set<string>();
    let summary = '';
    for await (const event of stream) {
      types.add(event.type);
      if (event.type === 'response.reasoning_summary_text.delta') summary += event.delta;
    }
    const final = await stream.finalResponse();
    expect([...types]).toEqual(
      expect.arrayContaining([
        'response.reasoning_summary_part.added',
        'response.reasoning_summary_text.delta',
        'response.reasoning_summary_text.done',
        'response.reasoning_summary_part.done',
      ]),
    );
    const reasoning = final.output[0]!;
    expect(reasoning.type).toBe('reasoning');
    if (reasoning.type !== 'reasoning') throw new Error('no reasoning item');
    expect(reasoning.summary[0]!.text).toBe(summary);
    expect(reasoning.encrypted_content).toMatch(/^swy2\./);
    expect(final.output[1]).toMatchObject({ type: 'message' });
    // Passed back as input (as Codex does), the reasoning goes back to DeepSeek as reasoning_content.
    const next = await client.responses.create({
      model: 'deepseek-reasoner',
      input: [
        { role: 'user', content: 'Write a sorting function' },
        ...asInput(final.output),
        { role: 'user', content: fresh('Now in Go') },
      ],
    });
    expect(next.status).toBe('completed');
    const upstream = gateway.simulator!.recentRequests().at(-1)!.body as {
      messages: Array<Record<string, unknown>>;
    };
    expect(upstream.messages[1]).toMatchObject({ role: 'assistant', reasoning_content: summary });
  });

  it('ends a stream that breaks after the first byte with an error event and response.failed, never a clean end', async () => {
    const response = await fetch(`${gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
      body: JSON.stringify({
        model: 'deepseek-chat',
        stream: true,
        input: fresh('Break [[sim:fault=midstream]]'),
      }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const events = [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);
    expect(events[0]).toBe('response.created');
    expect(events.slice(-2)).toEqual(['error', 'response.failed']);
    expect(events).not.toContain('response.completed');
    const failed = JSON.parse(text.trim().split('\n').at(-1)!.slice('data: '.length)) as {
      response: { status: string; error: { code: string } };
    };
    expect(failed.response.status).toBe('failed');
    expect(failed.response.error.code).toBe('upstream_stream_interrupted');
  });

  it('reports a response cut by max_output_tokens as incomplete', async () => {
    const data = await client.responses.create({
      model: 'deepseek-chat',
      input: fresh('Write a long essay [[sim:tokens=80]]'),
      max_output_tokens: 16,
    });
    expect(data.status).toBe('incomplete');
    expect(data.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(data.max_output_tokens).toBe(16);
  });

  it('validates text.format json_schema like response_format', async () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'age'],
      additionalProperties: false,
    };
    const data = await client.responses.create({
      model: 'gpt-4o-mini',
      input: fresh('A person as JSON'),
      text: { format: { type: 'json_schema', name: 'person', schema, strict: true } },
    });
    const parsed = JSON.parse(data.output_text) as Record<string, unknown>;
    expect(typeof parsed.name).toBe('string');
    expect(Number.isInteger(parsed.age)).toBe(true);
    const upstream = gateway.simulator!.recentRequests().at(-1)!.body as Record<string, unknown>;
    expect(upstream.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'person' },
    });
  });

  it('refuses a hosted tool with a 400 naming it', async () => {
    const error = await client.responses
      .create({ model: 'deepseek-chat', input: 'hi', tools: [{ type: 'web_search' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.message).toContain('web_search');
    expect(apiError.param).toBe('tools[0].type');
    expect(apiError.code).toBe('unsupported');
  });

  it('refuses an unknown field by name, in the OpenAI error shape', async () => {
    const response = await fetch(`${gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
      body: JSON.stringify({ model: 'deepseek-chat', input: 'hi', frobnicate: true }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message: 'Unknown field `frobnicate`',
        type: 'invalid_request_error',
        param: 'frobnicate',
        code: 'invalid_request',
      },
    });
  });

  it('leaves one ledger record per Responses call, with its attempt and cost', async () => {
    const next = gateway.nextRecord();
    await client.responses.create({ model: 'qwen3-coder-plus', input: fresh('Name a variable') });
    const record = await next;
    expect(record.path).toBe('/v1/responses');
    expect(record.status).toBe(200);
    expect(record.model).toBe('qwen3-coder-plus');
    expect(record.attempts).toHaveLength(1);
    expect(record.costUsd).toBeGreaterThan(0);
    await gateway.ledger!.flush();
    const database = new Database(join(gateway.config.dataDir, 'switchyard.db'), {
      readonly: true,
    });
    try {
      const row = database
        .prepare(
          'SELECT endpoint, model, attempts, cost_nano_usd FROM ledger_requests WHERE request_id = ?',
        )
        .get(record.requestId) as Record<string, unknown>;
      expect(row).toMatchObject({
        endpoint: '/v1/responses',
        model: 'qwen3-coder-plus',
        attempts: 1,
      });
      expect(row.cost_nano_usd).toBeGreaterThan(0);
    } finally {
      database.close();
    }
  });
});
