import type { SimAnswer, SimAnswerEncoder, SimStreamEvent } from './prepared-request.js';
import type { SimChoicePlan } from './plan-response.js';

const STOP_REASONS = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' } as const;

function stopReason(choice: SimChoicePlan): string {
  return choice.stopSequence !== undefined ? 'stop_sequence' : STOP_REASONS[choice.finish];
}

function signature(answer: SimAnswer): string {
  return Buffer.from(`sim-signature-${answer.prepared.seed}`).toString('base64');
}

/** Anthropic reports cached prompt parts separately (input_tokens excludes them), writes by TTL too. */
function usage(answer: SimAnswer): Record<string, unknown> {
  const { promptTokens, cachedTokens, cacheWriteTokens, cacheWrite1hTokens, completionTokens } =
    answer.usage;
  return {
    input_tokens: promptTokens - cachedTokens - cacheWriteTokens,
    cache_creation_input_tokens: cacheWriteTokens,
    cache_read_input_tokens: cachedTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: cacheWriteTokens - cacheWrite1hTokens,
      ephemeral_1h_input_tokens: cacheWrite1hTokens,
    },
    output_tokens: completionTokens,
  };
}

function contentBlocks(answer: SimAnswer, choice: SimChoicePlan): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  if (answer.prepared.visibleReasoning && choice.reasoning.length > 0) {
    blocks.push({
      type: 'thinking',
      thinking: choice.reasoning.join(''),
      signature: signature(answer),
    });
  }
  if (choice.content.length > 0 || choice.toolCall === undefined)
    blocks.push({ type: 'text', text: choice.content.join('') });
  if (choice.toolCall !== undefined) {
    const argumentsText = choice.toolCall.arguments.join('');
    let input: unknown;
    try {
      input = JSON.parse(argumentsText);
    } catch {
      // A broken (malformed-fault or max_tokens-cut) tool input has no object form: keep the text.
      input = { _raw: argumentsText };
    }
    blocks.push({ type: 'tool_use', id: choice.toolCall.id, name: choice.toolCall.name, input });
  }
  return blocks;
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

const STREAM_ERROR = sse('error', {
  type: 'error',
  error: { type: 'overloaded_error', message: 'Overloaded (simulated, mid-stream).' },
});

/** Messages API answers: `message` JSON and the full SSE event sequence. */
export const ANTHROPIC_MESSAGES_ENCODER: SimAnswerEncoder = {
  idPrefix: 'msg_01',
  json(answer) {
    const choice = answer.choices[0] as SimChoicePlan;
    return JSON.stringify({
      id: answer.id,
      type: 'message',
      role: 'assistant',
      model: answer.prepared.model.name,
      content: contentBlocks(answer, choice),
      stop_reason: stopReason(choice),
      stop_sequence: choice.stopSequence ?? null,
      usage: usage(answer),
    });
  },
  stream(answer) {
    const choice = answer.choices[0] as SimChoicePlan;
    const events: SimStreamEvent[] = [];
    const fullUsage = usage(answer);
    events.push({
      text: sse('message_start', {
        type: 'message_start',
        message: {
          id: answer.id,
          type: 'message',
          role: 'assistant',
          content: [],
          model: answer.prepared.model.name,
          stop_reason: null,
          stop_sequence: null,
          usage: { ...fullUsage, output_tokens: 1 },
        },
      }),
      tokens: 0,
    });
    let index = 0;
    const open = (block: Record<string, unknown>): void => {
      events.push({
        text: sse('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: block,
        }),
        tokens: 0,
      });
      if (index === 0) events.push({ text: sse('ping', { type: 'ping' }), tokens: 0 });
    };
    const delta = (value: Record<string, unknown>, tokens: number): void => {
      events.push({
        text: sse('content_block_delta', { type: 'content_block_delta', index, delta: value }),
        tokens,
      });
    };
    const close = (): void => {
      events.push({
        text: sse('content_block_stop', { type: 'content_block_stop', index }),
        tokens: 0,
      });
      index++;
    };
    if (answer.prepared.visibleReasoning && choice.reasoning.length > 0) {
      open({ type: 'thinking', thinking: '', signature: '' });
      for (const token of choice.reasoning) delta({ type: 'thinking_delta', thinking: token }, 1);
      delta({ type: 'signature_delta', signature: signature(answer) }, 0);
      close();
    }
    if (choice.content.length > 0 || choice.toolCall === undefined) {
      open({ type: 'text', text: '' });
      for (const token of choice.content) delta({ type: 'text_delta', text: token }, 1);
      close();
    }
    if (choice.toolCall !== undefined) {
      open({ type: 'tool_use', id: choice.toolCall.id, name: choice.toolCall.name, input: {} });
      for (const token of choice.toolCall.arguments)
        delta({ type: 'input_json_delta', partial_json: token }, 1);
      close();
    }
    events.push({
      text: sse('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReason(choice), stop_sequence: choice.stopSequence ?? null },
        usage: { output_tokens: fullUsage.output_tokens },
      }),
      tokens: 0,
    });
    events.push({ text: sse('message_stop', { type: 'message_stop' }), tokens: 0 });
    return events;
  },
  streamError: () => STREAM_ERROR,
};
