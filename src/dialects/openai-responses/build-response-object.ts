import { randomBytes } from 'node:crypto';
import type { GatewayError } from '../../core/errors.js';
import type { FinishReason, Usage } from '../../core/response.js';
import type { ResponsesCall } from './responses-call.js';
import type { OutputItem, ResponseObject, ResponsesUsage } from './responses-types.js';

/** An item id in OpenAI's style: a type prefix and random hex (`msg_…`, `fc_…`, `rs_…`, `ctc_…`). */
export function newItemId(prefix: 'msg' | 'fc' | 'rs' | 'ctc'): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}

/** A response id: `resp_` and 32 random hex digits. */
export function newResponseId(): string {
  return `resp_${randomBytes(16).toString('hex')}`;
}

export function encodeResponsesUsage(usage: Usage): ResponsesUsage {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** What a finished generation says about the response: `incomplete` when it hit the output limit or a filter. */
export function finalStatus(
  finishReason: FinishReason | undefined,
): Pick<ResponseObject, 'status' | 'incomplete_details'> {
  if (finishReason === 'length')
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter')
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

export interface ResponseState {
  status: ResponseObject['status'];
  incomplete_details?: ResponseObject['incomplete_details'];
  output: OutputItem[];
  usage?: Usage;
  error?: GatewayError;
}

/** The `response` object: identity, status, output and usage, and the request fields it echoes. */
export function buildResponseObject(
  call: ResponsesCall,
  model: string,
  state: ResponseState,
): ResponseObject {
  const done = state.status === 'completed' || state.status === 'incomplete';
  return {
    id: call.responseId,
    object: 'response',
    created_at: call.createdAt,
    status: state.status,
    background: false,
    completed_at: done ? Math.floor(Date.now() / 1000) : null,
    error:
      state.error === undefined ? null : { code: state.error.code, message: state.error.message },
    incomplete_details: state.incomplete_details ?? null,
    ...call.echo,
    model,
    output: state.output,
    store: call.store,
    usage: state.usage === undefined ? null : encodeResponsesUsage(state.usage),
  };
}

/**
 * An output item as the client sees it: reasoning items carry `encrypted_content` only when the
 * client asked for it (`include: ["reasoning.encrypted_content"]`). The stored form keeps it, so
 * a `previous_response_id` follow-up passes the reasoning back to the upstream that made it.
 */
export function clientItem(item: OutputItem, call: ResponsesCall): OutputItem {
  if (item.type !== 'reasoning' || call.encryptedReasoning || item.encrypted_content === undefined)
    return item;
  const { encrypted_content: _token, ...rest } = item;
  return rest;
}

/** The response object as the client sees it (see clientItem); the same object when nothing changes. */
export function clientResponse(response: ResponseObject, call: ResponsesCall): ResponseObject {
  if (call.encryptedReasoning || !response.output.some((item) => item.type === 'reasoning'))
    return response;
  return { ...response, output: response.output.map((item) => clientItem(item, call)) };
}

/**
 * A custom tool's input from the canonical call's arguments (`{"input": "…"}`, see
 * decode-responses-tools.ts); arguments that are not that shape are passed on as they are.
 */
export function customToolInput(argumentsText: string): string {
  try {
    const parsed = JSON.parse(argumentsText) as unknown;
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as { input?: unknown }).input === 'string'
    )
      return (parsed as { input: string }).input;
  } catch {
    // Not JSON: the model wrote the input directly.
  }
  return argumentsText;
}
