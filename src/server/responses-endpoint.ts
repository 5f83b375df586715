import { GatewayError } from '../core/errors.js';
import type { ChatRequest } from '../core/request.js';
import * as responses from '../dialects/openai-responses/index.js';
import type { PreviousResponse, ResponseObject } from '../dialects/openai-responses/index.js';
import { isObject } from '../dialects/field-readers.js';
import { type FieldPolicy, upstreamRefusals } from '../dialects/field-policy.js';
import { CHAT_FIELD_POLICY } from '../dialects/openai/chat-field-policy.js';
import type { ResponseStore } from '../usage/response-store/response-store.js';
import type { DecodeClient, ModelEndpoint } from './endpoints.js';

/**
 * The Responses fields some upstream wire refuses, for routing: `text.verbosity` becomes the
 * canonical verbosity, which the adapters take or refuse by the same rule as a chat client's
 * `verbosity` (a Responses upstream, an OpenAI-compatible one with the quirk; not Anthropic).
 */
const ROUTED_REFUSALS: FieldPolicy = { 'text.verbosity': CHAT_FIELD_POLICY.verbosity! };

/**
 * `POST /v1/responses`: the Responses dialect on the shared pipeline. With a response store, a
 * `previous_response_id` is looked up (for the same client key) before decoding, and every
 * completed or incomplete response asked to be stored (`store`, default true) is saved.
 */
export function createResponsesEndpoint(
  store: ResponseStore | undefined,
): ModelEndpoint<ChatRequest> {
  const owners = new WeakMap<ChatRequest, string | null>();

  /** Stores `stored` (the form with reasoning tokens); `response` is what the client gets. */
  const save = (request: ChatRequest, response: ResponseObject, stored: ResponseObject): void => {
    const call = responses.responsesCallOf(request);
    if (
      !call.store ||
      store === undefined ||
      response.status === 'failed' ||
      response.status === 'in_progress'
    )
      return;
    const saved = store.save({
      id: response.id,
      ownerKeyId: owners.get(request) ?? null,
      response: stored,
      inputItems: call.inputItems,
    });
    // Over the size bound: the client learns it was not stored before it sees the object.
    if (!saved) {
      response.store = false;
      stored.store = false;
    }
  };

  return {
    dialect: 'openai',
    async decode(body: unknown, client: DecodeClient) {
      const previous = await findPrevious(store, body, client.keyId);
      const request = responses.decodeResponsesRequest(body, {
        storing: store !== undefined,
        newResponseId: responses.newResponseId,
        ...(previous ? { previous } : {}),
      });
      owners.set(request, client.keyId);
      return request;
    },
    encodeResponse(answer, context, request) {
      const call = responses.responsesCallOf(request);
      const stored = responses.encodeResponsesResponse(answer, context, call);
      const response = responses.clientResponse(stored, call);
      save(request, response, stored);
      return response;
    },
    createStreamEncoder: (context, request) =>
      responses.createResponsesStreamEncoder(
        context,
        responses.responsesCallOf(request),
        (response, stored) => save(request, response, stored),
      ),
    call: (adapter, request, context) => adapter.chat(request, context),
    stream: (adapter, request, context) => adapter.streamChat(request, context),
    upstreamRefusals: (request) => upstreamRefusals(ROUTED_REFUSALS, request),
  };
}

async function findPrevious(
  store: ResponseStore | undefined,
  body: unknown,
  keyId: string | null,
): Promise<PreviousResponse | undefined> {
  if (store === undefined || !isObject(body) || typeof body.previous_response_id !== 'string')
    return undefined;
  const id = body.previous_response_id;
  const stored = await store.get(id, keyId);
  if (stored === undefined) {
    throw new GatewayError(
      'response_not_found',
      `No stored response "${id.slice(0, 100)}" (it may have expired, been deleted, or belong to another key).`,
      { param: 'previous_response_id' },
    );
  }
  return {
    id,
    inputItems: stored.inputItems,
    output: Array.isArray(stored.response.output) ? stored.response.output : [],
  };
}
