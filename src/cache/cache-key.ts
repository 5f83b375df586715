import { hash } from 'node:crypto';
import type { CanonicalRequest, Message } from '../core/request.js';
import { stableStringify } from '../core/stable-stringify.js';

/**
 * The exact-cache key of a request: SHA-256 (hex) of a canonical text built from the decoded
 * request. Everything in the canonical request is in the key except the fields that cannot change
 * the answer (`stream`, `streamUsage`, `user`): a field added to the request types later is in the
 * key by default, which errs on the side of a miss, never of a wrong hit.
 *
 * Normalization (and nothing more):
 *  - object keys are written in sorted order at every depth (tool schemas, response formats…);
 *  - in message text, prompts and suffixes: CRLF and lone CR become LF, spaces and tabs at the end
 *    of every line are dropped, and whitespace at the very end of the text is dropped.
 * Leading whitespace and runs of spaces inside a line are kept: indentation is meaning in code.
 * Tool-call arguments and tool results are kept verbatim (they are data, not prose).
 *
 * The model part is the model or alias the client asked for (`auto` and `deepseek-chat` are
 * different keys even when `auto` routes there today: routing may change, the key must not).
 * `kind` separates chat from completions; the OpenAI and Anthropic dialects share entries when
 * their decoded requests are equal.
 */
const KEY_VERSION = 'v1';

/** Fields of the canonical request that never change the answer. */
const IGNORED_FIELDS = new Set(['stream', 'streamUsage', 'user']);

export function cacheKey(request: CanonicalRequest, scope?: string): string {
  // One-shot crypto.hash: no Hash object per key (it showed in the hit path's profile).
  return hash('sha256', `${KEY_VERSION}\0${scope ?? ''}\0${canonicalRequestText(request)}`, 'hex');
}

/**
 * The text the key hashes: the request's fields in sorted order, each as JSON. Messages and
 * prompts (the bulk of a request) are written with plain JSON.stringify: the decoders build them
 * in a fixed key order, so only the opaque client objects (tool schemas, response formats) need
 * the slower sorted writer. An order the decoders did not fix could only cause a miss, never a
 * wrong hit: JSON text is unambiguous.
 */
export function canonicalRequestText(request: CanonicalRequest): string {
  const fields = request as unknown as Record<string, unknown>;
  let text = '{';
  for (const field of Object.keys(fields).sort()) {
    const value = fields[field];
    if (value === undefined || IGNORED_FIELDS.has(field)) continue;
    text += `${JSON.stringify(field)}:${fieldText(request, field, value)},`;
  }
  return `${text}}`;
}

function fieldText(request: CanonicalRequest, field: string, value: unknown): string {
  if (request.kind === 'chat' && field === 'messages')
    return JSON.stringify(request.messages.map(normalizeMessage));
  if (request.kind === 'completion') {
    if (field === 'prompt') return JSON.stringify(request.prompt.map(normalizeText));
    if (field === 'suffix' && request.suffix !== undefined)
      return JSON.stringify(normalizeText(request.suffix));
  }
  if (request.kind === 'chat' && field === 'tools' && request.tools !== undefined)
    return stableStringify(request.tools.map(unmarked));
  return stableStringify(value);
}

/** `value` without its provider cache mark; the same object when it has none. */
function unmarked<T extends object>(value: T): T {
  if (!('cacheControl' in value) || value.cacheControl === undefined) return value;
  const { cacheControl: _mark, ...rest } = value;
  return rest as T;
}

/**
 * The message with its prose normalized and provider cache marks left out (they never change
 * the answer); the same object when nothing changes.
 */
function normalizeMessage(marked: Message): Message {
  const message = unmarked(marked);
  switch (message.role) {
    case 'system': {
      const content = normalizeText(message.content);
      return content === message.content ? message : { ...message, content };
    }
    case 'assistant': {
      const content = normalizeText(message.content);
      const calls = message.toolCalls;
      const toolCalls = calls?.some((call) => call.cacheControl !== undefined)
        ? calls.map(unmarked)
        : calls;
      if (content === message.content && toolCalls === calls) return message;
      return toolCalls === undefined ? { ...message, content } : { ...message, content, toolCalls };
    }
    case 'user': {
      let changed = false;
      const content = message.content.map((marked) => {
        const part = unmarked(marked);
        if (part !== marked) changed = true;
        if (part.type !== 'text') return part;
        const text = normalizeText(part.text);
        if (text === part.text) return part;
        changed = true;
        return { ...part, text };
      });
      return changed ? { ...message, content } : message;
    }
    case 'tool':
      return message;
  }
}

const LINE_END = /[ \t]+(?=\n)/g;

/** CRLF/CR → LF, trailing spaces and tabs of each line dropped, trailing whitespace of the text dropped. */
export function normalizeText(text: string): string {
  let result = text;
  if (result.includes('\r')) result = result.replace(/\r\n?/g, '\n');
  if (result.includes(' \n') || result.includes('\t\n')) result = result.replace(LINE_END, '');
  return result.trimEnd();
}
