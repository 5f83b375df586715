import { describe, expect, it } from 'vitest';
import type { ModelResponse } from '../../core/response.js';
import { clientResponse } from './build-response-object.js';
import { encodeResponsesResponse } from './encode-responses-response.js';
import { decodeReasoningItem } from './reasoning-content.js';
import type { ResponsesCall } from './responses-call.js';

const call: ResponsesCall = {
  responseId: 'resp_1',
  createdAt: 1_700_000_000,
  echo: { instructions: 'Be brief.', metadata: { a: 'b' } },
  customTools: new Set(['apply_patch']),
  encryptedReasoning: false,
  store: true,
  inputItems: [],
};
const context = { model: 'claude-3-5-haiku-20241022', requestId: 'req-1' };

function answer(choice: Partial<ModelResponse['choices'][number]>): ModelResponse {
  return {
    id: 'up',
    model: 'up-model',
    created: 1,
    choices: [{ index: 0, text: '', toolCalls: [], finishReason: 'stop', ...choice }],
    usage: { inputTokens: 7, outputTokens: 3 },
  };
}

describe('encodeResponsesResponse', () => {
  it('writes the response object with echoed fields, a message item and usage', () => {
    const response = encodeResponsesResponse(answer({ text: 'Hi' }), context, call);
    expect(response).toMatchObject({
      id: 'resp_1',
      object: 'response',
      created_at: 1_700_000_000,
      status: 'completed',
      error: null,
      incomplete_details: null,
      instructions: 'Be brief.',
      metadata: { a: 'b' },
      model: 'claude-3-5-haiku-20241022',
      store: true,
      usage: {
        input_tokens: 7,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 3,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 10,
      },
    });
    expect(response.output).toEqual([
      {
        type: 'message',
        id: expect.stringMatching(/^msg_[0-9a-f]{32}$/),
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hi', annotations: [], logprobs: [] }],
      },
    ]);
  });

  it('writes reasoning, then tool calls; custom tools come back as custom_tool_call with their input', () => {
    const response = encodeResponsesResponse(
      answer({
        reasoning: 'Plan',
        finishReason: 'tool_calls',
        toolCalls: [
          { id: 'call_1', name: 'read', arguments: '{"path":"a"}' },
          { id: 'call_2', name: 'apply_patch', arguments: '{"input":"diff"}' },
        ],
      }),
      context,
      call,
    );
    expect(response.output.map((item) => item.type)).toEqual([
      'reasoning',
      'function_call',
      'custom_tool_call',
    ]);
    expect(response.output[0]).toMatchObject({ summary: [{ type: 'summary_text', text: 'Plan' }] });
    // The stored form keeps the token; the client asked for none, so it sees none.
    expect(response.output[0]).toHaveProperty('encrypted_content');
    expect(clientResponse(response, call).output[0]).not.toHaveProperty('encrypted_content');
    expect(response.output[1]).toMatchObject({
      id: expect.stringMatching(/^fc_/),
      call_id: 'call_1',
      name: 'read',
      arguments: '{"path":"a"}',
      status: 'completed',
    });
    expect(response.output[2]).toMatchObject({
      id: expect.stringMatching(/^ctc_/),
      call_id: 'call_2',
      name: 'apply_patch',
      input: 'diff',
    });
  });

  it('marks an answer cut by the output limit or a filter as incomplete', () => {
    expect(
      encodeResponsesResponse(answer({ text: 'Par', finishReason: 'length' }), context, call),
    ).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [{ status: 'incomplete' }],
    });
    expect(
      encodeResponsesResponse(answer({ text: '', finishReason: 'content_filter' }), context, call),
    ).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } });
  });

  it('writes one reasoning item per upstream block, each passed back as that block', () => {
    const blocks = [
      { type: 'thinking' as const, text: 'Plan', signature: 'sig-1' },
      { type: 'redacted' as const, data: 'EmwKAhgB' },
      { type: 'encrypted' as const, text: '', data: 'gAAAA-up', id: 'rs_up' },
    ];
    const response = encodeResponsesResponse(
      answer({ text: 'Done', reasoning: 'Plan', reasoningBlocks: blocks }),
      context,
      { ...call, encryptedReasoning: true },
    );
    expect(response.output.map((item) => item.type)).toEqual([
      'reasoning',
      'reasoning',
      'reasoning',
      'message',
    ]);
    expect(response.output[0]).toMatchObject({ summary: [{ type: 'summary_text', text: 'Plan' }] });
    expect(response.output[1]).toMatchObject({ summary: [] });
    const passedBack = response.output
      .slice(0, 3)
      .map((item) => decodeReasoningItem(item as unknown as Record<string, unknown>, 'input[0]'));
    expect(passedBack).toEqual(blocks);
  });
});
