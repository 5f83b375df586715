import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './start-simulator.js';
import type { RunningSimulator } from './sim-types.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0 });
});
afterAll(() => sim.close());

// biome-ignore lint/suspicious/noExplicitAny: the tests read fields of arbitrary JSON answers
async function post(
  provider: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${sim.url}/${provider}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const ANTHROPIC = { 'anthropic-version': '2023-06-01' };

describe('simulated count_tokens (anthropic wire)', () => {
  it('counts what /v1/messages reports as input tokens, without a generation', async () => {
    const request = {
      model: 'claude-sonnet-4-20250514',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Explain recursion in one line' }],
    };
    const counted = await post('sim-anthropic', '/v1/messages/count_tokens', request, ANTHROPIC);
    expect(counted.status).toBe(200);
    const generationsBefore = sim.stats().requests;
    const answered = await post(
      'sim-anthropic',
      '/v1/messages',
      { ...request, max_tokens: 20 },
      ANTHROPIC,
    );
    const usage = answered.body.usage;
    // The simulated prompt cache may report part of the prompt as cached: the count is the whole prompt.
    expect(counted.body).toEqual({
      input_tokens:
        usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens,
    });
    expect(sim.stats().requests).toBe(generationsBefore + 1);
  });

  it('refuses max_tokens, an unknown model and a missing anthropic-version in the Anthropic shape', async () => {
    const tooMuch = await post(
      'sim-anthropic',
      '/v1/messages/count_tokens',
      {
        model: 'claude-sonnet-4-20250514',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
      },
      ANTHROPIC,
    );
    expect(tooMuch).toMatchObject({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error' } },
    });
    const unknown = await post(
      'sim-anthropic',
      '/v1/messages/count_tokens',
      { model: 'claude-nope', messages: [{ role: 'user', content: 'x' }] },
      ANTHROPIC,
    );
    expect(unknown).toMatchObject({ status: 404, body: { error: { type: 'not_found_error' } } });
    const noVersion = await post('sim-anthropic', '/v1/messages/count_tokens', {
      model: 'claude-sonnet-4-20250514',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(noVersion.status).toBe(400);
  });
});

describe('simulated embeddings (openai-compatible wire)', () => {
  it('answers deterministic unit vectors, one per input, with usage', async () => {
    const first = await post('sim-openai', '/v1/embeddings', {
      model: 'text-embedding-3-small',
      input: ['hello world', 'goodbye'],
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      object: 'list',
      model: 'text-embedding-3-small',
      data: [{ object: 'embedding', index: 0 }, { index: 1 }],
    });
    const [a, b] = first.body.data.map((entry: { embedding: number[] }) => entry.embedding);
    expect(a).toHaveLength(1536);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(a).not.toEqual(b);
    const again = await post('sim-openai', '/v1/embeddings', {
      model: 'text-embedding-3-small',
      input: 'hello world',
    });
    expect(again.body.data[0].embedding).toEqual(a);
    expect(first.body.usage.prompt_tokens).toBeGreaterThan(0);
    expect(first.body.usage.total_tokens).toBe(first.body.usage.prompt_tokens);
  });

  it('shortens with dimensions, encodes base64 float32 and takes token arrays', async () => {
    const short = await post('sim-openai', '/v1/embeddings', {
      model: 'text-embedding-3-small',
      input: 'hello world',
      dimensions: 8,
      encoding_format: 'base64',
    });
    expect(short.status).toBe(200);
    const bytes = Buffer.from(short.body.data[0].embedding, 'base64');
    expect(bytes.length).toBe(32);
    const vector = Array.from({ length: 8 }, (_, index) => bytes.readFloatLE(index * 4));
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    const tokens = await post('sim-openai', '/v1/embeddings', {
      model: 'text-embedding-3-small',
      input: [
        [1, 2, 3],
        [4, 5],
      ],
    });
    expect(tokens.body.data).toHaveLength(2);
    expect(tokens.body.usage.prompt_tokens).toBe(5);
    const single = await post('sim-openai', '/v1/embeddings', {
      model: 'text-embedding-3-small',
      input: [1, 2, 3],
    });
    expect(single.body.data).toHaveLength(1);
  });

  it('refuses chat models, bad inputs, and dimensions on a model that cannot shorten', async () => {
    expect(
      await post('sim-openai', '/v1/embeddings', { model: 'gpt-4o-mini', input: 'x' }),
    ).toMatchObject({ status: 400, body: { error: { param: 'model' } } });
    expect((await post('sim-openai', '/v1/embeddings', { model: 'nope', input: 'x' })).status).toBe(
      404,
    );
    expect(
      (await post('sim-openai', '/v1/embeddings', { model: 'text-embedding-3-small', input: [] }))
        .status,
    ).toBe(400);
    expect(
      (
        await post('sim-openai', '/v1/embeddings', {
          model: 'text-embedding-3-small',
          input: 'x',
          encoding_format: 'int8',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await post('sim-openai', '/v1/embeddings', {
          model: 'text-embedding-3-small',
          input: 'x',
          dimensions: 5000,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await post('sim-mistral', '/v1/embeddings', {
          model: 'mistral-embed',
          input: 'x',
          dimensions: 8,
        })
      ).status,
    ).toBe(400);
    expect(
      (await post('sim-mistral', '/v1/embeddings', { model: 'mistral-embed', input: 'x' })).body
        .data[0].embedding,
    ).toHaveLength(1024);
    expect(
      (
        await post(
          'sim-anthropic',
          '/v1/embeddings',
          { model: 'claude-sonnet-4-20250514', input: 'x' },
          ANTHROPIC,
        )
      ).status,
    ).toBe(404);
  });
});

describe('tool directives', () => {
  const tools = [
    {
      type: 'function',
      function: {
        name: 'read_file',
        parameters: { type: 'object', properties: { path: { type: 'string' } } },
      },
    },
    {
      type: 'function',
      function: {
        name: 'shell',
        parameters: {
          type: 'object',
          properties: { command: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
  ];
  it('calls the tool [[sim:tool=…]] names with the [[sim:args=…]] arguments, then answers text after its result', async () => {
    const content = 'list files [[sim:tool=shell]] [[sim:args={"command":["ls","-a"]}]]';
    const called = await post('sim-openai', '/v1/chat/completions', {
      model: 'gpt-4o-mini',
      tools,
      messages: [{ role: 'user', content }],
    });
    const call = called.body.choices[0].message.tool_calls[0];
    expect(call.function).toEqual({ name: 'shell', arguments: '{"command":["ls","-a"]}' });
    const after = await post('sim-openai', '/v1/chat/completions', {
      model: 'gpt-4o-mini',
      tools,
      messages: [
        { role: 'user', content },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: 'a b' },
      ],
    });
    expect(after.body.choices[0].finish_reason).toBe('stop');
    const encoded = Buffer.from('{"command":["pwd"]}').toString('base64');
    const escaped = await post('sim-openai', '/v1/chat/completions', {
      model: 'gpt-4o-mini',
      tools,
      messages: [{ role: 'user', content: `"go [[sim:tool=shell]] [[sim:args64=${encoded}]]"` }],
    });
    expect(escaped.body.choices[0].message.tool_calls[0].function).toEqual({
      name: 'shell',
      arguments: '{"command":["pwd"]}',
    });
    const none = await post('sim-openai', '/v1/chat/completions', {
      model: 'gpt-4o-mini',
      tools,
      messages: [{ role: 'user', content: 'hi [[sim:tool=none]]' }],
    });
    expect(none.body.choices[0].finish_reason).toBe('stop');
  });

  it('steers tool use on the anthropic wire too', async () => {
    const anthropicTools = [
      { name: 'Read', input_schema: { type: 'object', properties: {} } },
      {
        name: 'Bash',
        input_schema: { type: 'object', properties: { command: { type: 'string' } } },
      },
    ];
    const called = await post(
      'sim-anthropic',
      '/v1/messages',
      {
        model: 'claude-sonnet-4-20250514',
        max_tokens: 200,
        tools: anthropicTools,
        messages: [
          { role: 'user', content: 'run it [[sim:tool=Bash]] [[sim:args={"command":"echo hi"}]]' },
        ],
      },
      ANTHROPIC,
    );
    expect(called.body.stop_reason).toBe('tool_use');
    expect(
      called.body.content.find((block: { type: string }) => block.type === 'tool_use'),
    ).toMatchObject({ name: 'Bash', input: { command: 'echo hi' } });
  });
});

describe('JSON schema in an Anthropic system prompt', () => {
  it('answers JSON that validates against the schema on the last line of the system prompt', async () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, count: { type: 'integer' } },
      required: ['name', 'count'],
    };
    const system = `Respond with only a single valid JSON object that conforms to the JSON Schema "fruit" below.\n${JSON.stringify(schema)}`;
    const answered = await post(
      'sim-anthropic',
      '/v1/messages',
      {
        model: 'claude-sonnet-4-20250514',
        max_tokens: 300,
        system,
        messages: [{ role: 'user', content: 'a fruit' }],
      },
      ANTHROPIC,
    );
    const parsed = JSON.parse(answered.body.content[0].text);
    expect(typeof parsed.name).toBe('string');
    expect(Number.isInteger(parsed.count)).toBe(true);
  });
});
