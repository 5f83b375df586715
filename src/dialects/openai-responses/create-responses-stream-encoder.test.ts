import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import type { StreamPart } from '../../core/response.js';
import { createResponsesStreamEncoder } from './create-responses-stream-encoder.js';
import { decodeReasoningItem } from './reasoning-content.js';
import type { ResponsesCall } from './responses-call.js';
import type { ResponseObject } from './responses-types.js';

const call = (custom: string[] = [], encryptedReasoning = false): ResponsesCall => ({
  responseId: 'resp_1',
  createdAt: 1_700_000_000,
  echo: { tools: [] },
  customTools: new Set(custom),
  encryptedReasoning,
  store: true,
  inputItems: [],
});
const context = { model: 'deepseek-chat', requestId: 'req-1' };

interface Event {
  type: string;
  sequence_number: number;
  [key: string]: unknown;
}

function events(text: string): Event[] {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      const event = JSON.parse(dataLine!.slice('data: '.length)) as Event;
      expect(eventLine).toBe(`event: ${event.type}`);
      return event;
    });
}

function run(
  parts: StreamPart[],
  options: { custom?: string[]; encrypted?: boolean; fail?: GatewayError } = {},
): { list: Event[]; final: ResponseObject | undefined } {
  let final: ResponseObject | undefined;
  const encoder = createResponsesStreamEncoder(
    context,
    call(options.custom, options.encrypted),
    (response) => (final = response),
  );
  let text = '';
  for (const part of parts) text += encoder.push(part);
  text += options.fail ? encoder.error(options.fail) : encoder.end();
  return { list: events(text), final };
}

const usage: StreamPart = {
  type: 'usage',
  usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, reasoningTokens: 2 },
};

