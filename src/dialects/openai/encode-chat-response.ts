import type { Choice, ModelResponse } from '../../core/response.js';
import { nowSeconds } from '../field-readers.js';
import type { EncodeContext } from '../types.js';
import { encodeUsage, type OpenAIUsage } from './encode-usage.js';
import { chatFinishReason, type ChatFinishReason } from './finish-reason.js';

export interface ChatCompletionMessage {
  role: 'assistant';
  content: string | null;
  /** DeepSeek-style visible reasoning; present only when the model produced some. */
  reasoning_content?: string;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  refusal: null;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: number;
    message: ChatCompletionMessage;
    logprobs: unknown;
    finish_reason: ChatFinishReason;
  }[];
  usage?: OpenAIUsage;
  system_fingerprint?: string;
}

/** A canonical response as the `chat.completion` object OpenAI returns. */
export function encodeChatResponse(
  response: ModelResponse,
  context: EncodeContext,
): ChatCompletion {
  const completion: ChatCompletion = {
    id: response.id || `chatcmpl-${context.requestId}`,
    object: 'chat.completion',
    created: response.created || nowSeconds(),
    model: context.model,
    choices: response.choices.map((choice) => ({
      index: choice.index,
      message: encodeMessage(choice),
      logprobs: choice.logprobs ?? null,
      finish_reason: chatFinishReason(choice.finishReason),
    })),
  };
  if (response.usage !== undefined) completion.usage = encodeUsage(response.usage);
  if (response.systemFingerprint !== undefined)
    completion.system_fingerprint = response.systemFingerprint;
  return completion;
}

function encodeMessage(choice: Choice): ChatCompletionMessage {
  const hasToolCalls = choice.toolCalls.length > 0;
  const message: ChatCompletionMessage = {
    role: 'assistant',
    content: choice.text === '' && hasToolCalls ? null : choice.text,
    refusal: null,
  };
  if (choice.reasoning) message.reasoning_content = choice.reasoning;
  if (hasToolCalls) {
    message.tool_calls = choice.toolCalls.map((call) => ({
      id: call.id,
      type: 'function' as const,
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return message;
}
