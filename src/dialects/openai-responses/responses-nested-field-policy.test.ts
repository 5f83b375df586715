import { describe, expect, it } from 'vitest';
import { decodeResponsesRequest } from './decode-responses-request.js';

const decode = (extra: Record<string, unknown>) =>
  decodeResponsesRequest(
    { model: 'm', input: 'hi', ...extra },
    { storing: true, newResponseId: () => 'resp_1' },
  );

function thrown(run: () => unknown): { code?: string; param?: string; message?: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; param?: string; message?: string };
  }
  return {};
}

describe('Responses nested fields (RESPONSES_NESTED_POLICY)', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'annotations passed back',
      {
        input: [
          { role: 'assistant', content: [{ type: 'output_text', text: 'x', annotations: [{}] }] },
        ],
      },
      'input[0].content[0].annotations',
    ],
    [
      'images in tool outputs',
      {
        input: [{ type: 'function_call_output', call_id: 'c', output: [{ type: 'input_image' }] }],
      },
      'input[0].output[0].type',
    ],
    ['hosted tool calls', { input: [{ type: 'mcp_call', id: 'm' }] }, 'input[0].type'],
    [
      'allowed-tools choices',
      { tool_choice: { type: 'allowed_tools', mode: 'auto', tools: [] } },
      'tool_choice.type',
    ],
  ])('refuses %s as unsupported, by path', (_what, extra, param) => {
    expect(thrown(() => decode(extra))).toMatchObject({ code: 'unsupported', param });
  });

  it('keeps image detail for the OpenAI wires and refuses values the API does not have', () => {
    const image = (detail: string) => ({
      input: [
        {
          role: 'user',
          content: [{ type: 'input_image', image_url: 'https://x.test/a.png', detail }],
        },
      ],
    });
    expect(decode(image('high')).messages[0]).toMatchObject({
      content: [{ type: 'image', url: 'https://x.test/a.png', detail: 'high' }],
    });
    expect(thrown(() => decode(image('ultra')))).toMatchObject({
      code: 'invalid_request',
      param: 'input[0].content[0].detail',
    });
  });

  it('refuses unknown keys in content parts, tool formats and reasoning parts by path', () => {
    expect(
      thrown(() =>
        decode({
          input: [{ role: 'user', content: [{ type: 'input_text', text: 'x', colour: 1 }] }],
        }),
      ),
    ).toMatchObject({ code: 'invalid_request', param: 'input[0].content[0].colour' });
    expect(
      thrown(() =>
        decode({ tools: [{ type: 'custom', name: 'c', format: { type: 'text', colour: 1 } }] }),
      ),
    ).toMatchObject({ param: 'tools[0].format.colour' });
    expect(
      thrown(() =>
        decode({
          input: [
            { type: 'reasoning', summary: [{ type: 'summary_text', text: 'x', colour: 1 }] },
            { role: 'user', content: 'y' },
          ],
        }),
      ),
    ).toMatchObject({ param: 'input[0].summary[0].colour' });
  });

  it('checks item metadata (id, status, phase, parsed_arguments) and accepts it', () => {
    const call = { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' };
    expect(() =>
      decode({
        input: [
          { role: 'user', content: 'x', id: 'msg_1', status: 'completed' },
          { ...call, id: 'fc_1', status: 'completed', parsed_arguments: {} },
          { type: 'function_call_output', call_id: 'c', output: 'ok' },
        ],
      }),
    ).not.toThrow();
    expect(
      thrown(() => decode({ input: [{ role: 'user', content: 'x', status: 'done' }] })),
    ).toMatchObject({
      code: 'invalid_request',
      param: 'input[0].status',
    });
    expect(thrown(() => decode({ input: [{ ...call, parsed_arguments: 'x' }] }))).toMatchObject({
      param: 'input[0].parsed_arguments',
    });
  });
});
