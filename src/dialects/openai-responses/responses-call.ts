import type { ChatRequest } from '../../core/request.js';

/**
 * What a Responses request carries beyond the canonical ChatRequest: the response's identity,
 * the request fields the response object echoes, which tools are custom (freeform) tools, and
 * the conversation's items for storing. Kept beside the request (never in it), so the cache
 * key, the router and the adapters see only the canonical request.
 */
export interface ResponsesCall {
  /** `resp_…`, minted at decode time. */
  responseId: string;
  /** Unix seconds. */
  createdAt: number;
  /** Request fields the response object repeats (`instructions`, `tools`, `tool_choice`, …). */
  echo: Record<string, unknown>;
  /** Names of the `custom` tools: their calls go back as `custom_tool_call` items. */
  customTools: ReadonlySet<string>;
  /** The client asked for `include: ["reasoning.encrypted_content"]`. */
  encryptedReasoning: boolean;
  /** The client asked to store the response (`store`, default true). */
  store: boolean;
  /** The conversation as input items: a previous response's input and output, then this request's input. */
  inputItems: unknown[];
}

const calls = new WeakMap<ChatRequest, ResponsesCall>();

export function attachResponsesCall(request: ChatRequest, call: ResponsesCall): void {
  calls.set(request, call);
}

/** The Responses side of a decoded request; throws when the request was not decoded by this dialect. */
export function responsesCallOf(request: ChatRequest): ResponsesCall {
  const call = calls.get(request);
  if (call === undefined)
    throw new Error('responsesCallOf: the request was not decoded by the Responses dialect');
  return call;
}
