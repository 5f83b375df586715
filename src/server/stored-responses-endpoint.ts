import type { ServerResponse } from 'node:http';
import { GatewayError } from '../core/errors.js';
import type { ResponseStore } from '../usage/response-store/response-store.js';
import { sendJson } from './respond.js';

export const RESPONSES_PATH = '/v1/responses';

/**
 * `GET /v1/responses/{id}`, `GET /v1/responses/{id}/input_items` and `DELETE /v1/responses/{id}`
 * for stored responses, scoped to the client's key.
 */
export async function serveStoredResponse(
  store: ResponseStore | undefined,
  method: string,
  path: string,
  keyId: string | null,
  response: ServerResponse,
): Promise<void> {
  const rest = path.slice(RESPONSES_PATH.length + 1);
  const slash = rest.indexOf('/');
  const id = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash));
  const sub = slash === -1 ? '' : rest.slice(slash + 1);
  if (sub !== '' && sub !== 'input_items')
    throw new GatewayError('not_found', `No endpoint ${method} ${path}.`);
  const allowed = sub === '' ? 'GET, DELETE' : 'GET';
  if (method !== 'GET' && !(method === 'DELETE' && sub === '')) {
    response.setHeader('allow', allowed);
    throw new GatewayError('method_not_allowed', `${path} accepts ${allowed}, not ${method}.`);
  }
  if (store === undefined) {
    throw new GatewayError(
      'response_not_found',
      `No stored response "${id.slice(0, 100)}": this gateway does not store responses (the ledger is off or responses.store is disabled).`,
    );
  }
  if (method === 'DELETE') {
    if (!(await store.delete(id, keyId))) throw notFound(id);
    sendJson(response, 200, { id, object: 'response', deleted: true });
    return;
  }
  const stored = await store.get(id, keyId);
  if (stored === undefined) throw notFound(id);
  if (sub === '') {
    sendJson(response, 200, stored.response);
    return;
  }
  // The conversation's input items, newest first as OpenAI lists them, in one page.
  const data = [...stored.inputItems].reverse();
  sendJson(response, 200, {
    object: 'list',
    data,
    first_id: itemId(data[0]),
    last_id: itemId(data.at(-1)),
    has_more: false,
  });
}

function itemId(item: unknown): string | null {
  return typeof item === 'object' &&
    item !== null &&
    typeof (item as { id?: unknown }).id === 'string'
    ? (item as { id: string }).id
    : null;
}

function notFound(id: string): GatewayError {
  return new GatewayError(
    'response_not_found',
    `No stored response "${id.slice(0, 100)}" (it may have expired, been deleted, or belong to another key).`,
  );
}
