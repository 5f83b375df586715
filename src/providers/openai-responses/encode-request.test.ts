import { describe, expect, it } from 'vitest';
import { encodeResponsesBody } from './encode-request.js';

const options = { providerId: 'responses', upstreamModel: 'gpt-5', stream: false };

describe('encodeResponsesBody', () => {
  it('sends image detail (auto when the client gave none) and marks a failed tool result', () => {
    const body = encodeResponsesBody(
      {
        kind: 'chat',
        model: 'gpt-5',
        stream: false,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', url: 'https://example.test/a.png', detail: 'low' },
              { type: 'image', url: 'https://example.test/b.png' },
            ],
          },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'c1', name: 'Bash', arguments: '{}' }],
          },
          { role: 'tool', toolCallId: 'c1', content: 'exit status 1', isError: true },
        ],
      },
      options,
    );
    const input = body['input'] as Array<Record<string, unknown>>;
    expect(input[0]).toMatchObject({
      role: 'user',
      content: [
        { type: 'input_image', image_url: 'https://example.test/a.png', detail: 'low' },
        { type: 'input_image', image_url: 'https://example.test/b.png', detail: 'auto' },
      ],
    });
    expect(input.at(-1)).toMatchObject({
      type: 'function_call_output',
      call_id: 'c1',
      output: 'Error: exit status 1',
    });
  });
});
