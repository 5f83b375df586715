import type { SimAnswer, SimAnswerEncoder, SimStreamEvent } from './prepared-request.js';
import { SIM_REASONING_PREFIX } from './prepare-responses-request.js';

type Item = Record<string, unknown>;

function usage(answer: SimAnswer): Record<string, unknown> {
  const { promptTokens, cachedTokens, completionTokens, reasoningTokens } = answer.usage;
  return {
    input_tokens: promptTokens,
    input_tokens_details: { cached_tokens: cachedTokens },
    output_tokens: completionTokens,
    output_tokens_details: { reasoning_tokens: reasoningTokens },
    total_tokens: promptTokens + completionTokens,
  };
}

/** The output items of the answer, in order: reasoning (reasoning models), message, function call. */
function outputItems(answer: SimAnswer): Item[] {
  const choice = answer.choices[0];
  if (choice === undefined) return [];
  const suffix = answer.id.slice('resp_'.length);
  const items: Item[] = [];
  if (answer.prepared.model.reasoning === true && choice.reasoning.length > 0) {
    const text = choice.reasoning.join('');
    const item: Item = {
      id: `rs_${suffix}`,
      type: 'reasoning',
      summary: answer.prepared.visibleReasoning ? [{ type: 'summary_text', text }] : [],
    };
    if (answer.prepared.encryptedReasoning === true)
      item['encrypted_content'] = SIM_REASONING_PREFIX + Buffer.from(text).toString('base64');
    items.push(item);
  }
  const status = choice.finish === 'length' ? 'incomplete' : 'completed';
  if (choice.content.length > 0 || choice.toolCall === undefined) {
    items.push({
      id: `msg_${suffix}`,
      type: 'message',
      status,
      role: 'assistant',
      content: [
        { type: 'output_text', text: choice.content.join(''), annotations: [], logprobs: [] },
      ],
    });
  }
  if (choice.toolCall !== undefined) {
    items.push({
      id: `fc_${suffix}`,
      type: 'function_call',
      status: 'completed',
      call_id: choice.toolCall.id,
      name: choice.toolCall.name,
      arguments: choice.toolCall.arguments.join(''),
    });
  }
  return items;
}

function responseObject(answer: SimAnswer, final: boolean): Item {
  const length = answer.choices[0]?.finish === 'length';
  return {
    id: answer.id,
    object: 'response',
    created_at: answer.created,
    status: final ? (length ? 'incomplete' : 'completed') : 'in_progress',
    error: null,
    incomplete_details: final && length ? { reason: 'max_output_tokens' } : null,
    model: answer.prepared.model.name,
    output: final ? outputItems(answer) : [],
    usage: final ? usage(answer) : null,
    store: false,
  };
}

/** `response` objects and the Responses event stream (`response.created` … `response.completed`). */
export const OPENAI_RESPONSES_ENCODER: SimAnswerEncoder = {
  idPrefix: 'resp_',
  json: (answer) => JSON.stringify(responseObject(answer, true)),
  stream(answer) {
    const events: SimStreamEvent[] = [];
    let sequence = 0;
    const emit = (type: string, fields: Item, tokens = 0): void => {
      const data = JSON.stringify({ type, sequence_number: sequence++, ...fields });
      events.push({ text: `event: ${type}\ndata: ${data}\n\n`, tokens });
    };
    emit('response.created', { response: responseObject(answer, false) });
    emit('response.in_progress', { response: responseObject(answer, false) });
    const choice = answer.choices[0];
    const items = outputItems(answer);
    let hidden = choice?.reasoning.length ?? 0;
    items.forEach((item, output_index) => {
      const item_id = item['id'];
      const added =
        item['type'] === 'reasoning'
          ? { ...item, summary: [], encrypted_content: undefined }
          : item['type'] === 'message'
            ? { ...item, status: 'in_progress', content: [] }
            : { ...item, status: 'in_progress', arguments: '' };
      emit('response.output_item.added', { output_index, item: added });
      if (item['type'] === 'reasoning' && answer.prepared.visibleReasoning && choice) {
        const part = { type: 'summary_text', text: '' };
        emit('response.reasoning_summary_part.added', {
          item_id,
          output_index,
          summary_index: 0,
          part,
        });
        for (const token of choice.reasoning)
          emit(
            'response.reasoning_summary_text.delta',
            { item_id, output_index, summary_index: 0, delta: token },
            1,
          );
        hidden = 0;
        const text = choice.reasoning.join('');
        emit('response.reasoning_summary_text.done', {
          item_id,
          output_index,
          summary_index: 0,
          text,
        });
        emit('response.reasoning_summary_part.done', {
          item_id,
          output_index,
          summary_index: 0,
          part: { ...part, text },
        });
      } else if (item['type'] === 'message' && choice) {
        const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
        emit('response.content_part.added', { item_id, output_index, content_index: 0, part });
        choice.content.forEach((token, position) => {
          emit(
            'response.output_text.delta',
            { item_id, output_index, content_index: 0, delta: token, logprobs: [] },
            1 + (position === 0 ? hidden : 0),
          );
        });
        if (choice.content.length > 0) hidden = 0;
        const text = choice.content.join('');
        emit('response.output_text.done', {
          item_id,
          output_index,
          content_index: 0,
          text,
          logprobs: [],
        });
        emit('response.content_part.done', {
          item_id,
          output_index,
          content_index: 0,
          part: { ...part, text },
        });
      } else if (item['type'] === 'function_call' && choice?.toolCall) {
        choice.toolCall.arguments.forEach((token, position) => {
          emit(
            'response.function_call_arguments.delta',
            { item_id, output_index, delta: token },
            1 + (position === 0 ? hidden : 0),
          );
        });
        hidden = 0;
        emit('response.function_call_arguments.done', {
          item_id,
          output_index,
          arguments: item['arguments'],
        });
      }
      emit('response.output_item.done', { output_index, item });
    });
    const final = responseObject(answer, true);
    emit(final['status'] === 'incomplete' ? 'response.incomplete' : 'response.completed', {
      response: final,
    });
    return events;
  },
  streamError: () =>
    `event: response.failed\ndata: ${JSON.stringify({
      type: 'response.failed',
      sequence_number: 9999,
      response: {
        object: 'response',
        status: 'failed',
        error: {
          code: 'server_error',
          message: 'The server had an error while processing your request (simulated, mid-stream).',
        },
        output: [],
      },
    })}\n\n`,
};
