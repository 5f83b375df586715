/**
 * Feeds our OpenAI-dialect output through the real `openai` SDK (v6) without a server: the
 * client gets a `fetch` that captures the request body and answers with what we encoded.
 */
import OpenAI, { APIError, BadRequestError } from 'openai';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import type { ModelResponse, StreamPart } from '../../core/response.js';
import type { StreamEncoder } from '../types.js';
import { createChatStreamEncoder } from './create-chat-stream-encoder.js';
import { createCompletionStreamEncoder } from './create-completion-stream-encoder.js';
import { decodeChatRequest } from './decode-chat-request.js';
import { decodeCompletionRequest } from './decode-completion-request.js';
import { encodeChatResponse } from './encode-chat-response.js';
import { encodeError } from './encode-error.js';

const context = { model: 'switchyard-coder', requestId: 'req123' };

interface Exchange {
  client: OpenAI;
  requests: unknown[];
}

function clientAnswering(status: number, body: string, contentType: string): Exchange {
  const requests: unknown[] = [];
  const client = new OpenAI({
    apiKey: 'sk-test',
    baseURL: 'http://gateway.test/v1',
    maxRetries: 0,
    fetch: async (_input, init) => {
      requests.push(JSON.parse(String(init?.body)));
      return new Response(body, { status, headers: { 'content-type': contentType } });
    },
  });
  return { client, requests };
}

function sse(encoder: StreamEncoder, parts: StreamPart[], error?: GatewayError): string {
  let text = '';
  for (const part of parts) text += encoder.push(part);
  return text + (error === undefined ? encoder.end() : encoder.error(error));
}

const toolStream: StreamPart[] = [
  { type: 'start', id: 'chatcmpl-up', model: 'upstream', created: 1700000000 },
  { type: 'text-delta', index: 0, text: 'Let me look.' },
  { type: 'tool-call-start', index: 0, toolIndex: 0, id: 'call_1', name: 'read_file' },
  { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '{"path":' },
  { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '"a.ts"}' },
  { type: 'tool-call-start', index: 0, toolIndex: 1, id: 'call_2', name: 'list' },
  { type: 'tool-call-delta', index: 0, toolIndex: 1, argumentsDelta: '{}' },
  { type: 'finish', index: 0, finishReason: 'tool_calls' },
  {
    type: 'usage',
    usage: { inputTokens: 50, outputTokens: 20, cachedInputTokens: 10, reasoningTokens: 0 },
  },
];

