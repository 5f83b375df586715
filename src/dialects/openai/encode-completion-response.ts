import type { ModelResponse } from '../../core/response.js';
import { nowSeconds } from '../field-readers.js';
import type { EncodeContext } from '../types.js';
import { encodeUsage, type OpenAIUsage } from './encode-usage.js';
import { completionFinishReason, type CompletionFinishReason } from './finish-reason.js';

export interface TextCompletion {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: { text: string; index: number; logprobs: null; finish_reason: CompletionFinishReason }[];
  usage?: OpenAIUsage;
  system_fingerprint?: string;
}

/**
 * A canonical response as the legacy `text_completion` object. Echo is the upstream's job: the
 * choice text is sent as the upstream produced it.
 */
export function encodeCompletionResponse(
  response: ModelResponse,
  context: EncodeContext,
): TextCompletion {
  const completion: TextCompletion = {
    id: response.id || `cmpl-${context.requestId}`,
    object: 'text_completion',
    created: response.created || nowSeconds(),
    model: context.model,
    choices: response.choices.map((choice) => ({
      text: choice.text,
      index: choice.index,
      logprobs: null,
      finish_reason: completionFinishReason(choice.finishReason),
    })),
  };
  if (response.usage !== undefined) completion.usage = encodeUsage(response.usage);
  if (response.systemFingerprint !== undefined)
    completion.system_fingerprint = response.systemFingerprint;
  return completion;
}
