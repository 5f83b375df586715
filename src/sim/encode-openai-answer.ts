import type { SimAnswer, SimAnswerEncoder, SimStreamEvent, SimUsage } from './prepared-request.js';
import type { SimChoicePlan } from './plan-response.js';
import type { SimFlavor } from './sim-types.js';

/** The usage object in the provider flavor's shape. */
export function openAiUsage(
  usage: SimUsage,
  flavor: SimFlavor,
  reasoningModel: boolean,
): Record<string, unknown> {
  const base: Record<string, unknown> = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
  };
  if (flavor === 'openai') {
    base['prompt_tokens_details'] = { cached_tokens: usage.cachedTokens, audio_tokens: 0 };
    base['completion_tokens_details'] = {
      reasoning_tokens: usage.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    };
  } else if (flavor === 'openrouter') {
    // openrouter.ai/docs/use-cases/usage-accounting: reads and writes of the provider's cache.
    base['prompt_tokens_details'] = {
      cached_tokens: usage.cachedTokens,
      cache_write_tokens: usage.cacheWriteTokens,
      audio_tokens: 0,
    };
    base['completion_tokens_details'] = { reasoning_tokens: usage.reasoningTokens };
  } else if (flavor === 'deepseek') {
    base['prompt_tokens_details'] = { cached_tokens: usage.cachedTokens };
    base['prompt_cache_hit_tokens'] = usage.cachedTokens;
    base['prompt_cache_miss_tokens'] = usage.promptTokens - usage.cachedTokens;
    if (reasoningModel)
      base['completion_tokens_details'] = { reasoning_tokens: usage.reasoningTokens };
  }
  return base;
}

function fingerprint(answer: SimAnswer): string {
  return `fp_sim${(answer.prepared.seed % 0xffffff).toString(16)}`;
}

function chatMessage(choice: SimChoicePlan, answer: SimAnswer): Record<string, unknown> {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content:
      choice.toolCall !== undefined && choice.content.length === 0 ? null : choice.content.join(''),
  };
  if (answer.prepared.visibleReasoning) message['reasoning_content'] = choice.reasoning.join('');
  if (choice.toolCall !== undefined) {
    message['tool_calls'] = [
      {
        id: choice.toolCall.id,
        type: 'function',
        function: { name: choice.toolCall.name, arguments: choice.toolCall.arguments.join('') },
      },
    ];
  }
  if (answer.flavor === 'openai') message['refusal'] = null;
  return message;
}

function usageFor(answer: SimAnswer): Record<string, unknown> {
  return openAiUsage(answer.usage, answer.flavor, answer.prepared.model.reasoning === true);
}

const OPENAI_STREAM_ERROR = `data: ${JSON.stringify({
  error: {
    message: 'The server had an error while processing your request (simulated, mid-stream).',
    type: 'server_error',
    param: null,
    code: null,
  },
})}\n\n`;

