import type { StoredResponse } from './response-store.js';

/** The `stored_responses` columns in insert order (migration 5). */
export const RESPONSE_COLUMNS = [
  'id',
  'owner_key_id',
  'created_at',
  'expires_at',
  'bytes',
  'body',
] as const;

/** Anonymous clients' rows carry '' as their owner (a NOT NULL column keeps the lookups plain equality). */
export function ownerColumn(ownerKeyId: string | null): string {
  return ownerKeyId ?? '';
}

/** The JSON text stored in `body`. */
export function responseBody(entry: StoredResponse): string {
  return JSON.stringify({ response: entry.response, inputItems: entry.inputItems });
}

export function rowToStoredResponse(row: Record<string, unknown>): StoredResponse {
  const body = JSON.parse(String(row.body)) as {
    response: Record<string, unknown>;
    inputItems: unknown[];
  };
  const owner = String(row.owner_key_id);
  return {
    id: String(row.id),
    ownerKeyId: owner === '' ? null : owner,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    response: body.response,
    inputItems: body.inputItems,
  };
}