describe('createResponsesStreamEncoder', () => {
  it('streams text as one message item and completes with usage, every event numbered in order', () => {
    const { list, final } = run([
      { type: 'start', id: 'up-1', model: 'm', created: 1 },
      { type: 'text-delta', index: 0, text: 'Hel' },
      { type: 'text-delta', index: 0, text: 'lo' },
      { type: 'finish', index: 0, finishReason: 'stop' },
      usage,
    ]);
    expect(list.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(list.map((event) => event.sequence_number)).toEqual(list.map((_, index) => index));
    expect((list[0]!.response as ResponseObject).status).toBe('in_progress');
    const added = list[2]!;
    const delta = list[4]!;
    expect(delta).toMatchObject({
      item_id: (added.item as { id: string }).id,
      output_index: 0,
      content_index: 0,
      delta: 'Hel',
    });
    expect(list[6]).toMatchObject({ text: 'Hello' });
    const completed = list.at(-1)!.response as ResponseObject;
    expect(completed).toMatchObject({
      id: 'resp_1',
      status: 'completed',
      model: 'deepseek-chat',
      usage: {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 2 },
        total_tokens: 15,
      },
    });
    expect(completed.output).toEqual([
      {
        type: 'message',
        id: (added.item as { id: string }).id,
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hello', annotations: [], logprobs: [] }],
      },
    ]);
    expect(final).toEqual(completed);
  });

  it('streams reasoning as a reasoning item with summary events before the message', () => {
    const { list, final } = run(
      [
        { type: 'reasoning-delta', index: 0, text: 'Think' },
        { type: 'text-delta', index: 0, text: 'Answer' },
        { type: 'finish', index: 0, finishReason: 'stop' },
      ],
      { encrypted: true },
    );
    expect(list.map((event) => event.type).slice(2, 8)).toEqual([
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
    ]);
    expect(final!.output[0]).toMatchObject({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'Think' }],
      encrypted_content: expect.stringMatching(/^swy2\./),
    });
    expect(final!.output[1]).toMatchObject({ type: 'message', content: [{ text: 'Answer' }] });
  });

  it('streams function calls with argument deltas, and a custom tool call as its input', () => {
    const { list, final } = run(
      [
        { type: 'text-delta', index: 0, text: 'Let me look.' },
        { type: 'tool-call-start', index: 0, toolIndex: 0, id: 'call_a', name: 'read' },
        { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '{"path":' },
        { type: 'tool-call-start', index: 0, toolIndex: 1, id: 'call_b', name: 'apply_patch' },
        { type: 'tool-call-delta', index: 0, toolIndex: 1, argumentsDelta: '{"input":"*** Begin' },
        { type: 'tool-call-delta', index: 0, toolIndex: 0, argumentsDelta: '"a.ts"}' },
        { type: 'tool-call-delta', index: 0, toolIndex: 1, argumentsDelta: ' Patch"}' },
        { type: 'finish', index: 0, finishReason: 'tool_calls' },
      ],
      { custom: ['apply_patch'] },
    );
    const argumentDeltas = list
      .filter((event) => event.type === 'response.function_call_arguments.delta')
      .map((event) => event.delta);
    expect(argumentDeltas).toEqual(['{"path":', '"a.ts"}']);
    expect(
      list.find((event) => event.type === 'response.function_call_arguments.done'),
    ).toMatchObject({ output_index: 1, name: 'read', arguments: '{"path":"a.ts"}' });
    expect(
      list.find((event) => event.type === 'response.custom_tool_call_input.delta'),
    ).toMatchObject({ output_index: 2, delta: '*** Begin Patch' });
    expect(
      list.find((event) => event.type === 'response.custom_tool_call_input.done'),
    ).toMatchObject({ output_index: 2, input: '*** Begin Patch' });
    expect(final!.output.map((item) => item.type)).toEqual([
      'message',
      'function_call',
      'custom_tool_call',
    ]);
    expect(final!.output[1]).toMatchObject({
      call_id: 'call_a',
      name: 'read',
      arguments: '{"path":"a.ts"}',
      status: 'completed',
    });
    expect(final!.output[2]).toMatchObject({
      call_id: 'call_b',
      name: 'apply_patch',
      input: '*** Begin Patch',
      status: 'completed',
    });
    expect(list.at(-1)!.type).toBe('response.completed');
  });

  it('ends a generation cut by the output limit with response.incomplete', () => {
    const { list, final } = run([
      { type: 'text-delta', index: 0, text: 'Partial' },
      { type: 'finish', index: 0, finishReason: 'length' },
    ]);
    expect(list.at(-1)!.type).toBe('response.incomplete');
    expect(final).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
    expect(final!.output[0]).toMatchObject({ status: 'incomplete' });
  });

  it('reports a failure after the first byte as an error event and response.failed', () => {
    const { list, final } = run([{ type: 'text-delta', index: 0, text: 'Part' }], {
      fail: new GatewayError('upstream_stream_interrupted', 'The upstream stream failed'),
    });
    expect(list.map((event) => event.type).slice(-2)).toEqual(['error', 'response.failed']);
    expect(list.at(-2)).toMatchObject({
      code: 'upstream_stream_interrupted',
      message: 'The upstream stream failed',
      param: null,
    });
    expect(final).toMatchObject({
      status: 'failed',
      error: { code: 'upstream_stream_interrupted', message: 'The upstream stream failed' },
    });
  });

  it('opens the response before an error that comes before any part', () => {
    const { list } = run([], { fail: new GatewayError('upstream_timeout', 'slow') });
    expect(list.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'error',
      'response.failed',
    ]);
  });

  it("puts the upstream's encrypted item in the stored reasoning item; the client sees it only when it asked", () => {
    for (const encrypted of [false, true]) {
      let stored: ResponseObject | undefined;
      let final: ResponseObject | undefined;
      const encoder = createResponsesStreamEncoder(context, call([], encrypted), (client, kept) => {
        final = client;
        stored = kept;
      });
      let text = '';
      for (const part of [
        { type: 'start', id: 'up', model: 'o4-mini', created: 1 },
        { type: 'reasoning-encrypted', index: 0, data: 'gAAAA-up', id: 'rs_up' },
        { type: 'text-delta', index: 0, text: 'Answer' },
        { type: 'finish', index: 0, finishReason: 'stop' },
      ] satisfies StreamPart[])
        text += encoder.push(part);
      text += encoder.end();
      const types = events(text).map((event) => event.type);
      // A token without text: a reasoning item with an empty summary and no summary events.
      expect(types).not.toContain('response.reasoning_summary_part.added');
      expect(stored!.output[0]).toMatchObject({
        type: 'reasoning',
        summary: [],
        encrypted_content: expect.stringMatching(/^swy2\./),
      });
      if (encrypted) expect(final!.output[0]).toHaveProperty('encrypted_content');
      else expect(final!.output[0]).not.toHaveProperty('encrypted_content');
      if (!encrypted) expect(text).not.toContain('encrypted_content');
    }
  });

  it('makes each signed thinking block and each redacted block a reasoning item of its own', () => {
    const { list, final } = run(
      [
        { type: 'reasoning-delta', index: 0, text: 'First' },
        { type: 'reasoning-signature', index: 0, signature: 'sig-1' },
        { type: 'reasoning-redacted', index: 0, data: 'EmwK' },
        { type: 'reasoning-delta', index: 0, text: 'Second' },
        { type: 'reasoning-signature', index: 0, signature: 'sig-2' },
        { type: 'text-delta', index: 0, text: 'Answer' },
        { type: 'finish', index: 0, finishReason: 'stop' },
      ],
      { encrypted: true },
    );
    expect(final!.output.map((item) => item.type)).toEqual([
      'reasoning',
      'reasoning',
      'reasoning',
      'message',
    ]);
    const blocks = final!.output
      .slice(0, 3)
      .map((item) => decodeReasoningItem(item as unknown as Record<string, unknown>, 'input[0]'));
    expect(blocks).toEqual([
      { type: 'thinking', text: 'First', signature: 'sig-1' },
      { type: 'redacted', data: 'EmwK' },
      { type: 'thinking', text: 'Second', signature: 'sig-2' },
    ]);
    const added = list.filter((event) => event.type === 'response.output_item.added');
    expect(added).toHaveLength(4);
  });
});