/** `chat.completion` / `chat.completion.chunk` */
export const OPENAI_CHAT_ENCODER: SimAnswerEncoder = {
  idPrefix: 'chatcmpl-',
  json(answer) {
    return JSON.stringify({
      id: answer.id,
      object: 'chat.completion',
      created: answer.created,
      model: answer.prepared.model.name,
      choices: answer.choices.map((choice, index) => ({
        index,
        message: chatMessage(choice, answer),
        logprobs: null,
        finish_reason: choice.finish,
      })),
      usage: usageFor(answer),
      system_fingerprint: fingerprint(answer),
    });
  },
  stream(answer) {
    const head = `data: {"id":"${answer.id}","object":"chat.completion.chunk","created":${answer.created},"model":${JSON.stringify(answer.prepared.model.name)},"system_fingerprint":"${fingerprint(answer)}","choices":[`;
    const tail = answer.prepared.streamUsage ? '],"usage":null}\n\n' : ']}\n\n';
    const events: SimStreamEvent[] = [];
    const delta = (
      index: number,
      deltaJson: string,
      finish: string | null,
      tokens: number,
    ): void => {
      events.push({
        text: `${head}{"index":${index},"delta":${deltaJson},"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}}${tail}`,
        tokens,
      });
    };
    const visible = answer.prepared.visibleReasoning;
    answer.choices.forEach((choice, index) => {
      const toolOnly = choice.toolCall !== undefined && choice.content.length === 0;
      delta(
        index,
        visible
          ? `{"role":"assistant","content":${toolOnly ? 'null' : '""'},"reasoning_content":""}`
          : `{"role":"assistant","content":${toolOnly ? 'null' : '""'}}`,
        null,
        0,
      );
      if (visible)
        for (const token of choice.reasoning)
          delta(index, `{"content":null,"reasoning_content":${JSON.stringify(token)}}`, null, 1);
      const hiddenReasoning = visible ? 0 : choice.reasoning.length;
      choice.content.forEach((token, position) => {
        delta(
          index,
          visible
            ? `{"content":${JSON.stringify(token)},"reasoning_content":null}`
            : `{"content":${JSON.stringify(token)}}`,
          null,
          1 + (position === 0 ? hiddenReasoning : 0),
        );
      });
      const call = choice.toolCall;
      if (call !== undefined) {
        delta(
          index,
          `{"tool_calls":[{"index":0,"id":"${call.id}","type":"function","function":{"name":${JSON.stringify(call.name)},"arguments":""}}]}`,
          null,
          hiddenReasoning,
        );
        for (const token of call.arguments)
          delta(
            index,
            `{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(token)}}}]}`,
            null,
            1,
          );
      }
      delta(index, '{}', choice.finish, 0);
    });
    if (answer.prepared.streamUsage) {
      events.push({ text: `${head}],"usage":${JSON.stringify(usageFor(answer))}}\n\n`, tokens: 0 });
    }
    events.push({ text: 'data: [DONE]\n\n', tokens: 0 });
    return events;
  },
  streamError: () => OPENAI_STREAM_ERROR,
};

function completionText(answer: SimAnswer, index: number, choice: SimChoicePlan): string {
  return (answer.prepared.echo?.[index] ?? '') + choice.content.join('');
}

/** `text_completion` (legacy and FIM), JSON and stream. */
export const OPENAI_COMPLETION_ENCODER: SimAnswerEncoder = {
  idPrefix: 'cmpl-',
  json(answer) {
    return JSON.stringify({
      id: answer.id,
      object: 'text_completion',
      created: answer.created,
      model: answer.prepared.model.name,
      choices: answer.choices.map((choice, index) => ({
        text: completionText(answer, index, choice),
        index,
        logprobs: null,
        finish_reason: choice.finish,
      })),
      usage: usageFor(answer),
      system_fingerprint: fingerprint(answer),
    });
  },
  stream(answer) {
    const head = `data: {"id":"${answer.id}","object":"text_completion","created":${answer.created},"model":${JSON.stringify(answer.prepared.model.name)},"system_fingerprint":"${fingerprint(answer)}","choices":[`;
    const events: SimStreamEvent[] = [];
    const piece = (index: number, text: string, finish: string | null, tokens: number): void => {
      events.push({
        text: `${head}{"text":${JSON.stringify(text)},"index":${index},"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}}]}\n\n`,
        tokens,
      });
    };
    answer.choices.forEach((choice, index) => {
      const echo = answer.prepared.echo?.[index];
      if (echo !== undefined) piece(index, echo, null, 0);
      for (const token of choice.content) piece(index, token, null, 1);
      piece(index, '', choice.finish, 0);
    });
    if (answer.prepared.streamUsage)
      events.push({ text: `${head}],"usage":${JSON.stringify(usageFor(answer))}}\n\n`, tokens: 0 });
    events.push({ text: 'data: [DONE]\n\n', tokens: 0 });
    return events;
  },
  streamError: () => OPENAI_STREAM_ERROR,
};
