/**
 * Feeds our Anthropic-dialect output through the real `@anthropic-ai/sdk` without a server: the
 * client gets a `fetch` that captures the request body and answers with what we encoded, so the
 * SDK's own SSE parser and MessageStream accumulator check our event sequence.
 */
import Anthropic, { APIError, NotFoundError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import type { ModelResponse, StreamPart } from '../../core/response.js';
import { createMessagesStreamEncoder } from './create-messages-stream-encoder.js';
import { decodeMessagesRequest } from './decode-messages-request.js';
import { encodeError } from './encode-error.js';
import { encodeMessagesResponse } from './encode-messages-response.js';

const context = { model: 'switchyard-coder', requestId: 'req123' };

function clientAnswering(
  status: number,
  body: string,
  contentType: string,
): { client: Anthropic; requests: unknown[] } {
  const requests: unknown[] = [];
  const client = new Anthropic({
    apiKey: 'sk-ant-test',
    baseURL: 'http://gateway.test',
    maxRetries: 0,
    fetch: async (_input, init) => {
      requests.push(JSON.parse(String(init?.body)));
      return new Response(body, { status, headers: { 'content-type': contentType } });
    },
  });
  return { client, requests };
}

function sse(parts: StreamPart[], error?: GatewayError): string {
  const encoder = createMessagesStreamEncoder(context);
  let text = '';
  for (const part of parts) text += encoder.push(part);
  return text + (error === undefined ? encoder.end() : encoder.error(error));
}

const request: Anthropic.MessageCreateParamsNonStreaming = {
  model: 'smart',
  max_tokens: 1024,
  system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }],
  messages: [
    { role: 'user', content: 'Read a.ts' },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Reading.' },
        { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'export {}' },
        { type: 'text', text: 'Now explain.' },
      ],
    },
  ],
  tools: [
    {
      name: 'read_file',
      description: 'Read a file',
      input_schema: { type: 'object', properties: {} },
    },
  ],
  tool_choice: { type: 'auto', disable_parallel_tool_use: true },
  stop_sequences: ['END'],
  metadata: { user_id: 'u-1' },
};

describe('@anthropic-ai/sdk accepts our messages output', () => {
  it('round-trips a non-streaming request and response', async () => {
    const response: ModelResponse = {
      id: 'msg_up',
      model: 'upstream',
      created: 1700000000,
      choices: [
        {
          index: 0,
          text: 'It exports nothing.',
          toolCalls: [{ id: 'toolu_2', name: 'read_file', arguments: '{"path":"b.ts"}' }],
          finishReason: 'tool_calls',
        },
      ],
      usage: { inputTokens: 100, outputTokens: 9, cachedInputTokens: 80 },
    };
    const { client, requests } = clientAnswering(
      200,
      JSON.stringify(encodeMessagesResponse(response, context)),
      'application/json',
    );
    const message = await client.messages.create(request);
    expect(message.content).toEqual([
      { type: 'text', text: 'It exports nothing.' },
      { type: 'tool_use', id: 'toolu_2', name: 'read_file', input: { path: 'b.ts' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({
      input_tokens: 20,
      cache_read_input_tokens: 80,
      output_tokens: 9,
    });
    const decoded = decodeMessagesRequest(requests[0]);
    expect(decoded.messages.map((entry) => entry.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'user',
    ]);
    expect(decoded).toMatchObject({
      parallelToolCalls: false,
      stop: ['END'],
      user: 'u-1',
      maxTokens: 1024,
    });
  });

  it('accumulates a streamed thinking + text + tool_use answer with MessageStream', async () => {
    const body = sse([
      { type: 'start', id: 'chatcmpl-up', model: 'upstream', created: 1700000000 },
      { type: 'reasoning-delta', index: 0, text: 'Let me ' },
      { type: 'reasoning-delta', index: 0, text: 'read.' },
      { type: 'reasoning-signature', index: 0, signature: 'sig-1' },
      { type: 'text-delta', index: 0, text: 'Reading ' },
      { type: 'text-delta', index: 0, text: 'both.' },
      { type: 'tool-call-start', index: 0, toolIndex: 0, id: 'toolu_a', name: 'read_file' },
      { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '{"path":' },
      { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '"a.ts"}' },
      { type: 'tool-call-start', index: 0, toolIndex: 1, id: 'toolu_b', name: 'read_file' },
      { type: 'tool-call-delta', index: 0, toolIndex: 1, argumentsDelta: '{"path":"b.ts"}' },
      { type: 'finish', index: 0, finishReason: 'tool_calls' },
      {
        type: 'usage',
        usage: { inputTokens: 300, outputTokens: 40, cachedInputTokens: 200, cacheWriteTokens: 50 },
      },
    ]);
    const { client } = clientAnswering(200, body, 'text/event-stream');
    const stream = client.messages.stream({ ...request, stream: true });
    const texts: string[] = [];
    stream.on('text', (delta) => texts.push(delta));
    const final = await stream.finalMessage();
    expect(texts).toEqual(['Reading ', 'both.']);
    expect(final.id).toBe('msg_req123');
    expect(final.model).toBe('switchyard-coder');
    expect(final.content).toEqual([
      { type: 'thinking', thinking: 'Let me read.', signature: 'sig-1' },
      { type: 'text', text: 'Reading both.' },
      { type: 'tool_use', id: 'toolu_a', name: 'read_file', input: { path: 'a.ts' } },
      { type: 'tool_use', id: 'toolu_b', name: 'read_file', input: { path: 'b.ts' } },
    ]);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage).toMatchObject({
      input_tokens: 50,
      output_tokens: 40,
      cache_read_input_tokens: 200,
      cache_creation_input_tokens: 50,
    });
  });

  it('accepts a stream with no content at all', async () => {
    const { client } = clientAnswering(200, sse([]), 'text/event-stream');
    const final = await client.messages.stream({ ...request, stream: true }).finalMessage();
    expect(final.content).toEqual([]);
    expect(final.stop_reason).toBe('end_turn');
  });

  it('raises an APIError for an error event mid-stream', async () => {
    const error = new GatewayError('upstream_unavailable', 'Upstream is overloaded.');
    const body = sse([{ type: 'text-delta', index: 0, text: 'Hel' }], error);
    const { client } = clientAnswering(200, body, 'text/event-stream');
    const thrown = await client.messages
      .stream({ ...request, stream: true })
      .finalMessage()
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(thrown).toBeInstanceOf(APIError);
    expect((thrown as APIError).message).toContain('Upstream is overloaded.');
    expect((thrown as APIError).type).toBe('overloaded_error');
  });

  it('maps an encoded error response to the SDK error class', async () => {
    const encoded = encodeError(new GatewayError('not_found', 'No such endpoint.'));
    const { client } = clientAnswering(
      encoded.status,
      JSON.stringify(encoded.body),
      'application/json',
    );
    const thrown = await client.messages.create(request).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(thrown).toBeInstanceOf(NotFoundError);
    expect((thrown as NotFoundError).type).toBe('not_found_error');
    expect((thrown as NotFoundError).message).toContain('No such endpoint.');
  });
});
