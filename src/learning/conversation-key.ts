import { hash } from 'node:crypto';
import type { CanonicalRequest, Message } from '../core/request.js';

export const RETRY_OF_HEADER = 'x-switchyard-retry-of';

function textOf(message: Message | undefined): string {
  if (message === undefined) return '';
  if (message.role !== 'user') return message.content;
  let text = '';
  for (const part of message.content) if (part.type === 'text') text += part.text;
  return text;
}

/** Each part followed by a NUL, hashed: 22 characters of the base64url SHA-256. */
function digest(parts: readonly string[]): string {
  return hash('sha256', `${parts.join('\u0000')}\u0000`, 'base64url').slice(0, 22);
}

/** Head and tail of a long text: a bounded hash input. */
function bounded(text: string): string {
  return text.length <= 8_192
    ? text
    : `${text.length}:${text.slice(0, 4_096)}${text.slice(-4_096)}`;
}

/**
 * The conversation a request belongs to, per API key: cache affinity's session of the request
 * (`sessionOf`, passed in: the `x-switchyard-session` header when the client sends one, else a
 * hash of what every turn of an agent conversation repeats — model asked, tools, the system
 * prompt and the first user message). A completion has none: its key and prompt.
 */
export function conversationKey(
  request: CanonicalRequest,
  keyId: string | null,
  session: string | undefined,
): string {
  if (session !== undefined) return session;
  if (request.kind === 'completion')
    return `p:${digest([keyId ?? '', bounded(request.prompt[0] ?? '')])}`;
  return `p:${digest([keyId ?? ''])}`;
}

/** The whole prompt, hashed (bounded per message): the same prompt sent again is a retry. */
export function promptHash(request: CanonicalRequest, keyId: string | null): string {
  if (request.kind === 'completion')
    return digest([
      keyId ?? '',
      request.model,
      ...request.prompt.map(bounded),
      request.suffix ?? '',
    ]);
  return digest([
    keyId ?? '',
    String(request.messages.length),
    ...request.messages.map((message) => `${message.role}:${bounded(textOf(message))}`),
  ]);
}