describe('openai SDK accepts our chat output', () => {
  it('round-trips a non-streaming tool-calling request and response', async () => {
    const response: ModelResponse = {
      id: 'chatcmpl-up',
      model: 'upstream',
      created: 1700000000,
      choices: [
        {
          index: 0,
          text: '',
          toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' }],
          finishReason: 'tool_calls',
        },
      ],
      usage: { inputTokens: 12, outputTokens: 7 },
    };
    const { client, requests } = clientAnswering(
      200,
      JSON.stringify(encodeChatResponse(response, context)),
      'application/json',
    );
    const completion = await client.chat.completions.create({
      model: 'fast',
      messages: [
        { role: 'developer', content: 'Be terse.' },
        { role: 'user', content: [{ type: 'text', text: 'Read a.ts' }] },
      ],
      tools: [
        { type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } },
      ],
      tool_choice: 'auto',
      temperature: 0.2,
      max_completion_tokens: 100,
    });
    expect(completion.choices[0]?.message.tool_calls?.[0]).toEqual({
      id: 'call_1',
      type: 'function',
      function: { name: 'read_file', arguments: '{"path":"a.ts"}' },
    });
    expect(completion.usage?.total_tokens).toBe(19);
    const decoded = decodeChatRequest(requests[0]);
    expect(decoded).toMatchObject({
      model: 'fast',
      maxTokens: 100,
      temperature: 0.2,
      toolChoice: 'auto',
      stream: false,
    });
    expect(decoded.messages[0]).toEqual({ role: 'system', content: 'Be terse.' });
  });

  it('accumulates a streamed tool call with ChatCompletionStream', async () => {
    const body = sse(createChatStreamEncoder(context, { includeUsage: true }), toolStream);
    const { client, requests } = clientAnswering(200, body, 'text/event-stream');
    const stream = client.chat.completions.stream({
      model: 'fast',
      messages: [{ role: 'user', content: 'hi' }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.id).toBe('chatcmpl-up');
    expect(final.model).toBe('switchyard-coder');
    expect(final.choices).toHaveLength(1);
    const message = final.choices[0]?.message;
    expect(message?.content).toBe('Let me look.');
    expect(message?.tool_calls).toEqual([
      {
        id: 'call_1',
        type: 'function',
        function: { name: 'read_file', arguments: '{"path":"a.ts"}' },
      },
      { id: 'call_2', type: 'function', function: { name: 'list', arguments: '{}' } },
    ]);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.usage?.prompt_tokens).toBe(50);
    expect(final.usage?.prompt_tokens_details?.cached_tokens).toBe(10);
    expect(decodeChatRequest(requests[0])).toMatchObject({ stream: true, streamUsage: true });
  });

  it('accumulates several choices and reasoning', async () => {
    const parts: StreamPart[] = [
      { type: 'reasoning-delta', index: 0, text: 'think' },
      { type: 'text-delta', index: 0, text: 'A' },
      { type: 'text-delta', index: 1, text: 'B' },
      { type: 'finish', index: 1, finishReason: 'length' },
      { type: 'finish', index: 0, finishReason: 'pause' },
    ];
    const body = sse(createChatStreamEncoder(context, { includeUsage: false }), parts);
    const { client } = clientAnswering(200, body, 'text/event-stream');
    const final = await client.chat.completions
      .stream({ model: 'fast', messages: [{ role: 'user', content: 'hi' }], n: 2 })
      .finalChatCompletion();
    expect(final.choices.map((choice) => [choice.message.content, choice.finish_reason])).toEqual([
      ['A', 'stop'],
      ['B', 'length'],
    ]);
    expect(final.choices[0]?.message).toMatchObject({ reasoning_content: 'think' });
    expect(final.usage).toBeUndefined();
  });

  it('raises an APIError for an error sent mid-stream', async () => {
    const error = new GatewayError('upstream_stream_interrupted', 'The upstream stream broke.');
    const body = sse(
      createChatStreamEncoder(context, { includeUsage: false }),
      toolStream.slice(0, 3),
      error,
    );
    const { client } = clientAnswering(200, body, 'text/event-stream');
    const stream = await client.chat.completions.create({
      model: 'fast',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const received: string[] = [];
    const consume = async (): Promise<void> => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    };
    const thrown = await consume().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(thrown).toBeInstanceOf(APIError);
    expect((thrown as APIError).message).toContain('The upstream stream broke.');
    expect((thrown as APIError).code).toBe('upstream_stream_interrupted');
    expect(received.join('')).toBe('Let me look.');
  });

  it('maps an encoded error response to the SDK error class with param and code', async () => {
    const encoded = encodeError(
      new GatewayError('invalid_request', '`temperature` must be a number between 0 and 2', {
        param: 'temperature',
      }),
    );
    const { client } = clientAnswering(
      encoded.status,
      JSON.stringify(encoded.body),
      'application/json',
    );
    const thrown = await client.chat.completions
      .create({ model: 'fast', messages: [{ role: 'user', content: 'hi' }], temperature: 3 })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(thrown).toBeInstanceOf(BadRequestError);
    const apiError = thrown as BadRequestError;
    expect(apiError.status).toBe(400);
    expect(apiError.param).toBe('temperature');
    expect(apiError.code).toBe('invalid_request');
    expect(apiError.type).toBe('invalid_request_error');
  });
});

describe('openai SDK accepts our legacy completion output', () => {
  it('streams text_completion chunks', async () => {
    const parts: StreamPart[] = [
      { type: 'text-delta', index: 0, text: 'def ' },
      { type: 'text-delta', index: 0, text: 'f():' },
      { type: 'finish', index: 0, finishReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } },
    ];
    const body = sse(createCompletionStreamEncoder(context, { includeUsage: true }), parts);
    const { client, requests } = clientAnswering(200, body, 'text/event-stream');
    const stream = await client.completions.create({
      model: 'fim',
      prompt: 'def',
      suffix: 'return 1',
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('def f():');
    expect(usage?.total_tokens).toBe(5);
    expect(decodeCompletionRequest(requests[0])).toMatchObject({
      prompt: ['def'],
      suffix: 'return 1',
      maxTokens: 16,
      streamUsage: true,
    });
  });
});
