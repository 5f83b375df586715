import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import { decodeResponsesRequest, type DecodeResponsesOptions } from './decode-responses-request.js';
import { encryptedReasoning } from './reasoning-content.js';
import { responsesCallOf } from './responses-call.js';

const options: DecodeResponsesOptions = { storing: true, newResponseId: () => 'resp_test' };
const decode = (body: Record<string, unknown>, extra: Partial<DecodeResponsesOptions> = {}) =>
  decodeResponsesRequest({ model: 'auto', ...body }, { ...options, ...extra });

function failure(
  body: Record<string, unknown>,
  extra: Partial<DecodeResponsesOptions> = {},
): GatewayError {
  try {
    decode(body, extra);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('decodeResponsesRequest', () => {
  it('turns a string input and instructions into a system and a user message', () => {
    const request = decode({
      input: 'hello',
      instructions: 'Be brief.',
      max_output_tokens: 50,
      temperature: 0.3,
      top_p: 0.9,
      user: 'u1',
      stream: true,
    });
    expect(request).toEqual({
      kind: 'chat',
      model: 'auto',
      stream: true,
      streamUsage: true,
      maxTokens: 50,
      temperature: 0.3,
      topP: 0.9,
      user: 'u1',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'hello' }] },
      ],
    });
    const call = responsesCallOf(request);
    expect(call.responseId).toBe('resp_test');
    expect(call.store).toBe(true);
    expect(call.echo).toMatchObject({
      instructions: 'Be brief.',
      max_output_tokens: 50,
      temperature: 0.3,
      user: 'u1',
      tool_choice: 'auto',
      parallel_tool_calls: true,
    });
  });

  it('decodes message items of every role with text and image parts', () => {
    const request = decode({
      input: [
        { role: 'developer', content: 'Rules' },
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'Look' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' },
          ],
        },
        {
          type: 'message',
          role: 'assistant',
          id: 'msg_1',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Seen', annotations: [] }],
        },
        { role: 'system', content: [{ type: 'input_text', text: 'More rules' }] },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'system', content: 'Rules' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image', url: 'data:image/png;base64,AAAA', mediaType: 'image/png' },
        ],
      },
      { role: 'assistant', content: 'Seen' },
      { role: 'system', content: 'More rules' },
    ]);
  });

  it('joins an assistant message and the calls after it into one turn, and outputs into tool messages', () => {
    const request = decode({
      input: [
        { role: 'user', content: 'Go' },
        {
          type: 'reasoning',
          id: 'rs_1',
          summary: [{ type: 'summary_text', text: 'thinking' }],
          encrypted_content: encryptedReasoning({ type: 'thinking', text: 'thinking' }),
        },
        { role: 'assistant', content: 'Calling' },
        {
          type: 'function_call',
          id: 'fc_1',
          call_id: 'call_1',
          name: 'read',
          arguments: '{"path":"a"}',
          status: 'completed',
        },
        {
          type: 'custom_tool_call',
          id: 'ctc_1',
          call_id: 'call_2',
          name: 'apply_patch',
          input: '*** Begin Patch',
        },
        { type: 'function_call_output', call_id: 'call_1', output: 'file text' },
        {
          type: 'custom_tool_call_output',
          call_id: 'call_2',
          output: [{ type: 'input_text', text: 'patched' }],
        },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Go' }] },
      {
        role: 'assistant',
        content: 'Calling',
        reasoning: [{ type: 'thinking', text: 'thinking' }],
        toolCalls: [
          { id: 'call_1', name: 'read', arguments: '{"path":"a"}' },
          { id: 'call_2', name: 'apply_patch', arguments: '{"input":"*** Begin Patch"}' },
        ],
      },
      { role: 'tool', toolCallId: 'call_1', content: 'file text' },
      { role: 'tool', toolCallId: 'call_2', content: 'patched' },
    ]);
  });

  it('translates function and custom tools, tool_choice, text.format and reasoning.effort', () => {
    const request = decode({
      input: 'x',
      tools: [
        {
          type: 'function',
          name: 'read',
          description: 'Read a file',
          parameters: { type: 'object', properties: { path: { type: 'string' } } },
          strict: true,
        },
        {
          type: 'custom',
          name: 'apply_patch',
          description: 'Patch',
          format: { type: 'grammar', syntax: 'lark', definition: 'start: "x"' },
        },
      ],
      tool_choice: { type: 'custom', name: 'apply_patch' },
      parallel_tool_calls: false,
      text: {
        format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
        verbosity: 'low',
      },
      reasoning: { effort: 'xhigh', summary: 'auto' },
    });
    expect(request.tools![0]).toEqual({
      name: 'read',
      description: 'Read a file',
      parameters: { type: 'object', properties: { path: { type: 'string' } } },
      strict: true,
    });
    expect(request.tools![1]!.name).toBe('apply_patch');
    expect(request.tools![1]!.parameters).toMatchObject({
      type: 'object',
      required: ['input'],
      properties: { input: { type: 'string' } },
    });
    expect(JSON.stringify(request.tools![1]!.parameters)).toContain('start: \\"x\\"');
    expect(request.toolChoice).toEqual({ name: 'apply_patch' });
    expect(request.parallelToolCalls).toBe(false);
    expect(request.responseFormat).toEqual({
      type: 'json_schema',
      name: 'out',
      schema: { type: 'object' },
      strict: true,
    });
    expect(request.reasoningEffort).toBe('high');
    const call = responsesCallOf(request);
    expect([...call.customTools]).toEqual(['apply_patch']);
    expect(call.echo.reasoning).toEqual({ effort: 'xhigh', summary: 'auto' });
    expect(call.echo.text).toEqual({
      format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
      verbosity: 'low',
    });
  });

  it("prepends a previous response's input and output items", () => {
    const previous = {
      id: 'resp_prev',
      inputItems: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'first' }] },
      ],
      output: [
        {
          type: 'message',
          id: 'msg_1',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'answer', annotations: [] }],
        },
      ],
    };
    const request = decode({ input: 'second', previous_response_id: 'resp_prev' }, { previous });
    expect(request.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(responsesCallOf(request).inputItems).toHaveLength(3);
  });

  it('refuses previous_response_id with a clear 400 when storing is off', () => {
    const error = failure({ input: 'x', previous_response_id: 'resp_1' }, { storing: false });
    expect(error.status).toBe(400);
    expect(error.param).toBe('previous_response_id');
    expect(error.message).toContain('does not store');
  });

  it('does not store when storing is off or the client says store: false', () => {
    expect(responsesCallOf(decode({ input: 'x' }, { storing: false })).store).toBe(false);
    expect(responsesCallOf(decode({ input: 'x', store: false })).store).toBe(false);
  });

  it('carries reasoning items into the assistant turn as the blocks they wrap', () => {
    const signed = { type: 'thinking' as const, text: 'plan', signature: 'sig-1' };
    const request = decode({
      input: [
        { role: 'user', content: 'Go' },
        {
          type: 'reasoning',
          id: 'rs_1',
          summary: [{ type: 'summary_text', text: 'plan' }],
          encrypted_content: encryptedReasoning(signed),
        },
        { type: 'reasoning', id: 'rs_openai', summary: [], encrypted_content: 'gAAAA-openai' },
        { type: 'function_call', call_id: 'call_1', name: 'read', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'ok' },
        {
          type: 'reasoning',
          summary: [],
          encrypted_content: `swy1.${Buffer.from('old').toString('base64url')}`,
        },
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'shown' }] },
        { role: 'user', content: 'Next' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Go' }] },
      {
        role: 'assistant',
        content: '',
        reasoning: [signed, { type: 'encrypted', text: '', data: 'gAAAA-openai', id: 'rs_openai' }],
        toolCalls: [{ id: 'call_1', name: 'read', arguments: '{}' }],
      },
      { role: 'tool', toolCallId: 'call_1', content: 'ok' },
      {
        role: 'assistant',
        content: '',
        reasoning: [
          { type: 'thinking', text: 'old' },
          { type: 'thinking', text: 'shown' },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'Next' }] },
    ]);
  });

  it('translates text.verbosity, reasoning.summary and prompt_cache_key into the canonical request', () => {
    const request = decode({
      input: 'x',
      text: { verbosity: 'low' },
      reasoning: { effort: 'high', summary: 'detailed' },
      prompt_cache_key: 'session-1',
    });
    expect(request).toMatchObject({
      verbosity: 'low',
      reasoningEffort: 'high',
      reasoningSummary: 'detailed',
      promptCacheKey: 'session-1',
    });
  });

  it.each([
    [{ input: 'x', tools: [{ type: 'file_search' }] }, 'tools[0].type', 'file search'],
    [
      { input: 'x', tools: [{ type: 'code_interpreter', container: { type: 'auto' } }] },
      'tools[0].type',
      'code interpreter',
    ],
    [{ input: 'x', tools: [{ type: 'computer_use_preview' }] }, 'tools[0].type', 'computer use'],
    [
      { input: 'x', tool_choice: { type: 'web_search_preview' } },
      'tool_choice.type',
      'web_search_preview',
    ],
    [{ input: 'x', conversation: 'conv_1' }, 'conversation', 'Conversations'],
    [{ input: 'x', background: true }, 'background', 'background'],
    [{ input: 'x', include: ['message.output_text.logprobs'] }, 'include[0]', 'logprobs'],
    [{ input: 'x', truncation: 'auto' }, 'truncation', 'truncation'],
    [{ input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0].type', 'item_reference'],
    [{ input: [{ type: 'web_search_call', id: 'ws_1' }] }, 'input[0].type', 'web_search_call'],
    [
      { input: [{ type: 'reasoning', summary: [], encrypted_content: 'swy2.!!' }] },
      'input[0].encrypted_content',
      'was changed',
    ],
    [
      { input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] },
      'input[0].content[0].type',
      'input_file',
    ],
  ])('refuses %j by name', (body, param, words) => {
    const error = failure(body);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain(words);
  });

  it.each([
    [{ input: 'x', frobnicate: 1 }, 'frobnicate'],
    [{ input: 'x', text: { format: { type: 'text' }, colour: 'red' } }, 'text.colour'],
    [{ input: 'x', reasoning: { effort: 'low', budget: 3 } }, 'reasoning.budget'],
    [
      { input: 'x', tools: [{ type: 'function', name: 'f', defer_loading: true }] },
      'tools[0].defer_loading',
    ],
    [
      { input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: '{}', extra: 1 }] },
      'input[0].extra',
    ],
    [{ input: 'x', metadata: { key: 5 } }, 'metadata.key'],
    [{ input: 'x', tool_choice: { type: 'function', name: 'missing' } }, 'tool_choice.name'],
    [{ input: [] }, 'input'],
    [{ input: 5 }, 'input'],
  ])('refuses the invalid %j naming %s', (body, param) => {
    expect(failure(body).param).toBe(param);
  });
});
